import Foundation

/// An activation applied to a step's output, with the reference kernels' exact float semantics
/// (NaN passes through both).
enum Activation: Sendable, Equatable {
  /// None.
  case identity
  /// `x < 0 ? 0 : x`.
  case relu
  /// Values below `min` become `min`, then values above `max` become `max` (ONNX Clip).
  case clip(min: Float, max: Float)

  /// Applies the activation in place to `count` values.
  func apply(_ p: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .identity: return
    case .relu:
      for i in 0..<count { p[i] = p[i] < 0 ? 0 : p[i] }
    case let .clip(lo, hi):
      for i in 0..<count {
        var v = p[i]
        if v < lo { v = lo }
        if v > hi { v = hi }
        p[i] = v
      }
    }
  }
}

/// The float kernels of the compiled graph engine, on NCHW batches (the graph IR's layout).
/// Each one computes what the reference kernel of the same operator computes, up to float
/// rounding: pools and windows follow ``Window2D``; sums of many terms (global average,
/// softmax) accumulate in double precision, as the reference does.
enum NCHWKernels {
  /// The output positions `[first, last)` along one axis whose tap `k` reads inside `0..<size`:
  /// `0 ≤ o · stride − pad + k · dilation < size`.
  @inline(__always)
  static func validRange(tap k: Int, size: Int, outputs: Int, stride: Int, pad: Int, dilation: Int) -> Range<Int> {
    let offset = k * dilation - pad
    let first = offset >= 0 ? 0 : Swift.min(outputs, (-offset + stride - 1) / stride)
    let last = offset >= size ? 0 : Swift.min(outputs, (size - 1 - offset) / stride + 1)
    return first..<Swift.max(first, last)
  }

  /// im2col of one sample `[C, H, W]` into `[C · kh · kw, OH · OW]` (zeros in the padding), the
  /// right-hand matrix of the convolution `W[M, C·kh·kw] · col`.
  static func im2col(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, into col: UnsafeMutablePointer<Float>) {
    let ow = w.outputWidth, oh = w.outputHeight, plane = w.outputPlane, width = w.width, sx = w.strideX
    var row = col
    for c in 0..<channels {
      let src = x + c * w.inputPlane
      for ky in 0..<w.kernelHeight {
        let rows = validRange(tap: ky, size: w.height, outputs: oh, stride: w.strideY, pad: w.padTop, dilation: w.dilationY)
        for kx in 0..<w.kernelWidth {
          let cols = validRange(tap: kx, size: width, outputs: ow, stride: sx, pad: w.padLeft, dilation: w.dilationX)
          let x0 = kx * w.dilationX - w.padLeft
          row.update(repeating: 0, count: rows.lowerBound * ow)
          for oy in rows {
            let line = src + (oy * w.strideY - w.padTop + ky * w.dilationY) * width + x0
            let dst = row + oy * ow
            dst.update(repeating: 0, count: cols.lowerBound)
            if sx == 1 {
              (dst + cols.lowerBound).update(from: line + cols.lowerBound, count: cols.count)
            } else {
              for ox in cols { dst[ox] = line[ox * sx] }
            }
            (dst + cols.upperBound).update(repeating: 0, count: ow - cols.upperBound)
          }
          (row + rows.upperBound * ow).update(repeating: 0, count: (oh - rows.upperBound) * ow)
          row += plane
        }
      }
    }
  }

  /// Window maximum per plane (padding never wins; a NaN loses to any non-NaN value, so a
  /// window is NaN only when all its inputs are, as in the reference; an empty window is 0).
  /// Separable: the window's input rows are reduced into one row, then its columns.
  static func maxPool(_ x: UnsafePointer<Float>, planes: Int, _ w: Window2D, into y: UnsafeMutablePointer<Float>) {
    let (ow, width, sy, sx, dy, dx) = (w.outputWidth, w.width, w.strideY, w.strideX, w.dilationY, w.dilationX)
    let ranges = windowRanges(w)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(width, 1)) { buffer in
      let line = buffer.baseAddress!
      for p in 0..<planes {
        let src = x + p * w.inputPlane, dst = y + p * w.outputPlane
        for oy in 0..<w.outputHeight {
          let (ky0, ky1) = ranges.rows[oy], top = oy * sy - w.padTop, out = dst + oy * ow
          guard ky0 < ky1 else {
            out.update(repeating: 0, count: ow)
            continue
          }
          line.update(from: src + (top + ky0 * dy) * width, count: width)
          for ky in (ky0 + 1)..<ky1 {
            let row = src + (top + ky * dy) * width
            for i in 0..<width {
              let a = line[i], b = row[i]
              line[i] = b > a || a.isNaN ? b : a
            }
          }
          for ox in 0..<ow {
            let (kx0, kx1) = ranges.columns[ox], base = line + (ox * sx - w.padLeft)
            guard kx0 < kx1 else {
              out[ox] = 0
              continue
            }
            var best = base[kx0 * dx]
            for kx in (kx0 + 1)..<kx1 {
              let v = base[kx * dx]
              best = v > best || best.isNaN ? v : best
            }
            out[ox] = best
          }
        }
      }
    }
  }

  /// For each output row and column, the taps `[first, last)` of the window inside the input.
  static func windowRanges(_ w: Window2D) -> (rows: [(Int, Int)], columns: [(Int, Int)]) {
    func ranges(_ outputs: Int, _ kernel: Int, _ size: Int, _ stride: Int, _ pad: Int, _ dilation: Int) -> [(Int, Int)] {
      (0..<outputs).map { o in
        let start = o * stride - pad
        let first = start >= 0 ? 0 : (-start + dilation - 1) / dilation
        let last = start >= size ? 0 : Swift.min(kernel, (size - start + dilation - 1) / dilation)
        return (first, Swift.max(first, last))
      }
    }
    return (
      ranges(w.outputHeight, w.kernelHeight, w.height, w.strideY, w.padTop, w.dilationY),
      ranges(w.outputWidth, w.kernelWidth, w.width, w.strideX, w.padLeft, w.dilationX)
    )
  }

  /// Window mean per plane: the sum of the taps inside the input (in double precision, rows
  /// first) over `rows[oy] · columns[ox]` (the tap counts
  /// ``Window2D/tapCounts(vertical:includePadding:)`` gives); 0 for an empty count.
  static func averagePool(
    _ x: UnsafePointer<Float>, planes: Int, _ w: Window2D, rows: [Int], columns: [Int], into y: UnsafeMutablePointer<Float>
  ) {
    let (ow, width, sy, sx, dy, dx) = (w.outputWidth, w.width, w.strideY, w.strideX, w.dilationY, w.dilationX)
    let ranges = windowRanges(w)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(width, 1)) { buffer in
      let line = buffer.baseAddress!
      for p in 0..<planes {
        let src = x + p * w.inputPlane, dst = y + p * w.outputPlane
        for oy in 0..<w.outputHeight {
          let (ky0, ky1) = ranges.rows[oy], top = oy * sy - w.padTop, out = dst + oy * ow
          line.update(repeating: 0, count: width)
          for ky in ky0..<ky1 {
            let row = src + (top + ky * dy) * width
            for i in 0..<width { line[i] += Double(row[i]) }
          }
          for ox in 0..<ow {
            let (kx0, kx1) = ranges.columns[ox], base = line + (ox * sx - w.padLeft)
            var sum: Double = 0
            for kx in kx0..<kx1 { sum += base[kx * dx] }
            let n = rows[oy] * columns[ox]
            out[ox] = n > 0 ? Float(sum / Double(n)) : 0
          }
        }
      }
    }
  }

  /// Mean of each plane of `spatial` values (NaN for an empty plane, as the reference).
  static func globalAverage(_ x: UnsafePointer<Float>, planes: Int, spatial: Int, into y: UnsafeMutablePointer<Float>) {
    for p in 0..<planes {
      var sum: Double = 0
      let src = x + p * spatial
      for i in 0..<spatial { sum += Double(src[i]) }
      y[p] = spatial > 0 ? Float(sum / Double(spatial)) : .nan
    }
  }

  /// Softmax over each contiguous group of `length` values (max-shifted, double precision; a
  /// NaN spreads over its group).
  static func softmax(_ x: UnsafePointer<Float>, groups: Int, length: Int, into y: UnsafeMutablePointer<Float>) {
    withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(length, 1)) { e in
      for g in 0..<groups {
        let src = x + g * length, dst = y + g * length
        var top = -Double.infinity
        for j in 0..<length {
          let v = Double(src[j])
          if v.isNaN { top = v; break }
          top = Swift.max(top, v)
        }
        var sum = 0.0
        for j in 0..<length {
          e[j] = Foundation.exp(Double(src[j]) - top)
          sum += e[j]
        }
        for j in 0..<length { dst[j] = Float(e[j] / sum) }
      }
    }
  }

  /// Copies `outer` rows made of one chunk from each part, in order (Concat off the batch axis).
  static func concat(
    _ parts: [UnsafePointer<Float>], chunks: [Int], outer: Int, into y: UnsafeMutablePointer<Float>
  ) {
    var dst = y
    for o in 0..<outer {
      for (part, chunk) in zip(parts, chunks) {
        dst.update(from: part + o * chunk, count: chunk)
        dst += chunk
      }
    }
  }
}
