import Tessera

/// Per-channel input normalization declared by a model: `x ← (x − mean[c]) / std[c]`, applied
/// to pixels already scaled to `[0, 1]`.
public struct InputNormalization: Sendable, Equatable, Codable {
  /// Mean per channel (one value = all channels).
  public var mean: [Float]
  /// Standard deviation per channel (one value = all channels).
  public var std: [Float]

  /// Makes a normalization.
  /// - Parameters:
  ///   - mean: mean per channel.
  ///   - std: standard deviation per channel (non-zero).
  public init(mean: [Float], std: [Float]) {
    self.mean = mean
    self.std = std
  }
}

/// A chain of layers applied in order; the model type of TesseraNN.
///
/// For example:
/// ```swift
/// let model = Sequential(name: "mlp", inputShape: [1, 28, 28], layers: [
///   Flatten(), Dense(inputs: 784, outputs: 10, name: "fc"),
/// ])
/// model.resetParameters(seed: 42)
/// let logits = try model(x)            // [batch, 10]
/// _ = try model.backward(dLogits)
/// ```
/// ### See Also
/// ``Trainer``, ``ModelFile``
public final class Sequential {
  /// Model name written to the graph.
  public var name: String
  /// Per-sample input shape, e.g. `[1, 28, 28]`.
  public let inputShape: [Int]
  /// Optional normalization applied before the first layer.
  public var normalization: InputNormalization?
  /// The layers, first to last.
  public private(set) var layers: [any Layer]

  /// Makes a model.
  /// - Parameters:
  ///   - name: model name.
  ///   - inputShape: per-sample input shape.
  ///   - normalization: optional input normalization.
  ///   - layers: the layers in order (names should be unique; duplicates get a numeric suffix).
  public init(name: String = "model", inputShape: [Int], normalization: InputNormalization? = nil, layers: [any Layer]) {
    self.name = name
    self.inputShape = inputShape
    self.normalization = normalization
    self.layers = layers
    var seen = Set<String>()
    for layer in layers {
      var candidate = layer.name, suffix = 1
      while seen.contains(candidate) {
        suffix += 1
        candidate = "\(layer.name)\(suffix)"
      }
      layer.name = candidate
      seen.insert(candidate)
    }
  }

  /// Training mode of every layer.
  public var isTraining: Bool {
    get { layers.first?.isTraining ?? false }
    set { for layer in layers { layer.isTraining = newValue } }
  }

  /// Timer attached to every sgemm-calling layer (nil = no timing).
  public var gemmTimer: GEMMTimer? {
    didSet { for case let layer as GEMMTimed in layers { layer.gemmTimer = gemmTimer } }
  }

  /// Every parameter (trainable and state) of every layer, in order.
  public var parameters: [Parameter] { layers.flatMap(\.parameters) }

  /// Number of trainable scalars.
  public var trainableParameterCount: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }

  /// Re-draws every layer's initial parameters from one seed (deterministic).
  /// - Parameter seed: the seed; each layer gets its own derived stream.
  public func resetParameters(seed: UInt64) {
    for (index, layer) in layers.enumerated() {
      var generator = SplitMix64(seed: SplitMix64.derivedSeed(seed, stream: UInt64(index + 1)))
      layer.resetParameters(using: &generator)
    }
  }

  /// Per-sample (input shape, output shape) of every layer.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when a layer does not fit
  ///   or a shape is empty, not positive or above ``ModelGraph/maximumSampleElements``.
  public func layerShapes() throws -> [(input: [Int], output: [Int])] {
    var shape = inputShape
    if let problem = ModelGraph.sampleShapeProblem(shape) {
      throw TesseraError.invalidShape(operation: "model \(name) input", shape: shape, reason: problem)
    }
    return try layers.map { layer in
      let out = try layer.outputShape(for: shape)
      defer { shape = out }
      if let problem = ModelGraph.sampleShapeProblem(out) {
        throw TesseraError.invalidShape(operation: "layer \(layer.name) output", shape: out, reason: problem)
      }
      return (shape, out)
    }
  }

  /// Per-sample output shape.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when a layer does not fit.
  public func outputShape() throws -> [Int] { try layerShapes().last?.output ?? inputShape }

  /// Runs the model on a batch `[batch] + inputShape` (normalization first).
  /// - Parameter input: the batch.
  /// - Returns: the last layer's output.
  /// - Throws: `TesseraError` when the input shape does not fit.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try callAsFunction(input, observe: nil)
  }

  /// Runs the model and reports every layer's output (for calibration and per-layer checks).
  /// - Parameters:
  ///   - input: the batch `[batch] + inputShape`.
  ///   - observe: called after each layer with (index, layer, output).
  /// - Returns: the last layer's output.
  /// - Throws: `TesseraError` when the input shape does not fit, or what `observe` throws.
  public func callAsFunction(
    _ input: Tensor<Float>, observe: ((Int, any Layer, Tensor<Float>) throws -> Void)?
  ) throws -> Tensor<Float> {
    guard Array(input.shape.dropFirst()) == inputShape else {
      throw TesseraError.invalidShape(
        operation: "model \(name)", shape: input.shape, reason: "expected [batch] + \(inputShape)")
    }
    var x = try normalized(input)
    for (index, layer) in layers.enumerated() {
      x = try layer(x)
      try observe?(index, layer, x)
    }
    return x
  }

  /// Back-propagates dLoss/dOutput through every layer (after a training-mode forward pass);
  /// fills every parameter's gradient.
  /// - Parameter outputGradient: dLoss/dOutput.
  /// - Returns: dLoss/dInput (of the normalized input).
  /// - Throws: `TesseraError` without a training forward pass.
  @discardableResult
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    var g = outputGradient
    for layer in layers.reversed() { g = try layer.backward(g) }
    return g
  }

  /// Back-propagates like ``backward(_:)`` but only as far as the parameters need: layers before
  /// the first one with trainable parameters are skipped, and that layer (when it is a
  /// ``Dense`` or ``Conv2D``) does not compute dLoss/dInput. Same parameter gradients, less work;
  /// ``Trainer`` uses it.
  /// - Parameter outputGradient: dLoss/dOutput.
  /// - Throws: `TesseraError` without a training forward pass.
  public func backwardToParameters(_ outputGradient: Tensor<Float>) throws {
    guard let first = layers.firstIndex(where: { $0.trainableParameterCount > 0 }) else { return }
    var g = outputGradient
    for index in stride(from: layers.count - 1, through: first, by: -1) {
      if index == first, let layer = layers[index] as? InputGradientOptional {
        _ = try layer.backward(g, inputGradient: false)
      } else {
        g = try layers[index].backward(g)
      }
    }
  }

  /// The input with ``normalization`` applied (unchanged without one).
  /// - Throws: `TesseraError.invalidArgument(_:)` when the statistics do not match the channels.
  public func normalized(_ input: Tensor<Float>) throws -> Tensor<Float> {
    guard let normalization, input.rank >= 2 else { return input }
    let channels = input.shape[1], inner = input.shape.dropFirst(2).reduce(1, *)
    let mean = normalization.mean, std = normalization.std
    guard mean.count == 1 || mean.count == channels, std.count == mean.count, !std.contains(0) else {
      throw TesseraError.invalidArgument(
        "model \(name): normalization needs 1 or \(channels) non-zero mean/std values, got \(mean.count)/\(std.count)")
    }
    var x = input.scalars
    for n in 0..<input.shape[0] {
      for c in 0..<channels {
        let m = mean[mean.count == 1 ? 0 : c], s = 1 / std[std.count == 1 ? 0 : c]
        let base = (n * channels + c) * inner
        for i in base..<(base + inner) { x[i] = (x[i] - m) * s }
      }
    }
    return try .make(input.shape, x)
  }
}
