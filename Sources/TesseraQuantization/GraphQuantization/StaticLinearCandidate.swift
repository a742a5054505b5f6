import Tessera
import TesseraGraph

/// One way to quantize a Linear layer statically — a SmoothQuant strength or none — with its
/// int8 weights and activation parameters, and its error on the calibration sample.
struct StaticLinearCandidate {
  /// The migration strength, nil for none.
  let alpha: Float?
  /// int8 weights `[N, K]` (of `W · diag(s)` with SmoothQuant).
  let codes: [Int8]
  /// Per-output-channel weight scales.
  let scales: [Float]
  /// Activation scale, zero point and multipliers `1 / s_k`.
  let activation: StaticActivationQuantization

  /// Quantizes `layer` with strength `alpha` from `stats`.
  init(_ layer: LinearLayerMatch, _ stats: LinearInputStatistics, alpha: Float?) throws {
    var weights = layer.weightsNK
    var lo = stats.minimum.min()!, hi = stats.maximum.max()!
    var multipliers: [Float]? = nil
    if let alpha {
      let s = Graph.smoothingFactors(activationMagnitude: stats.maximumMagnitude, weightsNK: weights, n: layer.n, alpha: alpha)
      for r in 0..<layer.n { for c in 0..<layer.k { weights[r * layer.k + c] *= s[c] } }
      let m = s.map { 1 / $0 }
      (lo, hi) = (Float.infinity, -Float.infinity)
      for c in 0..<layer.k {
        lo = Swift.min(lo, stats.minimum[c] * m[c])
        hi = Swift.max(hi, stats.maximum[c] * m[c])
      }
      multipliers = m
    }
    self.alpha = alpha
    activation = try StaticActivationQuantization(minimum: lo, maximum: hi, multipliers: multipliers)
    (codes, scales) = DynamicQuantizedLinear.quantizeWeights(weights, n: layer.n, k: layer.k)
  }

  /// The float layer's output (no bias) on the sampled rows, `[rows, N]`.
  static func floatOutput(_ layer: LinearLayerMatch, _ stats: LinearInputStatistics) -> [Float] {
    let rows = stats.sampledRows
    var y = [Float](repeating: 0, count: rows * layer.n)
    stats.sample.withUnsafeBufferPointer { x in
      layer.weightsNK.withUnsafeBufferPointer { w in
        y.withUnsafeMutableBufferPointer { out in
          BLAS.sgemm(
            transposeA: false, transposeB: true, m: rows, n: layer.n, k: layer.k, alpha: 1, a: x.baseAddress!, lda: layer.k,
            b: w.baseAddress!, ldb: layer.k, beta: 0, c: out.baseAddress!, ldc: layer.n)
        }
      }
    }
    return y
  }

  /// Σ (int8 output − float output)² over the sampled rows.
  func squaredError(_ layer: LinearLayerMatch, _ stats: LinearInputStatistics, reference: [Float]) throws -> Double {
    let linear = try DynamicQuantizedLinear(
      int8: codes, scales: scales, n: layer.n, k: layer.k, bias: nil, staticActivation: activation)
    let y = linear.apply(stats.sample, rows: stats.sampledRows)
    return zip(y, reference).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
  }
}
