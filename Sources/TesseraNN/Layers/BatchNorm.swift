import Foundation
import Tessera

/// Batch normalization per channel of `[batch, C]` or `[batch, C, H, W]`:
/// `y = γ · (x − μ) / √(σ² + ε) + β`.
///
/// Training mode normalizes with the batch mean and (biased) variance and updates the running
/// statistics (`running = (1 − momentum) · running + momentum · batch`, unbiased variance, as
/// PyTorch); inference mode uses the running statistics. At export, a BatchNorm that directly
/// follows a ``Dense`` or ``Conv2D`` is folded into that layer's weights and bias (see
/// ``Sequential/modelFile(foldBatchNorm:training:)``).
///
/// For example:
/// ```swift
/// let bn = BatchNorm(featureCount: 16)
/// ```
public final class BatchNorm: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"batchnorm"`.
  public var kind: String { "batchnorm" }
  /// Training mode: batch statistics and caches for ``backward(_:)``.
  public var isTraining = true
  /// Channels (features) normalized.
  public let featureCount: Int
  /// ε added to the variance.
  public let epsilon: Float
  /// Weight of the current batch in the running statistics.
  public let momentum: Float
  /// Scale γ `[featureCount]` (role `"weight"`).
  public let gamma: Parameter
  /// Shift β `[featureCount]` (role `"bias"`).
  public let beta: Parameter
  /// Running mean (not trainable).
  public let runningMean: Parameter
  /// Running variance (not trainable).
  public let runningVariance: Parameter
  private var cache: (normalized: [Float], inverseStd: [Float], shape: [Int])?

  /// Makes a batch normalization layer with γ = 1, β = 0, running mean 0 and variance 1.
  /// - Parameters:
  ///   - featureCount: channels of the input.
  ///   - epsilon: ε added to the variance.
  ///   - momentum: weight of each batch in the running statistics.
  ///   - name: unique name inside the model.
  public init(featureCount: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, name: String = "bn") {
    self.name = name
    self.featureCount = featureCount
    self.epsilon = epsilon
    self.momentum = momentum
    gamma = Parameter(role: "weight", shape: [featureCount], initialValue: 1)
    beta = Parameter(role: "bias", shape: [featureCount])
    runningMean = Parameter(role: "running_mean", shape: [featureCount], isTrainable: false)
    runningVariance = Parameter(role: "running_var", shape: [featureCount], initialValue: 1, isTrainable: false)
  }

  /// γ, β, running mean, running variance.
  public var parameters: [Parameter] { [gamma, beta, runningMean, runningVariance] }

  /// `features`, `epsilon`, `momentum`.
  public var attributes: [String: GraphValue] {
    ["features": .int(featureCount), "epsilon": .double(Double(epsilon)), "momentum": .double(Double(momentum))]
  }

  /// Resets γ = 1, β = 0 and the running statistics.
  /// - Parameter generator: unused (the reset is deterministic).
  public func resetParameters(using generator: inout SplitMix64) {
    gamma.value = [Float](repeating: 1, count: featureCount)
    beta.value = [Float](repeating: 0, count: featureCount)
    runningMean.value = [Float](repeating: 0, count: featureCount)
    runningVariance.value = [Float](repeating: 1, count: featureCount)
  }

  /// The input shape.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` unless the first
  ///   dimension is ``featureCount``.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    guard inputShape.first == featureCount, inputShape.count == 1 || inputShape.count == 3 else {
      throw TesseraError.invalidShape(
        operation: "BatchNorm \(name)", shape: inputShape, reason: "expected [\(featureCount)] or [\(featureCount), H, W]")
    }
    return inputShape
  }

  /// One multiply-add per element.
  public func multiplyAccumulates(for inputShape: [Int]) -> Int { inputShape.reduce(1, *) }

  /// Normalizes with batch statistics (training) or running statistics (inference).
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` for a wrong channel count.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    _ = try outputShape(for: Array(input.shape.dropFirst()))
    let batch = input.shape[0], c = featureCount
    let inner = input.shape.dropFirst(2).reduce(1, *)
    var y = input.scalars
    var mean = runningMean.value, variance = runningVariance.value
    let m = batch * inner
    if isTraining {
      guard m > 1 else {
        throw TesseraError.invalidShape(
          operation: "BatchNorm \(name)", shape: input.shape, reason: "training needs more than one value per channel")
      }
      let (batchMean, batchVariance) = Self.statistics(y, batch: batch, channels: c, inner: inner)
      mean = batchMean
      variance = batchVariance
      let unbias = Float(m) / Float(m - 1)
      for k in 0..<c {
        runningMean.value[k] = (1 - momentum) * runningMean.value[k] + momentum * batchMean[k]
        runningVariance.value[k] = (1 - momentum) * runningVariance.value[k] + momentum * batchVariance[k] * unbias
      }
    }
    let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    var normalized = [Float](repeating: 0, count: isTraining ? y.count : 0)
    let keep = isTraining
    y.withUnsafeMutableBufferPointer { yp in
      normalized.withUnsafeMutableBufferPointer { np in
        let p = yp.baseAddress!
        for n in 0..<batch {
          for k in 0..<c {
            let base = (n * c + k) * inner
            let mu = mean[k], s = inverseStd[k], g = gamma.value[k], b = beta.value[k]
            if keep {
              let q = np.baseAddress!
              for i in base..<(base + inner) {
                let xhat = (p[i] - mu) * s
                q[i] = xhat
                p[i] = g * xhat + b
              }
            } else {
              for i in base..<(base + inner) { p[i] = g * ((p[i] - mu) * s) + b }
            }
          }
        }
      }
    }
    cache = isTraining ? (normalized, inverseStd, input.shape) : nil
    return try .make(input.shape, y)
  }

  /// dγ = Σ dy·x̂, dβ = Σ dy, dx = (γ / σ) · (dy − mean(dy) − x̂ · mean(dy·x̂)).
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let (normalized, inverseStd, shape) = cache else { throw LayerCheck.noCache("BatchNorm \(name)") }
    try LayerCheck.gradient(outputGradient, shape, "BatchNorm \(name)")
    let batch = shape[0], c = featureCount, inner = shape.dropFirst(2).reduce(1, *)
    var dx = outputGradient.scalars
    var sumDy = [Double](repeating: 0, count: c), sumDyX = [Double](repeating: 0, count: c)
    let m = Float(batch * inner)
    dx.withUnsafeMutableBufferPointer { dp in
      normalized.withUnsafeBufferPointer { np in
        let d = dp.baseAddress!, q = np.baseAddress!
        for n in 0..<batch {
          for k in 0..<c {
            let base = (n * c + k) * inner
            var s: Float = 0, sx: Float = 0
            for i in base..<(base + inner) {
              s += d[i]
              sx += d[i] * q[i]
            }
            sumDy[k] += Double(s)
            sumDyX[k] += Double(sx)
          }
        }
        for k in 0..<c {
          beta.gradient[k] = Float(sumDy[k])
          gamma.gradient[k] = Float(sumDyX[k])
        }
        for n in 0..<batch {
          for k in 0..<c {
            let base = (n * c + k) * inner
            let scale = gamma.value[k] * inverseStd[k]
            let meanDy = Float(sumDy[k]) / m, meanDyX = Float(sumDyX[k]) / m
            for i in base..<(base + inner) { d[i] = scale * (d[i] - meanDy - q[i] * meanDyX) }
          }
        }
      }
    }
    return try .make(shape, dx)
  }

  /// Per-channel mean and biased variance (per-plane partial sums in Float, totals in Double).
  static func statistics(_ x: [Float], batch: Int, channels: Int, inner: Int) -> ([Float], [Float]) {
    var sum = [Double](repeating: 0, count: channels), sumSquares = sum
    x.withUnsafeBufferPointer { xp in
      let p = xp.baseAddress!
      for n in 0..<batch {
        for k in 0..<channels {
          let base = (n * channels + k) * inner
          var s: Float = 0, s2: Float = 0
          for i in base..<(base + inner) {
            s += p[i]
            s2 += p[i] * p[i]
          }
          sum[k] += Double(s)
          sumSquares[k] += Double(s2)
        }
      }
    }
    let m = Double(batch * inner)
    let mean = sum.map { $0 / m }
    let variance = zip(sumSquares, mean).map { max($0 / m - $1 * $1, 0) }
    return (mean.map(Float.init), variance.map(Float.init))
  }
}
