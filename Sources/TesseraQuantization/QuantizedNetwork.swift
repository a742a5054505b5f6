import TesseraNN

/// A dense or convolution layer in int8 form: codes, per-channel weight scales, int32 bias at
/// scale `s_in · s_w[n]`, and the input and output activation parameters.
public struct QuantizedLinear: Sendable, Equatable {
  /// Layer name.
  public var name: String
  /// `nil` for a dense layer, the window for a convolution.
  public var convolution: WindowGeometry?
  /// Output channels N.
  public var outputs: Int
  /// Inner dimension K (`inputs` for dense, `C·kh·kw` for a convolution).
  public var inner: Int
  /// Weight codes `[N, K]` (a convolution's K in `[C, kh, kw]` order), row-major.
  public var codes: [Int8]
  /// Per-channel weight scales and grid.
  public var weights: ChannelQuantization
  /// Int32 biases, scale `input.scale · weightScale[n]`, zero point 0.
  public var bias: [Int32]
  /// Quantization of the layer's input activations.
  public var input: AffineQuantization
  /// Quantization of the layer's output activations (after the fused ReLU).
  public var output: AffineQuantization
  /// Fused ReLU (clamp at the output zero point).
  public var relu: Bool

  /// The float weights the codes stand for (`scale_n · code`).
  public var dequantizedWeights: [Float] { weights.dequantize(matrix: codes, columns: inner) }
  /// The float biases the int32 codes stand for.
  public var dequantizedBias: [Float] {
    bias.enumerated().map { Float($1) * input.scale * weights.scales[$0] }
  }
  /// Requantization multipliers `s_in · s_w[n] / s_out`.
  public var multipliers: [Float] { weights.scales.map { input.scale * $0 / output.scale } }
  /// Lower clamp of the output: the zero point with a fused ReLU, qmin otherwise.
  public var outputMin: Int32 { relu ? Swift.max(output.zeroPoint, output.grid.qmin) : output.grid.qmin }
}

/// One operation of a ``QuantizedNetwork``.
public enum QuantizedOperation: Sendable, Equatable {
  /// An int8 dense layer or convolution.
  case linear(QuantizedLinear)
  /// Int8 max pooling (keeps the input parameters).
  case maxPool(name: String, geometry: WindowGeometry)
  /// Int8 average pooling (keeps the input parameters).
  case avgPool(name: String, geometry: WindowGeometry)
  /// Int8 ReLU (clamp at the zero point).
  case relu(name: String)
  /// Flatten (no data movement).
  case flatten(name: String)

  /// The layer name.
  public var name: String {
    switch self {
    case let .linear(l): l.name
    case let .maxPool(name, _), let .avgPool(name, _), let .relu(name), let .flatten(name): name
    }
  }
}

/// How a quantized network was produced (stored in the model file for `inspect` and reports).
public struct QuantizationRecipe: Sendable, Equatable, Codable {
  /// Activation calibration method.
  public var method: CalibrationMethod
  /// Percentile for the percentile method.
  public var percentile: Double
  /// Weight bit width (2…8).
  public var weightBits: Int
  /// Per-channel (true) or per-tensor weight scales.
  public var perChannel: Bool
  /// How weight thresholds were chosen.
  public var weightCalibration: WeightCalibration
  /// GPTQ instead of round-to-nearest.
  public var gptq: Bool
  /// Quantization-aware training epochs (0 = post-training only).
  public var qatEpochs: Int
  /// Calibration samples used.
  public var calibrationSamples: Int
  /// Hidden activations on a symmetric grid (zero point 0) instead of asymmetric.
  public var symmetricActivations: Bool = false
  /// Per-layer weight bit widths (2…8) by dense/conv layer name; layers not named use
  /// ``weightBits``. Checked against the network by ``checkLayerWeightBits(layers:)``.
  public var layerWeightBits: [String: Int] = [:]

  /// Makes a recipe.
  /// - Parameters:
  ///   - method: activation calibration method.
  ///   - percentile: percentile for `percentile`.
  ///   - weightBits: 2…8.
  ///   - perChannel: per-channel weight scales.
  ///   - weightCalibration: weight threshold method (nil = default for the bit width).
  ///   - gptq: use GPTQ.
  ///   - qatEpochs: QAT epochs.
  ///   - calibrationSamples: samples used.
  ///   - layerWeightBits: per-layer bit widths by layer name (the default method for
  ///     `weightCalibration: nil` is then the one of the narrowest width used).
  public init(
    method: CalibrationMethod = .minmax, percentile: Double = 99.99, weightBits: Int = 8, perChannel: Bool = true,
    weightCalibration: WeightCalibration? = nil, gptq: Bool = false, qatEpochs: Int = 0, calibrationSamples: Int = 0,
    layerWeightBits: [String: Int] = [:]
  ) {
    self.method = method
    self.percentile = percentile
    self.weightBits = weightBits
    self.perChannel = perChannel
    let narrowest = layerWeightBits.values.reduce(weightBits, Swift.min)
    self.weightCalibration = weightCalibration ?? .defaultMethod(bits: narrowest)
    self.gptq = gptq
    self.qatEpochs = qatEpochs
    self.calibrationSamples = calibrationSamples
    self.layerWeightBits = layerWeightBits
  }

  /// The weight bit width of layer `name`: its override, else ``weightBits``.
  public func weightBits(forLayer name: String) -> Int { layerWeightBits[name] ?? weightBits }

  /// Checks the per-layer overrides against the network's dense/conv layer names.
  /// - Parameter layers: the quantizable layer names of the network.
  /// - Throws: ``QuantizationError/unsupportedBitWidth(what:bits:)`` naming the layer for a width
  ///   outside 2…8; ``QuantizationError/invalidArgument(_:)`` for a name that is not a dense/conv
  ///   layer of the network (the message lists the valid names).
  public func checkLayerWeightBits(layers: [String]) throws {
    for name in layerWeightBits.keys.sorted() {
      guard layers.contains(name) else {
        throw QuantizationError.invalidArgument(
          "per-layer weight bits name unknown layer '\(name)' (dense/conv layers: \(layers.joined(separator: ", ")))")
      }
      let bits = layerWeightBits[name]!
      guard (2...8).contains(bits) else {
        throw QuantizationError.unsupportedBitWidth(what: "layer '\(name)' weights", bits: bits)
      }
    }
  }

  enum CodingKeys: String, CodingKey {
    case method, percentile, gptq
    case weightBits = "weight_bits"
    case perChannel = "per_channel"
    case weightCalibration = "weight_calibration"
    case qatEpochs = "qat_epochs"
    case calibrationSamples = "calibration_samples"
    case symmetricActivations = "symmetric_activations"
    case layerWeightBits = "layer_weight_bits"
  }

  /// Decodes a recipe (`symmetric_activations` and `layer_weight_bits` may be absent).
  /// - Throws: `DecodingError` for missing or mistyped fields.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    method = try c.decode(CalibrationMethod.self, forKey: .method)
    percentile = try c.decode(Double.self, forKey: .percentile)
    weightBits = try c.decode(Int.self, forKey: .weightBits)
    perChannel = try c.decode(Bool.self, forKey: .perChannel)
    weightCalibration = try c.decode(WeightCalibration.self, forKey: .weightCalibration)
    gptq = try c.decode(Bool.self, forKey: .gptq)
    qatEpochs = try c.decode(Int.self, forKey: .qatEpochs)
    calibrationSamples = try c.decode(Int.self, forKey: .calibrationSamples)
    symmetricActivations = try c.decodeIfPresent(Bool.self, forKey: .symmetricActivations) ?? false
    layerWeightBits = try c.decodeIfPresent([String: Int].self, forKey: .layerWeightBits) ?? [:]
  }

  /// Encodes a recipe; `layer_weight_bits` only when some layer has an override, so files without
  /// per-layer widths keep their previous metadata.
  /// - Throws: `EncodingError` from the encoder.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(method, forKey: .method)
    try c.encode(percentile, forKey: .percentile)
    try c.encode(weightBits, forKey: .weightBits)
    try c.encode(perChannel, forKey: .perChannel)
    try c.encode(weightCalibration, forKey: .weightCalibration)
    try c.encode(gptq, forKey: .gptq)
    try c.encode(qatEpochs, forKey: .qatEpochs)
    try c.encode(calibrationSamples, forKey: .calibrationSamples)
    try c.encode(symmetricActivations, forKey: .symmetricActivations)
    if !layerWeightBits.isEmpty { try c.encode(layerWeightBits, forKey: .layerWeightBits) }
  }
}

/// An int8 network: quantized input, int8 dense/conv layers with fused epilogues, int8 pooling,
/// dequantized logits. Produced by ``PostTrainingQuantizer``, stored by
/// ``write(to:name:)``, compiled by the runtime's `Engine`.
public struct QuantizedNetwork: Sendable, Equatable {
  /// Per-sample input shape.
  public var inputShape: [Int]
  /// The model's input normalization (applied in float before quantizing the input).
  public var normalization: InputNormalization?
  /// Quantization of the (normalized) input.
  public var input: AffineQuantization
  /// The operations.
  public var operations: [QuantizedOperation]
  /// True when the float model ended in a softmax.
  public var endsWithSoftmax: Bool
  /// How it was made.
  public var recipe: QuantizationRecipe

  /// Metadata key holding the quantization JSON in a model file.
  public static let metadataKey = "tessera.quantization"

  /// Makes a network, checking that each layer's input parameters equal the previous output's.
  /// - Throws: ``QuantizationError/invalidModel(_:)`` when they do not chain.
  public init(
    inputShape: [Int], normalization: InputNormalization?, input: AffineQuantization,
    operations: [QuantizedOperation], endsWithSoftmax: Bool, recipe: QuantizationRecipe
  ) throws {
    self.inputShape = inputShape
    self.normalization = normalization
    self.input = input
    self.operations = operations
    self.endsWithSoftmax = endsWithSoftmax
    self.recipe = recipe
    var current = input
    for op in operations {
      guard case let .linear(l) = op else { continue }
      guard l.input == current else {
        throw QuantizationError.invalidModel("layer '\(l.name)': input quantization does not match the previous layer's output")
      }
      current = l.output
    }
    _ = try floatNetwork()
  }

  /// Quantization of the network output (the logits).
  public var outputQuantization: AffineQuantization {
    for op in operations.reversed() { if case let .linear(l) = op { return l.output } }
    return input
  }

  /// The int8 dense/conv layers in order.
  public var linearLayers: [QuantizedLinear] {
    operations.compactMap { if case let .linear(l) = $0 { l } else { nil } }
  }

  /// The float network whose weights and biases are the dequantized codes (same shapes; used to
  /// check shapes and to compare against the float model).
  /// - Throws: ``QuantizationError/invalidModel(_:)`` when shapes do not chain.
  public func floatNetwork() throws -> FusedNetwork {
    let ops: [FusedOperation] = operations.map { op in
      switch op {
      case let .linear(l):
        if let g = l.convolution {
          return .conv(ConvStage(name: l.name, geometry: g, outputChannels: l.outputs, weight: l.dequantizedWeights, bias: l.dequantizedBias, relu: l.relu))
        }
        return .dense(DenseStage(name: l.name, inputs: l.inner, outputs: l.outputs, weight: l.dequantizedWeights, bias: l.dequantizedBias, relu: l.relu))
      case let .maxPool(name, g): return .maxPool(name: name, geometry: g)
      case let .avgPool(name, g): return .avgPool(name: name, geometry: g)
      case let .relu(name): return .relu(name: name)
      case let .flatten(name): return .flatten(name: name)
      }
    }
    return try FusedNetwork(inputShape: inputShape, normalization: normalization, operations: ops, endsWithSoftmax: endsWithSoftmax)
  }

  /// Bytes of the quantized parameters (codes, int32 biases, fp32 scales and activation parameters).
  public var parameterBytes: Int {
    linearLayers.reduce(8) { $0 + $1.codes.count + 4 * $1.bias.count + 4 * $1.weights.scales.count + 8 }
  }
}
