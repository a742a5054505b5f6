/// Geometry of a 2-D convolution or pooling window over NCHW input.
struct ConvGeometry: Equatable {
  var channels: Int, height: Int, width: Int
  var kernelHeight: Int, kernelWidth: Int
  var strideY: Int, strideX: Int
  var padY: Int, padX: Int

  var outputHeight: Int { (height + 2 * padY - kernelHeight) / strideY + 1 }
  var outputWidth: Int { (width + 2 * padX - kernelWidth) / strideX + 1 }
  /// Output pixels per sample and channel.
  var outputPixels: Int { outputHeight * outputWidth }
  /// Rows of the column matrix: channels × kernel area.
  var patchSize: Int { channels * kernelHeight * kernelWidth }
  /// Output columns `ox` whose input column `ox·sx − px + j` lies inside `[0, W)`, as a
  /// half-open range `(start, end)` (empty when start ≥ end).
  func validColumns(kernelColumn j: Int) -> (Int, Int) {
    let start = max(0, ceilDiv(padX - j, strideX))
    let end = min(outputWidth, floorDiv(width - 1 + padX - j, strideX) + 1)
    return (start, end)
  }

  /// True when at least one output pixel exists.
  var isValid: Bool {
    height + 2 * padY >= kernelHeight && width + 2 * padX >= kernelWidth
      && kernelHeight > 0 && kernelWidth > 0 && strideY > 0 && strideX > 0 && padY >= 0 && padX >= 0
  }
}

/// im2col for a batch: `columns[K = C·kh·kw][batch · P]` with `P = OH·OW`; row `(c, i, j)` and
/// column `(n, oy, ox)` hold `x[n, c, oy·sy − py + i, ox·sx − px + j]` (zero outside the image).
///
/// - Complexity: O(K · batch · P).
func im2col(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>
) {
  let oh = g.outputHeight, ow = g.outputWidth, pixels = oh * ow
  let rowLength = batch * pixels
  let imageSize = g.height * g.width
  for c in 0..<g.channels {
    for i in 0..<g.kernelHeight {
      for j in 0..<g.kernelWidth {
        let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * rowLength
        // Output columns ox whose input column ix = ox·sx − px + j lies inside [0, W).
        let (oxStart, oxEnd) = g.validColumns(kernelColumn: j)
        for n in 0..<batch {
          let image = x + (n * g.channels + c) * imageSize
          for oy in 0..<oh {
            let out = row + n * pixels + oy * ow
            let iy = oy * g.strideY - g.padY + i
            guard iy >= 0 && iy < g.height, oxStart < oxEnd else {
              out.update(repeating: 0, count: ow)
              continue
            }
            if oxStart > 0 { out.update(repeating: 0, count: oxStart) }
            if oxEnd < ow { (out + oxEnd).update(repeating: 0, count: ow - oxEnd) }
            let line = image + iy * g.width - g.padX + j
            if g.strideX == 1 {
              (out + oxStart).update(from: line + oxStart, count: oxEnd - oxStart)
            } else {
              for ox in oxStart..<oxEnd { out[ox] = line[ox * g.strideX] }
            }
          }
        }
      }
    }
  }
}

/// col2im for a batch: the adjoint of ``im2col(_:batch:_:into:)``; accumulates every column
/// entry into the input position it was read from. `dx` must be zeroed by the caller.
///
/// - Complexity: O(K · batch · P).
func col2im(
  _ columns: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>
) {
  let oh = g.outputHeight, ow = g.outputWidth, pixels = oh * ow
  let rowLength = batch * pixels
  let imageSize = g.height * g.width
  for c in 0..<g.channels {
    for i in 0..<g.kernelHeight {
      for j in 0..<g.kernelWidth {
        let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * rowLength
        let (oxStart, oxEnd) = g.validColumns(kernelColumn: j)
        guard oxStart < oxEnd else { continue }
        for n in 0..<batch {
          let image = dx + (n * g.channels + c) * imageSize
          for oy in 0..<oh {
            let iy = oy * g.strideY - g.padY + i
            guard iy >= 0 && iy < g.height else { continue }
            let src = row + n * pixels + oy * ow
            let line = image + iy * g.width - g.padX + j
            for ox in oxStart..<oxEnd { line[ox * g.strideX] += src[ox] }
          }
        }
      }
    }
  }
}

/// ⌊a / b⌋ for b > 0.
@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

/// ⌈a / b⌉ for b > 0.
@inline(__always)
func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
