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
      for i in 0..<count where p[i] < 0 { p[i] = 0 }
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
  /// im2col of one sample `[C, H, W]` into `[C · kh · kw, OH · OW]` (zeros in the padding), the
  /// right-hand matrix of the convolution `W[M, C·kh·kw] · col`.
  static func im2col(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D, into col: UnsafeMutablePointer<Float>) {
    let ow = w.outputWidth, plane = w.outputPlane
    var row = col
    for c in 0..<channels {
      let src = x + c * w.inputPlane
      for ky in 0..<w.kernelHeight {
        for kx in 0..<w.kernelWidth {
          for oy in 0..<w.outputHeight {
            let iy = oy * w.strideY - w.padTop + ky * w.dilationY
            let dst = row + oy * ow
            guard iy >= 0, iy < w.height else {
              dst.update(repeating: 0, count: ow)
              continue
            }
            let line = src + iy * w.width
            let x0 = kx * w.dilationX - w.padLeft
            if w.strideX == 1, x0 >= 0, x0 + ow <= w.width {
              dst.update(from: line + x0, count: ow)
              continue
            }
            for ox in 0..<ow {
              let ix = ox * w.strideX + x0
              dst[ox] = ix >= 0 && ix < w.width ? line[ix] : 0
            }
          }
          row += plane
        }
      }
    }
  }

  /// Window maximum per plane (padding never wins; a NaN is replaced by any later non-NaN value,
  /// so a window is NaN only when all its inputs are, as in the reference).
  static func maxPool(_ x: UnsafePointer<Float>, planes: Int, _ w: Window2D, into y: UnsafeMutablePointer<Float>) {
    for p in 0..<planes {
      let src = x + p * w.inputPlane, dst = y + p * w.outputPlane
      for oy in 0..<w.outputHeight {
        for ox in 0..<w.outputWidth {
          var best: Float = 0, found = false
          for ky in 0..<w.kernelHeight {
            let iy = oy * w.strideY - w.padTop + ky * w.dilationY
            guard iy >= 0, iy < w.height else { continue }
            for kx in 0..<w.kernelWidth {
              let ix = ox * w.strideX - w.padLeft + kx * w.dilationX
              guard ix >= 0, ix < w.width else { continue }
              let v = src[iy * w.width + ix]
              if !found || v > best || (best.isNaN && !v.isNaN) {
                best = v
                found = true
              }
            }
          }
          dst[oy * w.outputWidth + ox] = best
        }
      }
    }
  }

  /// Window mean per plane: the sum of the taps inside the input over `rows[oy] · columns[ox]`
  /// (the tap counts ``Window2D/tapCounts(vertical:includePadding:)`` gives); 0 for an empty count.
  static func averagePool(
    _ x: UnsafePointer<Float>, planes: Int, _ w: Window2D, rows: [Int], columns: [Int], into y: UnsafeMutablePointer<Float>
  ) {
    for p in 0..<planes {
      let src = x + p * w.inputPlane, dst = y + p * w.outputPlane
      for oy in 0..<w.outputHeight {
        for ox in 0..<w.outputWidth {
          var sum: Double = 0
          for ky in 0..<w.kernelHeight {
            let iy = oy * w.strideY - w.padTop + ky * w.dilationY
            guard iy >= 0, iy < w.height else { continue }
            for kx in 0..<w.kernelWidth {
              let ix = ox * w.strideX - w.padLeft + kx * w.dilationX
              if ix >= 0, ix < w.width { sum += Double(src[iy * w.width + ix]) }
            }
          }
          let n = rows[oy] * columns[ox]
          dst[oy * w.outputWidth + ox] = n > 0 ? Float(sum / Double(n)) : 0
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
