import Foundation
import Tessera

/// Softmax over the last axis of `[batch, classes]`, computed stably (the row maximum is
/// subtracted before `exp`).
///
/// Training uses ``softmaxCrossEntropy(logits:labels:)`` on logits instead, which is both faster
/// and more accurate; this layer is for models that must output probabilities.
///
/// For example:
/// ```swift
/// let probabilities = try Softmax()(logits)   // rows sum to 1
/// ```
public final class Softmax: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"softmax"`.
  public var kind: String { "softmax" }
  /// Training mode: keeps the output for ``backward(_:)``.
  public var isTraining = true
  private var cachedOutput: Tensor<Float>?

  /// Makes a softmax layer.
  /// - Parameter name: unique name inside the model.
  public init(name: String = "softmax") { self.name = name }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  /// Row-wise `exp(x − max) / Σ exp(x − max)`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` unless rank 2.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try LayerCheck.rank(input, 2, "Softmax \(name)")
    var y = input.scalars
    let classes = input.shape[1]
    y.withUnsafeMutableBufferPointer { p in
      for row in 0..<input.shape[0] { softmaxRow(p.baseAddress! + row * classes, classes) }
    }
    let out = try Tensor.make(input.shape, y)
    cachedOutput = isTraining ? out : nil
    return out
  }

  /// `dx = y ⊙ (dy − Σ dy ⊙ y)` per row.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let y = cachedOutput else { throw LayerCheck.noCache("Softmax \(name)") }
    try LayerCheck.gradient(outputGradient, y.shape, "Softmax \(name)")
    var dx = outputGradient.scalars
    let classes = y.shape[1]
    y.withUnsafeBufferPointer { yp in
      dx.withUnsafeMutableBufferPointer { p in
        for row in 0..<y.shape[0] {
          let base = row * classes
          var dot: Float = 0
          for c in 0..<classes { dot += p[base + c] * yp[base + c] }
          for c in 0..<classes { p[base + c] = yp[base + c] * (p[base + c] - dot) }
        }
      }
    }
    return try .make(y.shape, dx)
  }
}

/// In-place stable softmax of `count` values; returns log Σ exp(x) of the original values.
@discardableResult
func softmaxRow(_ row: UnsafeMutablePointer<Float>, _ count: Int) -> Float {
  var maximum = -Float.infinity
  for c in 0..<count { maximum = max(maximum, row[c]) }
  var sum: Float = 0
  for c in 0..<count {
    let e = expf(row[c] - maximum)
    row[c] = e
    sum += e
  }
  let inverse = 1 / sum
  for c in 0..<count { row[c] *= inverse }
  return maximum + logf(sum)
}
