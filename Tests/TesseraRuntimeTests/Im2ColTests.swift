import Testing
import TesseraQuantization
@testable import TesseraRuntime

@Suite("HWC im2col")
struct Im2ColTests {
  static let geometries: [(c: Int, h: Int, w: Int, kh: Int, kw: Int, sy: Int, sx: Int, py: Int, px: Int)] = [
    (1, 28, 28, 5, 5, 1, 1, 2, 2), (6, 14, 14, 5, 5, 1, 1, 0, 0), (3, 9, 7, 3, 2, 2, 3, 1, 0),
    (5, 6, 6, 1, 1, 1, 1, 0, 0), (2, 8, 11, 4, 6, 2, 2, 2, 3), (17, 5, 5, 3, 3, 1, 2, 1, 1),
  ]

  /// The chunked engine copy equals the plain reference (`Im2Col.hwcRows`) for int8 and float
  /// (strides, uneven padding, many channels, 1×1).
  @Test(arguments: 0..<geometries.count)
  func chunkedCopyEqualsReference(index: Int) throws {
    let t = Self.geometries[index]
    let g = try WindowGeometry(channels: t.c, height: t.h, width: t.w, kernel: (t.kh, t.kw), stride: (t.sy, t.sx), padding: (t.py, t.px), what: "g")
    let n = g.outputPixels * g.patchSize
    let x8 = (0..<g.inputCount).map { Int8(truncatingIfNeeded: $0 * 37 + 11) }
    var expected8 = [Int8](repeating: 0, count: n)
    x8.withUnsafeBufferPointer { xp in expected8.withUnsafeMutableBufferPointer { Im2Col.hwcRows(xp.baseAddress!, g, padding: -7, into: $0.baseAddress!) } }
    var got8 = [Int8](repeating: 99, count: n + Im2ColHWC.slackBytes)
    var padded = [UInt8](repeating: 0, count: Im2ColHWC.paddedBytes(g, elementSize: 4))
    x8.withUnsafeBytes { xp in got8.withUnsafeMutableBytes { yp in padded.withUnsafeMutableBytes { pp in
      Im2ColHWC.rows(xp.baseAddress!, g, elementSize: 1, padByte: UInt8(bitPattern: -7), padded: pp.baseAddress!, into: yp.baseAddress!)
    } } }
    #expect(Array(got8[0..<n]) == expected8)

    let xf = (0..<g.inputCount).map { Float($0) * 0.5 - 3 }
    var expectedF = [Float](repeating: 0, count: n)
    xf.withUnsafeBufferPointer { xp in expectedF.withUnsafeMutableBufferPointer { Im2Col.hwcRows(xp.baseAddress!, g, padding: 0, into: $0.baseAddress!) } }
    var gotF = [Float](repeating: 99, count: n + Im2ColHWC.slackBytes / 4)
    xf.withUnsafeBytes { xp in gotF.withUnsafeMutableBytes { yp in padded.withUnsafeMutableBytes { pp in
      Im2ColHWC.rows(xp.baseAddress!, g, elementSize: 4, padByte: 0, padded: pp.baseAddress!, into: yp.baseAddress!)
    } } }
    #expect(Array(gotF[0..<n]) == expectedF)
  }
}
