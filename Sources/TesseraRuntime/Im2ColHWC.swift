import Foundation
import TesseraQuantization

/// The engine's im2col over HWC samples, on raw bytes so one routine serves `Int8` and `Float`.
///
/// Step 1 copies the sample into a padded buffer `[(H + 2py), (W + 2px), C]` filled with the
/// padding byte (the input zero point for int8, 0.0 for float). Step 2 writes, for every output
/// position `p = oy·OW + ox` and kernel row `i`, the `kw · C` contiguous elements of padded row
/// `oy·sy + i` starting at column `ox·sx` — one short copy in 8-byte chunks that may overrun by up
/// to 7 bytes (later writes overwrite it; buffers carry ``slackBytes`` of slack). The result
/// equals ``Im2Col/hwcRows(_:_:padding:into:)``: row `p`, column `(i·kw + j)·C + c`.
enum Im2ColHWC {
  /// Extra bytes after the padded buffer and after the rows, for the chunked copies.
  static let slackBytes = 64

  /// Bytes of the padded copy of one sample (slack included).
  static func paddedBytes(_ g: WindowGeometry, elementSize: Int) -> Int {
    (g.height + 2 * g.padY) * (g.width + 2 * g.padX) * g.channels * elementSize + slackBytes
  }

  /// Writes the patch rows of one sample.
  /// - Parameters:
  ///   - x: the sample, HWC.
  ///   - g: the window.
  ///   - elementSize: 1 (int8) or 4 (float).
  ///   - padByte: the byte every padding element is made of.
  ///   - padded: ``paddedBytes(_:elementSize:)`` bytes of scratch.
  ///   - rows: `outputPixels × patchSize` elements (+ ``slackBytes``).
  static func rows(
    _ x: UnsafeRawPointer, _ g: WindowGeometry, elementSize e: Int, padByte: UInt8,
    padded: UnsafeMutableRawPointer, into rows: UnsafeMutableRawPointer
  ) {
    let c = g.channels, wp = g.width + 2 * g.padX, hp = g.height + 2 * g.padY
    let rowBytes = wp * c * e, imageRow = g.width * c * e
    if g.padX > 0 || g.padY > 0 { memset(padded, Int32(padByte), hp * rowBytes) }
    for y in 0..<g.height {
      memcpy(padded + ((y + g.padY) * wp + g.padX) * c * e, x + y * imageRow, imageRow)
    }
    let span = g.kernelWidth * c * e, chunks = (span + 7) / 8
    switch chunks {
    case 1: gather(padded, g, rowBytes: rowBytes, span: span, into: rows, chunks: 1)
    case 2: gather(padded, g, rowBytes: rowBytes, span: span, into: rows, chunks: 2)
    case 3: gather(padded, g, rowBytes: rowBytes, span: span, into: rows, chunks: 3)
    case 4: gather(padded, g, rowBytes: rowBytes, span: span, into: rows, chunks: 4)
    default: gather(padded, g, rowBytes: rowBytes, span: span, into: rows, chunks: chunks)
    }
  }

  /// Step 2 with the chunk count as a constant after inlining (one unrolled copy per kernel row).
  @inline(__always)
  static func gather(
    _ padded: UnsafeMutableRawPointer, _ g: WindowGeometry, rowBytes: Int, span: Int, into rows: UnsafeMutableRawPointer,
    chunks: Int
  ) {
    let elementBytes = rowBytes / (g.width + 2 * g.padX) / g.channels
    let stepX = g.strideX * g.channels * elementBytes, stepY = g.strideY * rowBytes
    let kh = g.kernelHeight
    var out = rows
    for oy in 0..<g.outputHeight {
      var base = UnsafeRawPointer(padded) + oy * stepY
      for _ in 0..<g.outputWidth {
        var src = base
        for _ in 0..<kh {
          for chunk in 0..<chunks {
            out.storeBytes(of: src.loadUnaligned(fromByteOffset: 8 * chunk, as: UInt64.self), toByteOffset: 8 * chunk, as: UInt64.self)
          }
          out += span
          src += rowBytes
        }
        base += stepX
      }
    }
  }
}
