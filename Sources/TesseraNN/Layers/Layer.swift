import Tessera

/// A network layer with a forward and a backward pass on batch-first float32 tensors.
///
/// Inputs are `[batch, features]` or NCHW `[batch, channels, height, width]`. In training mode
/// (``isTraining``) the forward pass keeps what the backward pass needs; ``backward(_:)`` takes
/// dLoss/dOutput of the last forward call, **overwrites** each parameter's gradient and returns
/// dLoss/dInput. Layers follow MLXNN: `Dense(inputs:outputs:)`, `layer(x)`.
///
/// For example:
/// ```swift
/// let fc = Dense(inputs: 784, outputs: 10)
/// let y = try fc(x)                 // [batch, 10]
/// let dx = try fc.backward(dy)      // [batch, 784]; fc.weight.gradient is filled
/// ```
///
/// To add a layer kind outside this module, conform to `Layer` and pass a
/// ``LayerFactory`` when loading model files.
public protocol Layer: AnyObject {
  /// Unique name inside the model; tensors are saved as `<name>.<role>`.
  var name: String { get set }
  /// The graph kind written to model files (`"dense"`, `"conv2d"`, …).
  var kind: String { get }
  /// Training mode (batch statistics, dropout, caches for backward) or inference mode.
  var isTraining: Bool { get set }
  /// Trainable parameters and saved state, in a fixed order.
  var parameters: [Parameter] { get }
  /// Kind-specific attributes written to the graph (kernel size, stride, …).
  var attributes: [String: GraphValue] { get }

  /// The forward pass.
  /// - Parameter input: a batch-first tensor whose per-sample shape is accepted by ``outputShape(for:)``.
  /// - Returns: the output batch.
  /// - Throws: `TesseraError` when the input shape does not fit the layer.
  func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float>

  /// The backward pass for the last forward call made in training mode.
  /// - Parameter outputGradient: dLoss/dOutput, shaped like the last output.
  /// - Returns: dLoss/dInput, shaped like the last input.
  /// - Throws: `TesseraError.invalidArgument(_:)` without a cached training forward pass, or
  ///   on a shape mismatch.
  func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float>

  /// Per-sample output shape for a per-sample input shape (no batch dimension).
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the input does not fit.
  func outputShape(for inputShape: [Int]) throws -> [Int]

  /// Multiply-accumulates of one forward pass of one sample.
  /// - Parameter inputShape: per-sample input shape.
  func multiplyAccumulates(for inputShape: [Int]) -> Int

  /// Re-draws the initial parameter values (He/Kaiming uniform for weights, zeros for biases).
  /// - Parameter generator: the seeded source of randomness.
  func resetParameters(using generator: inout SplitMix64)
}

extension Layer {
  /// No parameters by default.
  public var parameters: [Parameter] { [] }
  /// No attributes by default.
  public var attributes: [String: GraphValue] { [:] }
  /// No multiply-accumulates by default.
  public func multiplyAccumulates(for inputShape: [Int]) -> Int { 0 }
  /// Nothing to reset by default.
  public func resetParameters(using generator: inout SplitMix64) {}

  /// Number of trainable scalars.
  public var trainableParameterCount: Int {
    parameters.filter(\.isTrainable).reduce(0) { $0 + $1.count }
  }
}

/// Errors shared by the layer implementations.
enum LayerCheck {
  /// Throws unless the tensor has `rank` dimensions.
  static func rank(_ x: Tensor<Float>, _ rank: Int, _ layer: String) throws {
    guard x.rank == rank else {
      throw TesseraError.invalidShape(
        operation: layer, shape: x.shape, reason: "expected a rank-\(rank) batch-first tensor")
    }
  }

  /// Throws when no training forward pass was cached.
  static func noCache(_ layer: String) -> TesseraError {
    .invalidArgument("\(layer): backward called without a forward pass in training mode")
  }

  /// Throws unless `gradient` has `shape`.
  static func gradient(_ gradient: Tensor<Float>, _ shape: [Int], _ layer: String) throws {
    guard gradient.shape == shape else {
      throw TesseraError.shapeMismatch(operation: "\(layer) backward", lhs: shape, rhs: gradient.shape)
    }
  }
}

/// A float array of `count` elements whose contents the caller overwrites completely (skips
/// the zero fill of large scratch buffers).
@inline(__always)
func uninitializedFloats(_ count: Int) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

extension Tensor where Scalar == Float {
  /// Makes a tensor from a freshly computed array (the count is correct by construction).
  static func make(_ shape: [Int], _ scalars: [Float]) throws -> Tensor<Float> {
    try Tensor(shape: shape, scalars: scalars)
  }
}
