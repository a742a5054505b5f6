import Testing
import TesseraQuantization
@testable import TesseraRuntime

/// Max pooling over HWC batches against a direct window loop, for the general path and the
/// strided path of two-wide windows with few channels.
@Suite struct PoolingTests {
  /// The window maximum written out directly (padded positions never win).
  func reference(_ x: [Int8], _ g: WindowGeometry, count: Int) -> [Int8] {
    var y = [Int8]()
    for n in 0..<count {
      for oy in 0..<g.outputHeight {
        for ox in 0..<g.outputWidth {
          for ch in 0..<g.channels {
            var m = Int8.min
            for ky in 0..<g.kernelHeight {
              for kx in 0..<g.kernelWidth {
                let iy = oy * g.strideY - g.padY + ky, ix = ox * g.strideX - g.padX + kx
                guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                m = max(m, x[n * g.inputCount + (iy * g.width + ix) * g.channels + ch])
              }
            }
            y.append(m)
          }
        }
      }
    }
    return y
  }

  @Test(arguments: [1, 3, 6, 8, 9, 16])
  func int8MaxMatchesTheWindowLoop(channels: Int) throws {
    for (kernel, stride, padding) in [((2, 2), (2, 2), (0, 0)), ((2, 2), (1, 1), (0, 0)), ((2, 2), (3, 3), (0, 0)),
      ((2, 2), (2, 2), (1, 1)), ((3, 3), (2, 2), (1, 1)), ((3, 2), (1, 2), (0, 0))]
    {
      let g = try WindowGeometry(channels: channels, height: 7, width: 9, kernel: kernel, stride: stride, padding: padding, what: "test")
      let count = 2
      let x = (0..<(count * g.inputCount)).map { Int8(truncatingIfNeeded: ($0 &* 97 &+ 13) % 251) }
      var y = [Int8](repeating: 0, count: count * g.outputPixels * channels)
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in Pooling.max(xp.baseAddress!, g, count: count, into: yp.baseAddress!) }
      }
      #expect(y == reference(x, g, count: count), "kernel \(kernel) stride \(stride) padding \(padding)")
    }
  }
}
