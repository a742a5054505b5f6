import Tessera

/// GPTQ weight quantization (Frantar et al., 2023): quantizes a weight matrix one input column
/// at a time and moves the not-yet-quantized columns to compensate, minimising the layer's
/// output error `‖X Wᵀ − X Ŵᵀ‖²` on calibration inputs `X`. See docs/quantization.md §9.
///
/// For example:
/// ```swift
/// let h = try GPTQ.hessian(inputs: x, rows: samples, columns: k)
/// let scales = try WeightObserver.quantization(weights: w, channels: n, bits: 4, perChannel: true, method: .mse)
/// let result = try GPTQ().quantize(weights: w, channels: n, hessian: h, quantization: scales)
/// ```
public struct GPTQ: Sendable {
  /// Columns per lazy batch update (128 as in the paper).
  public var blockSize: Int
  /// Damping λ as a fraction of the mean Hessian diagonal (0.01 as in the paper).
  public var dampingFraction: Float

  /// Makes a GPTQ quantizer.
  /// - Parameters:
  ///   - blockSize: columns per lazy batch (≥ 1).
  ///   - dampingFraction: relative damping added to the Hessian diagonal (> 0).
  public init(blockSize: Int = 128, dampingFraction: Float = 0.01) {
    self.blockSize = Swift.max(1, blockSize)
    self.dampingFraction = dampingFraction
  }

  /// The result of quantizing one layer.
  public struct Result: Sendable {
    /// Integer codes `[N, K]`, row-major.
    public var codes: [Int8]
    /// `scale_n × code`, the weights the engine effectively uses.
    public var dequantized: [Float]
  }

  /// `H = 2 Xᵀ X / rows` for calibration inputs `X` (`[rows, columns]`, row-major) through `sgemm`.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the count is not rows × columns,
  ///   ``QuantizationError/nonFiniteValue(what:)`` for NaN/inf inputs.
  /// - Complexity: O(rows · columns²).
  public static func hessian(inputs x: [Float], rows: Int, columns k: Int) throws -> [Float] {
    guard rows > 0, k > 0, x.count == rows * k else {
      throw QuantizationError.shapeMismatch(what: "GPTQ inputs", expected: [rows, k], got: [x.count])
    }
    guard x.allSatisfy({ $0.isFinite }) else { throw QuantizationError.nonFiniteValue(what: "GPTQ inputs") }
    var h = [Float](repeating: 0, count: k * k)
    x.withUnsafeBufferPointer { xp in
      h.withUnsafeMutableBufferPointer { hp in
        BLAS.sgemm(
          transposeA: true, transposeB: false, m: k, n: k, k: rows, alpha: 2 / Float(rows),
          a: xp.baseAddress!, lda: k, b: xp.baseAddress!, ldb: k, beta: 0, c: hp.baseAddress!, ldc: k)
      }
    }
    return h
  }

  /// Quantizes `weights` (`[channels, K]`, row-major) with fixed per-channel scales.
  /// - Parameters:
  ///   - weights: float weights.
  ///   - n: the `channels`, the number of rows N.
  ///   - hessian: `[K, K]` from ``hessian(inputs:rows:columns:)``.
  ///   - quantization: the per-channel scales and grid (chosen beforehand, as for round-to-nearest).
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` for inconsistent sizes,
  ///   `TesseraError.lapackFailure(routine:info:)` when the damped Hessian is not positive definite.
  /// - Complexity: O(K³ + N·K²).
  public func quantize(
    weights: [Float], channels n: Int, hessian: [Float], quantization: ChannelQuantization
  ) throws -> Result {
    guard n > 0, weights.count % n == 0, quantization.channelCount == n else {
      throw QuantizationError.shapeMismatch(what: "GPTQ weights", expected: [quantization.channelCount, -1], got: [weights.count])
    }
    let k = weights.count / n
    guard hessian.count == k * k else {
      throw QuantizationError.shapeMismatch(what: "GPTQ Hessian", expected: [k, k], got: [hessian.count])
    }
    var w = weights
    var h = hessian
    // Dead inputs (always 0 in calibration) carry no information: pin their weights to 0.
    var diagonalSum: Float = 0
    for j in 0..<k {
      if h[j * k + j] == 0 {
        h[j * k + j] = 1
        for row in 0..<n { w[row * k + j] = 0 }
      }
      diagonalSum += h[j * k + j]
    }
    let damping = dampingFraction * diagonalSum / Float(k)
    for j in 0..<k { h[j * k + j] += damping }
    let inverse = try LAPACK.choleskyInverse(Tensor(shape: [k, k], scalars: h))
    let u = try LAPACK.choleskyFactor(inverse, lower: false).scalars
    sweep(&w, n: n, k: k, upper: u, quantization: quantization)
    var codes = [Int8](repeating: 0, count: n * k)
    for row in 0..<n {
      for j in 0..<k { codes[row * k + j] = Int8(quantization.quantize(w[row * k + j], channel: row)) }
    }
    return Result(codes: codes, dequantized: quantization.dequantize(matrix: codes, columns: k))
  }

  /// The column sweep with lazy batch updates; on return `w` holds the quantized values
  /// (`scale_n × code`). `upper` is the upper Cholesky factor of the damped `H⁻¹`.
  func sweep(_ w: inout [Float], n: Int, k: Int, upper u: [Float], quantization: ChannelQuantization) {
    var errors = [Float](repeating: 0, count: n * blockSize)
    var start = 0
    while start < k {
      let end = Swift.min(start + blockSize, k), width = end - start
      for q in start..<end {
        let d = u[q * k + q]
        for row in 0..<n {
          let value = w[row * k + q]
          let quantized = quantization.dequantize(quantization.quantize(value, channel: row), channel: row)
          let e = (value - quantized) / d
          w[row * k + q] = quantized
          errors[row * width + (q - start)] = e
          if q + 1 < end {
            for j in (q + 1)..<end { w[row * k + j] -= e * u[q * k + j] }
          }
        }
      }
      if end < k {
        // W[:, end..<K] −= E[:, 0..<width] · U[start..<end, end..<K]
        errors.withUnsafeBufferPointer { ep in
          u.withUnsafeBufferPointer { up in
            w.withUnsafeMutableBufferPointer { wp in
              BLAS.sgemm(
                transposeA: false, transposeB: false, m: n, n: k - end, k: width, alpha: -1,
                a: ep.baseAddress!, lda: width, b: up.baseAddress! + start * k + end, ldb: k,
                beta: 1, c: wp.baseAddress! + end, ldc: k)
            }
          }
        }
      }
      start = end
    }
  }

  /// Output mean squared error `‖X (W − Ŵ)ᵀ‖² / (rows · N)` of a quantized layer on inputs `X`.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` for inconsistent sizes.
  public static func outputError(
    inputs x: [Float], rows: Int, weights: [Float], quantized: [Float], channels n: Int
  ) throws -> Double {
    guard n > 0, weights.count == quantized.count, weights.count % n == 0 else {
      throw QuantizationError.shapeMismatch(what: "weights", expected: [weights.count], got: [quantized.count])
    }
    let k = weights.count / n
    guard x.count == rows * k else {
      throw QuantizationError.shapeMismatch(what: "inputs", expected: [rows, k], got: [x.count])
    }
    let delta = zip(weights, quantized).map { $0 - $1 }
    var y = [Float](repeating: 0, count: rows * n)
    x.withUnsafeBufferPointer { xp in
      delta.withUnsafeBufferPointer { dp in
        y.withUnsafeMutableBufferPointer { yp in
          BLAS.sgemm(
            transposeA: false, transposeB: true, m: rows, n: n, k: k, alpha: 1,
            a: xp.baseAddress!, lda: k, b: dp.baseAddress!, ldb: k, beta: 0, c: yp.baseAddress!, ldc: n)
        }
      }
    }
    return y.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(Swift.max(rows * n, 1))
  }
}
