/// Post-training quantization: float network + calibration → ``QuantizedNetwork``.
///
/// Activations use the recipe's calibration method (asymmetric, or symmetric with
/// `recipe.symmetricActivations`), except the network input and the logits, which always use
/// asymmetric min-max: the input range is known (pixels), and clipping the largest logit
/// would change the argmax. Weights are symmetric per channel (or per tensor) with round-to-nearest
/// or GPTQ. See docs/quantization.md.
///
/// For example:
/// ```swift
/// let calibration = try Calibration(network: net, samples: x, count: 512)
/// let (q, report) = try PostTrainingQuantizer(recipe: QuantizationRecipe(method: .entropy)).quantize(net, calibration: calibration)
/// ```
public struct PostTrainingQuantizer: Sendable {
  /// What to do.
  public var recipe: QuantizationRecipe
  /// GPTQ settings (used when `recipe.gptq`).
  public var gptq: GPTQ

  /// Makes a quantizer.
  /// - Parameters:
  ///   - recipe: calibration method, bit width, granularity, GPTQ.
  ///   - gptq: GPTQ block size and damping.
  public init(recipe: QuantizationRecipe, gptq: GPTQ = GPTQ()) {
    self.recipe = recipe
    self.gptq = gptq
  }

  /// Per-layer numbers from quantizing weights.
  public struct LayerReport: Sendable, Equatable {
    /// Layer name.
    public var name: String
    /// Output MSE `‖X (W − Ŵ_rtn)ᵀ‖² / (rows · N)` of round-to-nearest on the calibration inputs
    /// (nil when no Hessian was collected).
    public var roundToNearestMSE: Double?
    /// The same for GPTQ (nil without GPTQ).
    public var gptqMSE: Double?
    /// SQNR of the quantized weights against the float weights (dB).
    public var weightSQNR: Double
  }

  /// Quantizes `network` with the activation ranges in `calibration`.
  /// Each dense/conv layer uses its own grid, `recipe.weightBits(forLayer:)`.
  /// - Throws: ``QuantizationError`` for an empty observer, an unsupported bit width (or a per-layer
  ///   width naming an unknown layer, see ``QuantizationRecipe/checkLayerWeightBits(layers:)``), a bias that
  ///   does not fit int32, or a GPTQ Hessian that is missing (GPTQ needs
  ///   `Calibration(collectHessians: true)`).
  /// - Parameters:
  ///   - network: the folded float network.
  ///   - calibration: observers (and Hessians) from the calibration pass.
  ///   - activationOverrides: fixed activation parameters by operation index (−1 = input), e.g. the
  ///     ranges QAT trained with; they replace the observers' choice.
  public func quantize(
    _ network: FusedNetwork, calibration: Calibration, activationOverrides: [Int: AffineQuantization] = [:]
  ) throws -> (network: QuantizedNetwork, report: [LayerReport]) {
    _ = try QuantizationGrid.weights(bits: recipe.weightBits)
    try recipe.checkLayerWeightBits(layers: network.operations.filter(\.isQuantizationPoint).map(\.name))
    let options = CalibrationOptions(method: recipe.method, percentile: recipe.percentile)
    let minmax = CalibrationOptions(method: .minmax)
    let lastLinear = network.operations.lastIndex(where: \.isQuantizationPoint)
    var current = try activationOverrides[-1] ?? calibration.input.quantization(minmax)
    let inputParams = current
    var ops = [QuantizedOperation]()
    var report = [LayerReport]()
    for (index, op) in network.operations.enumerated() {
      switch op {
      case let .dense(d):
        let (layer, r) = try linear(
          name: d.name, convolution: nil, outputs: d.outputs, inner: d.inputs, weight: d.weight, bias: d.bias,
          relu: d.relu, input: current, index: index, calibration: calibration,
          options: index == lastLinear ? minmax : options, grid: try .weights(bits: recipe.weightBits(forLayer: d.name)), override: activationOverrides[index],
          symmetric: recipe.symmetricActivations && index != lastLinear)
        ops.append(.linear(layer))
        report.append(r)
        current = layer.output
      case let .conv(c):
        let (layer, r) = try linear(
          name: c.name, convolution: c.geometry, outputs: c.outputChannels, inner: c.geometry.patchSize,
          weight: c.weight, bias: c.bias, relu: c.relu, input: current, index: index, calibration: calibration,
          options: index == lastLinear ? minmax : options, grid: try .weights(bits: recipe.weightBits(forLayer: c.name)), override: activationOverrides[index],
          symmetric: recipe.symmetricActivations && index != lastLinear)
        ops.append(.linear(layer))
        report.append(r)
        current = layer.output
      case let .maxPool(name, g): ops.append(.maxPool(name: name, geometry: g))
      case let .avgPool(name, g): ops.append(.avgPool(name: name, geometry: g))
      case let .relu(name): ops.append(.relu(name: name))
      case let .flatten(name): ops.append(.flatten(name: name))
      }
    }
    var finalRecipe = recipe
    finalRecipe.calibrationSamples = calibration.sampleCount
    let quantized = try QuantizedNetwork(
      inputShape: network.inputShape, normalization: network.normalization, input: inputParams,
      operations: ops, endsWithSoftmax: network.endsWithSoftmax, recipe: finalRecipe)
    return (quantized, report)
  }

  /// Quantizes one dense/conv layer.
  func linear(
    name: String, convolution: WindowGeometry?, outputs n: Int, inner k: Int, weight: [Float], bias: [Float],
    relu: Bool, input: AffineQuantization, index: Int, calibration: Calibration, options: CalibrationOptions,
    grid: QuantizationGrid, override: AffineQuantization? = nil, symmetric: Bool = false
  ) throws -> (QuantizedLinear, LayerReport) {
    guard let observer = calibration.outputs[index] else { throw QuantizationError.emptyObserver(what: name) }
    let output = try override ?? observer.quantization(options, symmetric: symmetric)
    let scales = try WeightObserver.quantization(
      weights: weight, channels: n, bits: grid.bits, perChannel: recipe.perChannel,
      method: recipe.weightCalibration, percentile: recipe.percentile, name: name)
    let rtnCodes = try scales.quantize(matrix: weight, columns: k)
    let rtn = scales.dequantize(matrix: rtnCodes, columns: k)
    var codes = rtnCodes, dequantized = rtn
    let hessian = calibration.hessians[index]
    var gptqMSE: Double?
    if recipe.gptq {
      guard let hessian else {
        throw QuantizationError.invalidArgument("layer '\(name)': GPTQ needs calibration Hessians (collectHessians: true)")
      }
      let result = try gptq.quantize(weights: weight, channels: n, hessian: hessian, quantization: scales)
      codes = result.codes
      dequantized = result.dequantized
      gptqMSE = Self.outputMSE(weight, dequantized, hessian: hessian, channels: n)
    }
    var qbias = [Int32](repeating: 0, count: n)
    for c in 0..<n {
      let v = (bias[c] / (input.scale * scales.scales[c])).rounded(.toNearestOrEven)
      guard v.isFinite, abs(v) <= 2_147_483_520 else {
        throw QuantizationError.invalidModel(
          "layer '\(name)': bias \(bias[c]) of channel \(c) does not fit int32 at scale \(input.scale * scales.scales[c])")
      }
      qbias[c] = Int32(v)
    }
    let layer = QuantizedLinear(
      name: name, convolution: convolution, outputs: n, inner: k, codes: codes, weights: scales, bias: qbias,
      input: input, output: output, relu: relu)
    let r = LayerReport(
      name: name, roundToNearestMSE: hessian.map { Self.outputMSE(weight, rtn, hessian: $0, channels: n) },
      gptqMSE: gptqMSE, weightSQNR: QuantizationMetrics.sqnr(reference: weight, approximation: dequantized))
    return (layer, r)
  }

  /// `Σ_n Δ_n (H/2) Δ_nᵀ / N` = `‖X Δᵀ‖² / (rows · N)` for `H = 2 XᵀX / rows`.
  static func outputMSE(_ w: [Float], _ q: [Float], hessian h: [Float], channels n: Int) -> Double {
    let k = w.count / n
    var total = 0.0
    var delta = [Double](repeating: 0, count: k)
    for row in 0..<n {
      for j in 0..<k { delta[j] = Double(w[row * k + j] - q[row * k + j]) }
      for i in 0..<k where delta[i] != 0 {
        var dot = 0.0
        for j in 0..<k { dot += Double(h[i * k + j]) * delta[j] }
        total += delta[i] * dot
      }
    }
    return total / 2 / Double(n)
  }
}
