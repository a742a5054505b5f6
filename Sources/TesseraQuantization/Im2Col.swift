/// Patch extraction for convolutions as GEMMs (docs/quantization.md §4).
public enum Im2Col {
  /// Rows of patches from one CHW sample: `rows[P, C·kh·kw]`, row `p = oy·OW + ox` holding
  /// `x[c, oy·sy − py + i, ox·sx − px + j]` at column `(c·kh + i)·kw + j` (`padding` outside).
  /// This is the column order of a `[O, C, kh, kw]` filter tensor.
  /// - Parameters:
  ///   - x: one sample, `geometry.inputCount` values in CHW order.
  ///   - geometry: the window.
  ///   - padding: value for positions outside the image (0 for floats, the zero point for codes).
  ///   - rows: output, `outputPixels × patchSize` values.
  public static func chwRows<T>(
    _ x: UnsafePointer<T>, _ geometry: WindowGeometry, padding: T, into rows: UnsafeMutablePointer<T>
  ) {
    let g = geometry
    let oh = g.outputHeight, ow = g.outputWidth, k = g.patchSize
    for oy in 0..<oh {
      for ox in 0..<ow {
        let row = rows + (oy * ow + ox) * k
        var column = 0
        for c in 0..<g.channels {
          let plane = x + c * g.height * g.width
          for i in 0..<g.kernelHeight {
            let iy = oy * g.strideY - g.padY + i
            for j in 0..<g.kernelWidth {
              let ix = ox * g.strideX - g.padX + j
              row[column] = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width ? plane[iy * g.width + ix] : padding
              column += 1
            }
          }
        }
      }
    }
  }

  /// Rows of patches from one HWC sample: row `p` holds, for each window position `(i, j)`, the
  /// `C` contiguous channel values (`padding` outside): column `(i·kw + j)·C + c`. This is the
  /// column order of a filter permuted to `[O, kh, kw, C]`.
  /// - Parameters:
  ///   - x: one sample in HWC order.
  ///   - geometry: the window.
  ///   - padding: value for positions outside the image.
  ///   - rows: output, `outputPixels × patchSize` values.
  public static func hwcRows<T>(
    _ x: UnsafePointer<T>, _ geometry: WindowGeometry, padding: T, into rows: UnsafeMutablePointer<T>
  ) {
    let g = geometry
    let c = g.channels, oh = g.outputHeight, ow = g.outputWidth, k = g.patchSize
    for oy in 0..<oh {
      for ox in 0..<ow {
        var out = rows + (oy * ow + ox) * k
        for i in 0..<g.kernelHeight {
          let iy = oy * g.strideY - g.padY + i
          for j in 0..<g.kernelWidth {
            let ix = ox * g.strideX - g.padX + j
            if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
              out.update(from: x + (iy * g.width + ix) * c, count: c)
            } else {
              out.update(repeating: padding, count: c)
            }
            out += c
          }
        }
      }
    }
  }

  /// Permutes a `[O, C, kh, kw]` filter tensor to `[O, kh, kw, C]` (the HWC row order).
  public static func filtersToHWC<T>(_ w: [T], outputs: Int, _ g: WindowGeometry) -> [T] {
    var out = w
    let kh = g.kernelHeight, kw = g.kernelWidth, c = g.channels
    for o in 0..<outputs {
      for ch in 0..<c {
        for i in 0..<kh {
          for j in 0..<kw {
            out[o * g.patchSize + (i * kw + j) * c + ch] = w[o * g.patchSize + (ch * kh + i) * kw + j]
          }
        }
      }
    }
    return out
  }

  /// The permutation of a `[C, H, W]`-flattened vector into `[H, W, C]` order: `result[hwc] = chw`.
  public static func chwToHWCIndex(channels c: Int, height h: Int, width w: Int) -> [Int] {
    var index = [Int](repeating: 0, count: c * h * w)
    for ch in 0..<c {
      for y in 0..<h {
        for x in 0..<w { index[(y * w + x) * c + ch] = (ch * h + y) * w + x }
      }
    }
    return index
  }
}
