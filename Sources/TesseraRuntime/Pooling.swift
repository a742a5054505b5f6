import TesseraQuantization

/// Pooling over HWC batches (the engine's layout). Padded positions never win a max and count
/// as zeros (the zero point for int8) in an average, whose divisor is the window area.
enum Pooling {
  /// Window maximum on int8 codes (dequantization is increasing, so the max commutes with it).
  static func max(_ x: UnsafePointer<Int8>, _ g: WindowGeometry, count: Int, into y: UnsafeMutablePointer<Int8>) {
    maxBody(x, g, count: count, into: y)
  }

  /// Window maximum on floats.
  static func max(_ x: UnsafePointer<Float>, _ g: WindowGeometry, count: Int, into y: UnsafeMutablePointer<Float>) {
    maxBody(x, g, count: count, into: y)
  }

  /// Separable max: for each output row, the maximum over the window's input rows (one
  /// contiguous HWC row of `W · C` values per pass), then over the window's columns.
  @inline(__always)
  static func maxBody<T: Comparable>(_ x: UnsafePointer<T>, _ g: WindowGeometry, count: Int, into y: UnsafeMutablePointer<T>) {
    let c = g.channels, oh = g.outputHeight, ow = g.outputWidth, rowLength = g.width * c
    withUnsafeTemporaryAllocation(of: T.self, capacity: rowLength) { buffer in
      let temp = buffer.baseAddress!
      for n in 0..<count {
        let src = x + n * g.inputCount, dst = y + n * oh * ow * c
        for oy in 0..<oh {
          let y0 = Swift.max(0, oy * g.strideY - g.padY), y1 = Swift.min(g.height, oy * g.strideY - g.padY + g.kernelHeight)
          let first = src + y0 * rowLength
          for t in 0..<rowLength { temp[t] = first[t] }
          if y0 + 1 < y1 {
            for iy in (y0 + 1)..<y1 {
              let row = src + iy * rowLength
              for t in 0..<rowLength { temp[t] = row[t] > temp[t] ? row[t] : temp[t] }
            }
          }
          if c <= 8, g.kernelWidth == 2, g.padX == 0 {
            // Few channels, two-wide windows without padding (the 2×2 pools of small CNNs and
            // their channel-pruned versions): per channel, one strided pass over the positions.
            // The general loop below pays two tiny loops per position, which costs more than the
            // values themselves when there are fewer than about 8 channels.
            let step = g.strideX * c
            for ch in 0..<c {
              var s = UnsafePointer(temp) + ch, o = dst + oy * ow * c + ch
              for _ in 0..<ow {
                o.pointee = s[c] > s[0] ? s[c] : s[0]
                s += step
                o += c
              }
            }
            continue
          }
          for ox in 0..<ow {
            let x0 = Swift.max(0, ox * g.strideX - g.padX), x1 = Swift.min(g.width, ox * g.strideX - g.padX + g.kernelWidth)
            let out = dst + (oy * ow + ox) * c
            let base = temp + x0 * c
            for ch in 0..<c { out[ch] = base[ch] }
            if x0 + 1 < x1 {
              for ix in (x0 + 1)..<x1 {
                let p = temp + ix * c
                for ch in 0..<c { out[ch] = p[ch] > out[ch] ? p[ch] : out[ch] }
              }
            }
          }
        }
      }
    }
  }

  /// Float window mean (divisor = window area).
  static func averageFloat(_ x: UnsafePointer<Float>, _ g: WindowGeometry, count: Int, into y: UnsafeMutablePointer<Float>) {
    let c = g.channels, oh = g.outputHeight, ow = g.outputWidth
    let area = Float(g.kernelHeight * g.kernelWidth)
    for n in 0..<count {
      let src = x + n * g.inputCount, dst = y + n * oh * ow * c
      for oy in 0..<oh {
        let y0 = Swift.max(0, oy * g.strideY - g.padY), y1 = Swift.min(g.height, oy * g.strideY - g.padY + g.kernelHeight)
        for ox in 0..<ow {
          let x0 = Swift.max(0, ox * g.strideX - g.padX), x1 = Swift.min(g.width, ox * g.strideX - g.padX + g.kernelWidth)
          let out = dst + (oy * ow + ox) * c
          for ch in 0..<c {
            var sum: Float = 0
            for iy in y0..<y1 { for ix in x0..<x1 { sum += src[(iy * g.width + ix) * c + ch] } }
            out[ch] = sum / area
          }
        }
      }
    }
  }

  /// Int8 window mean: `z + rint(Σ (q − z) / area)`, rounding half to even in exact integer arithmetic.
  static func averageInt8(
    _ x: UnsafePointer<Int8>, _ g: WindowGeometry, zeroPoint z: Int32, count: Int, into y: UnsafeMutablePointer<Int8>
  ) {
    let c = g.channels, oh = g.outputHeight, ow = g.outputWidth
    let area = Int32(g.kernelHeight * g.kernelWidth)
    for n in 0..<count {
      let src = x + n * g.inputCount, dst = y + n * oh * ow * c
      for oy in 0..<oh {
        let y0 = Swift.max(0, oy * g.strideY - g.padY), y1 = Swift.min(g.height, oy * g.strideY - g.padY + g.kernelHeight)
        for ox in 0..<ow {
          let x0 = Swift.max(0, ox * g.strideX - g.padX), x1 = Swift.min(g.width, ox * g.strideX - g.padX + g.kernelWidth)
          let out = dst + (oy * ow + ox) * c
          for ch in 0..<c {
            var sum: Int32 = 0
            for iy in y0..<y1 { for ix in x0..<x1 { sum += Int32(src[(iy * g.width + ix) * c + ch]) - z } }
            let v = roundHalfEvenDivide(sum, area) + z
            out[ch] = Int8(Swift.max(-128, Swift.min(127, v)))
          }
        }
      }
    }
  }

  /// `rint(a / b)` for b > 0, ties to even, in integers.
  static func roundHalfEvenDivide(_ a: Int32, _ b: Int32) -> Int32 {
    var q = a / b
    let r = a - q * b  // same sign as a
    let twice = 2 * abs(r)
    if twice > b || (twice == b && q % 2 != 0) { q += a < 0 ? -1 : 1 }
    return q
  }
}
