import Tessera
import TesseraQuantization

/// Output-column tiling of an int8 convolution, for layers with fewer channels than a kernel's NR.
///
/// `T` horizontally adjacent output positions become one GEMM row: the window widens to
/// `kw' = (T − 1)·sx + kw` columns and steps `T·sx`, and the filter matrix becomes
/// `W'[(q, o), (i, j', c)] = W[o, i, j' − q·sx, c]` (0 outside the filter), `T·N` columns. Each
/// GEMM row then produces `T` consecutive HWC output positions, so the output layout is
/// unchanged, and every accumulator is the same integer sum (the added weights are 0) — the
/// result is bit-identical. It turns LeNet's first layer (N = 6 on NR = 16) from 784 rows × 6 of
/// 16 useful columns into 392 rows × 12 of 16.
struct ConvTiling {
  /// Output positions per GEMM row.
  let t: Int
  /// The widened window.
  let geometry: WindowGeometry
  /// The kernel.
  let kernel: Int8Kernel

  /// Chooses `T` (dividing the output width, at most 8) and the kernel among those of `default`'s
  /// ISA with the least padded work `⌈M'/MR⌉·MR · ⌈T·N/NR⌉·NR · ⌈K'/KR⌉·KR` (`T = 1` and the
  /// dispatch default win ties).
  init(_ g: WindowGeometry, outputs n: Int, default: Int8Kernel) throws {
    func up(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b * b }
    var best: (work: Int, t: Int, geometry: WindowGeometry, kernel: Int8Kernel)?
    let kernels = [`default`] + Int8Kernel.all(isa: `default`.isa, op: .gemm).filter { $0.isSupported && $0 != `default` }
    for t in 1...8 where g.outputWidth % t == 0 {
      let wide = try WindowGeometry(
        channels: g.channels, height: g.height, width: g.width,
        kernel: (g.kernelHeight, (t - 1) * g.strideX + g.kernelWidth), stride: (g.strideY, t * g.strideX),
        padding: (g.padY, g.padX), what: "conv tiling")
      guard wide.outputWidth * t == g.outputWidth, wide.outputHeight == g.outputHeight else { continue }
      for kernel in kernels {
        let work = up(wide.outputPixels, kernel.mr) * up(t * n, kernel.nr) * up(wide.patchSize, kernel.kr)
        if best == nil || work < best!.work { best = (work, t, wide, kernel) }
      }
    }
    t = best!.t
    geometry = best!.geometry
    kernel = best!.kernel
  }

  /// `W'` from HWC-ordered filters `[N, kh, kw, C]`.
  func widenedCodes(_ hwc: [Int8], outputs n: Int, original g: WindowGeometry) -> [Int8] {
    let c = g.channels, kh = g.kernelHeight, kw = g.kernelWidth, kw2 = geometry.kernelWidth, k2 = geometry.patchSize
    var out = [Int8](repeating: 0, count: t * n * k2)
    for q in 0..<t {
      for o in 0..<n {
        let row = (q * n + o) * k2
        for i in 0..<kh {
          for j in 0..<kw {
            let j2 = j + q * g.strideX
            for ch in 0..<c { out[row + (i * kw2 + j2) * c + ch] = hwc[o * g.patchSize + (i * kw + j) * c + ch] }
          }
        }
      }
    }
    return out
  }

  /// A per-channel array repeated for each of the `T` positions.
  func repeated<T>(_ values: [T]) -> [T] { (0..<t).flatMap { _ in values } }
}
