import Tessera

extension FusedNetwork {
  /// The float reference forward pass over a batch (NCHW, BLAS for dense and convolution).
  ///
  /// This is the definition of the float model after folding; the calibration observers, GPTQ
  /// and the tests use it.
  /// - Parameters:
  ///   - input: `count` samples of ``inputCount`` values each.
  ///   - count: batch size.
  ///   - tap: called after each operation with its index and the batch output (per sample
  ///     `shapes[i]`, row-major); also called with index −1 for the normalized input.
  /// - Returns: the logits, `count × outputCount` (no softmax).
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the input size is wrong.
  public func forward(
    _ input: [Float], count: Int, tap: ((Int, [Float]) throws -> Void)? = nil
  ) throws -> [Float] {
    guard count >= 0, input.count == count * inputCount else {
      throw QuantizationError.shapeMismatch(what: "input batch", expected: [count] + inputShape, got: [input.count])
    }
    var x = input
    normalize(&x, count: count)
    try tap?(-1, x)
    for (index, op) in operations.enumerated() {
      x = Self.apply(op, x, count: count, inputShape: inputShape(of: index))
      try tap?(index, x)
    }
    return x
  }

  /// Applies one operation to a batch.
  static func apply(_ op: FusedOperation, _ x: [Float], count: Int, inputShape: [Int]) -> [Float] {
    switch op {
    case let .dense(d):
      var y = [Float](repeating: 0, count: count * d.outputs)
      for row in 0..<count { y.replaceSubrange((row * d.outputs)..<((row + 1) * d.outputs), with: d.bias) }
      x.withUnsafeBufferPointer { xp in
        d.weight.withUnsafeBufferPointer { wp in
          y.withUnsafeMutableBufferPointer { yp in
            BLAS.sgemm(
              transposeA: false, transposeB: true, m: count, n: d.outputs, k: d.inputs, alpha: 1,
              a: xp.baseAddress!, lda: d.inputs, b: wp.baseAddress!, ldb: d.inputs, beta: 1,
              c: yp.baseAddress!, ldc: d.outputs)
          }
        }
      }
      if d.relu { relu(&y) }
      return y
    case let .conv(c):
      return convolve(c, x, count: count)
    case let .maxPool(_, g):
      return pool(g, x, count: count, max: true)
    case let .avgPool(_, g):
      return pool(g, x, count: count, max: false)
    case .relu:
      var y = x
      relu(&y)
      return y
    case .flatten:
      return x
    }
  }

  static func relu(_ y: inout [Float]) {
    for i in y.indices where !(y[i] > 0) { y[i] = 0 }
  }

  /// im2col rows + one sgemm per sample, written back in CHW order.
  static func convolve(_ c: ConvStage, _ x: [Float], count: Int) -> [Float] {
    let g = c.geometry, p = g.outputPixels, k = g.patchSize, o = c.outputChannels
    var rows = [Float](repeating: 0, count: p * k)
    var y = [Float](repeating: 0, count: count * o * p)
    x.withUnsafeBufferPointer { xp in
      c.weight.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in
          rows.withUnsafeMutableBufferPointer { rp in
            for n in 0..<count {
              Im2Col.chwRows(xp.baseAddress! + n * g.inputCount, g, padding: 0, into: rp.baseAddress!)
              let out = yp.baseAddress! + n * o * p
              for ch in 0..<o { (out + ch * p).update(repeating: c.bias[ch], count: p) }
              // Y[O, P] = W[O, K] · rowsᵀ
              BLAS.sgemm(
                transposeA: false, transposeB: true, m: o, n: p, k: k, alpha: 1,
                a: wp.baseAddress!, lda: k, b: rp.baseAddress!, ldb: k, beta: 1, c: out, ldc: p)
            }
          }
        }
      }
    }
    if c.relu { relu(&y) }
    return y
  }

  /// Max or average pooling on NCHW (average divides by the window area).
  static func pool(_ g: WindowGeometry, _ x: [Float], count: Int, max: Bool) -> [Float] {
    let oh = g.outputHeight, ow = g.outputWidth, plane = g.height * g.width
    var y = [Float](repeating: 0, count: count * g.channels * oh * ow)
    let area = Float(g.kernelHeight * g.kernelWidth)
    for p in 0..<(count * g.channels) {
      for oy in 0..<oh {
        for ox in 0..<ow {
          var best = -Float.infinity, sum: Float = 0
          for i in 0..<g.kernelHeight {
            let iy = oy * g.strideY - g.padY + i
            guard iy >= 0 && iy < g.height else { continue }
            for j in 0..<g.kernelWidth {
              let ix = ox * g.strideX - g.padX + j
              guard ix >= 0 && ix < g.width else { continue }
              let v = x[p * plane + iy * g.width + ix]
              best = Swift.max(best, v)
              sum += v
            }
          }
          y[(p * oh + oy) * ow + ox] = max ? best : sum / area
        }
      }
    }
    return y
  }
}
