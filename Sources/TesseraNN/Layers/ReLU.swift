import Tessera

/// `max(x, 0)` element-wise, on any shape.
///
/// For example:
/// ```swift
/// let y = try ReLU()(x)
/// ```
public final class ReLU: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"relu"`.
  public var kind: String { "relu" }
  /// Training mode: keeps the output for ``backward(_:)``.
  public var isTraining = true
  private var cachedOutput: Tensor<Float>?

  /// Makes a ReLU.
  /// - Parameter name: unique name inside the model.
  public init(name: String = "relu") { self.name = name }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  /// `max(x, 0)`.
  /// - Throws: never in practice (kept for the ``Layer`` contract).
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    var y = input.scalars
    y.withUnsafeMutableBufferPointer { p in
      let base = p.baseAddress!
      for i in 0..<p.count { base[i] = base[i] > 0 ? base[i] : 0 }
    }
    let out = try Tensor.make(input.shape, y)
    cachedOutput = isTraining ? out : nil
    return out
  }

  /// Passes the gradient where the output was positive.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let y = cachedOutput else { throw LayerCheck.noCache("ReLU \(name)") }
    try LayerCheck.gradient(outputGradient, y.shape, "ReLU \(name)")
    var dx = outputGradient.scalars
    y.withUnsafeBufferPointer { yp in
      dx.withUnsafeMutableBufferPointer { p in
        let d = p.baseAddress!, out = yp.baseAddress!
        for i in 0..<p.count {
          let g = d[i]  // unconditional load, so the select compiles branch-free
          d[i] = out[i] > 0 ? g : 0
        }
      }
    }
    return try .make(y.shape, dx)
  }
}

/// Reshapes `[batch, d1, d2, …]` to `[batch, d1·d2·…]` (row-major, so NCHW flattens as C, H, W).
///
/// For example:
/// ```swift
/// let y = try Flatten()(x)     // [b, 16, 5, 5] → [b, 400]
/// ```
public final class Flatten: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"flatten"`.
  public var kind: String { "flatten" }
  /// Training mode: keeps the input shape for ``backward(_:)``.
  public var isTraining = true
  private var cachedShape: [Int]?

  /// Makes a flatten layer.
  /// - Parameter name: unique name inside the model.
  public init(name: String = "flatten") { self.name = name }

  /// `[product of the input dimensions]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { [inputShape.reduce(1, *)] }

  /// The reshaped batch.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` for a rank-0 input.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    guard input.rank >= 1 else {
      throw TesseraError.invalidShape(operation: "Flatten \(name)", shape: input.shape, reason: "needs a batch dimension")
    }
    cachedShape = isTraining ? input.shape : nil
    return try input.reshaped([input.shape[0], input.shape.dropFirst().reduce(1, *)])
  }

  /// The gradient reshaped back to the input shape.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let shape = cachedShape else { throw LayerCheck.noCache("Flatten \(name)") }
    return try outputGradient.reshaped(shape)
  }
}
