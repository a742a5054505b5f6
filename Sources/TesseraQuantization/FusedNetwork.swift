import TesseraNN

/// A dense layer with BatchNorm folded in and an optional fused ReLU: `y = relu?(x · Wᵀ + b)`.
public struct DenseStage: Sendable, Hashable {
  /// Name of the original dense layer.
  public var name: String
  /// Input features K (in the float model's NCHW flatten order).
  public var inputs: Int
  /// Output features N.
  public var outputs: Int
  /// Weights `[N, K]`, row-major.
  public var weight: [Float]
  /// Biases `[N]`.
  public var bias: [Float]
  /// Whether a ReLU follows.
  public var relu: Bool

  /// Makes a dense stage.
  /// - Parameters:
  ///   - name: layer name.
  ///   - inputs: K.
  ///   - outputs: N.
  ///   - weight: `[N, K]` row-major.
  ///   - bias: `[N]`.
  ///   - relu: fused ReLU.
  public init(name: String, inputs: Int, outputs: Int, weight: [Float], bias: [Float], relu: Bool) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.weight = weight
    self.bias = bias
    self.relu = relu
  }
}

/// A 2-D convolution with BatchNorm folded in and an optional fused ReLU.
public struct ConvStage: Sendable, Hashable {
  /// Name of the original conv2d layer.
  public var name: String
  /// Input and window geometry.
  public var geometry: WindowGeometry
  /// Output channels O.
  public var outputChannels: Int
  /// Weights `[O, C, kh, kw]`, row-major.
  public var weight: [Float]
  /// Biases `[O]`.
  public var bias: [Float]
  /// Whether a ReLU follows.
  public var relu: Bool

  /// Makes a convolution stage.
  /// - Parameters:
  ///   - name: layer name.
  ///   - geometry: input and window geometry.
  ///   - outputChannels: O.
  ///   - weight: `[O, C, kh, kw]` row-major.
  ///   - bias: `[O]`.
  ///   - relu: fused ReLU.
  public init(name: String, geometry: WindowGeometry, outputChannels: Int, weight: [Float], bias: [Float], relu: Bool) {
    self.name = name
    self.geometry = geometry
    self.outputChannels = outputChannels
    self.weight = weight
    self.bias = bias
    self.relu = relu
  }
}

/// One operation of a ``FusedNetwork``.
public enum FusedOperation: Sendable, Hashable {
  /// Dense (+ folded BatchNorm, + ReLU).
  case dense(DenseStage)
  /// Convolution (+ folded BatchNorm, + ReLU).
  case conv(ConvStage)
  /// Max pooling (padded positions never win).
  case maxPool(name: String, geometry: WindowGeometry)
  /// Average pooling (padded positions count as zeros; divisor = window area).
  case avgPool(name: String, geometry: WindowGeometry)
  /// A ReLU that could not be fused into a preceding dense or convolution.
  case relu(name: String)
  /// Flatten `[C, H, W]` to `[C·H·W]` (no data movement).
  case flatten(name: String)

  /// The layer name.
  public var name: String {
    switch self {
    case let .dense(d): d.name
    case let .conv(c): c.name
    case let .maxPool(name, _), let .avgPool(name, _), let .relu(name), let .flatten(name): name
    }
  }

  /// True for the operations whose output gets its own calibrated quantization parameters.
  public var isQuantizationPoint: Bool {
    switch self {
    case .dense, .conv: true
    default: false
    }
  }

  /// Multiply-accumulates for one sample.
  public var multiplyAccumulates: Int {
    switch self {
    case let .dense(d): d.inputs * d.outputs
    case let .conv(c): c.geometry.patchSize * c.outputChannels * c.geometry.outputPixels
    default: 0
    }
  }
}

/// A float network in inference form: BatchNorm folded into the preceding dense or
/// convolution, ReLUs fused into their producers (a ReLU after a max-pool is moved before it),
/// dropout removed. Both the quantizer and the engine start from it. See docs/quantization.md §5.
///
/// For example:
/// ```swift
/// let net = try FusedNetwork(layers: model.layers, inputShape: [1, 28, 28])
/// let logits = try net.forward(batch, count: 64)
/// ```
public struct FusedNetwork: Sendable, Equatable {
  /// Per-sample input shape (`[features]` or `[C, H, W]`).
  public var inputShape: [Int]
  /// The model's own input normalization `(x − mean[c]) / std[c]`, applied before the first layer.
  public var normalization: InputNormalization?
  /// The operations in order.
  public var operations: [FusedOperation]
  /// Per-sample shape after each operation (`shapes[i]` is the output of operation `i`).
  public var shapes: [[Int]]
  /// True when the float model ends in a softmax (the engine reports logits; argmax is unchanged).
  public var endsWithSoftmax: Bool

  /// Makes a network from operations, checking that consecutive shapes agree.
  /// - Throws: ``QuantizationError/invalidModel(_:)`` when an operation does not fit its input.
  public init(
    inputShape: [Int], normalization: InputNormalization? = nil, operations: [FusedOperation],
    endsWithSoftmax: Bool = false
  ) throws {
    self.inputShape = inputShape
    self.normalization = normalization
    self.operations = operations
    self.endsWithSoftmax = endsWithSoftmax
    var shapes = [[Int]]()
    var shape = inputShape
    for op in operations {
      shape = try Self.outputShape(of: op, input: shape)
      shapes.append(shape)
    }
    guard !operations.isEmpty else { throw QuantizationError.invalidModel("the model has no layers") }
    if let normalization {
      let channels = inputShape.count == 3 ? inputShape[0] : 1
      let m = normalization.mean.count, d = normalization.std.count
      guard (m == 1 || m == channels), d == m, !normalization.std.contains(where: { $0 == 0 || !$0.isFinite }),
        normalization.mean.allSatisfy(\.isFinite)
      else {
        throw QuantizationError.invalidModel(
          "input normalization needs 1 or \(channels) finite mean/std values with std ≠ 0, got \(m)/\(d)")
      }
    }
    self.shapes = shapes
  }

  /// Elements of one input sample.
  public var inputCount: Int { inputShape.reduce(1, *) }
  /// Elements of one output sample (the number of classes).
  public var outputCount: Int { shapes.last?.reduce(1, *) ?? 0 }
  /// Applies ``normalization`` in place to a batch of `count` samples.
  public func normalize(_ x: inout [Float], count: Int) {
    guard let normalization else { return }
    let channels = inputShape.count == 3 ? inputShape[0] : 1
    let inner = inputCount / channels
    for n in 0..<count {
      for c in 0..<channels {
        let mean = normalization.mean[normalization.mean.count == 1 ? 0 : c]
        let inverse = 1 / normalization.std[normalization.std.count == 1 ? 0 : c]
        let base = (n * channels + c) * inner
        for i in base..<(base + inner) { x[i] = (x[i] - mean) * inverse }
      }
    }
  }

  /// Per-sample input shape of operation `i`.
  public func inputShape(of i: Int) -> [Int] { i == 0 ? inputShape : shapes[i - 1] }

  /// Checks one operation against its input shape and returns its output shape.
  static func outputShape(of op: FusedOperation, input: [Int]) throws -> [Int] {
    let count = input.reduce(1, *)
    switch op {
    case let .dense(d):
      guard input.count == 1, count == d.inputs else {
        throw QuantizationError.invalidModel("dense '\(d.name)' expects [\(d.inputs)] but gets \(input)")
      }
      guard d.weight.count == d.inputs * d.outputs, d.bias.count == d.outputs else {
        throw QuantizationError.invalidModel(
          "dense '\(d.name)': weight has \(d.weight.count) values and bias \(d.bias.count), expected \(d.outputs)×\(d.inputs) and \(d.outputs)")
      }
      return [d.outputs]
    case let .conv(c):
      let g = c.geometry
      guard input == [g.channels, g.height, g.width] else {
        throw QuantizationError.invalidModel("conv2d '\(c.name)' expects [\(g.channels), \(g.height), \(g.width)] but gets \(input)")
      }
      guard c.weight.count == c.outputChannels * g.patchSize, c.bias.count == c.outputChannels else {
        throw QuantizationError.invalidModel(
          "conv2d '\(c.name)': weight has \(c.weight.count) values, expected \(c.outputChannels)×\(g.patchSize)")
      }
      return [c.outputChannels, g.outputHeight, g.outputWidth]
    case let .maxPool(name, g), let .avgPool(name, g):
      guard input == [g.channels, g.height, g.width] else {
        throw QuantizationError.invalidModel("pooling '\(name)' expects [\(g.channels), \(g.height), \(g.width)] but gets \(input)")
      }
      return [g.channels, g.outputHeight, g.outputWidth]
    case .relu:
      return input
    case .flatten:
      return [count]
    }
  }
}
