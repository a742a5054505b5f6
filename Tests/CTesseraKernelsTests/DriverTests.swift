import CTesseraKernels
import Testing

/// The blocking driver (tsr_qs8_qc8w_gemm_run): several row tiles and column chunks,
/// disjoint sub-blocks as threads would run them, and 4 KiB-aliased activation rows.
@Suite("GEMM driver")
struct DriverTests {
  static var supported: [KernelID] {
    (0..<tsr_qs8_kernel_count()).compactMap { i in
      let k = tsr_qs8_kernel_at(i)!.pointee
      return tsr_isa_supported(k.isa) != 0 ? KernelID(index: i, name: String(cString: k.name)) : nil
    }
  }

  @Test("sub-blocks equal the reference", arguments: supported)
  func subBlocks(_ id: KernelID) {
    let kernel = id.kernel
    let mr = Int(kernel.pointee.mr), nr = Int(kernel.pointee.nr)
    var rng = SplitMix64(state: 42 &+ UInt64(id.index))
    let m = 2 * mr + 3, n = 3 * nr + 5, k = 70
    let problem = GemmProblem(rows: m, cols: n, maxK: k, aStride: nextPrime(k + 1), rng: &rng)
    // Row cuts inside tiles; column cuts on multiples of NR, as the contract requires.
    let rowCuts = [0, 1, mr + 2, m]
    let colCuts = [0, nr, 3 * nr, n]
    let failure = problem.mismatch(kernel: kernel, m: m, n: n, k: k, q: .random(&rng), rowCuts: rowCuts, colCuts: colCuts)
    #expect(failure == nil, "\(id.name): \(failure ?? "")")
  }

  @Test("whole problems through the driver", arguments: supported)
  func wholeProblems(_ id: KernelID) {
    let kernel = id.kernel
    let mr = Int(kernel.pointee.mr), nr = Int(kernel.pointee.nr)
    var rng = SplitMix64(state: 7 &+ UInt64(id.index))
    for (m, n, k) in [(mr + 5, 2 * nr + 7, 131), (3, 5 * nr, 300)] {
      let problem = GemmProblem(rows: m, cols: n, maxK: k, aStride: nextPrime(k + 3), rng: &rng)
      let failure = problem.mismatch(kernel: kernel, m: m, n: n, k: k, q: .random(&rng))
      #expect(failure == nil, "\(id.name): \(failure ?? "")")
    }
  }

  @Test("activation rows 4 KiB apart", arguments: supported)
  func aliasedRows(_ id: KernelID) {
    let kernel = id.kernel
    let mr = Int(kernel.pointee.mr), nr = Int(kernel.pointee.nr)
    var rng = SplitMix64(state: 99 &+ UInt64(id.index))
    let m = 2 * mr + 1, n = nr + 3, k = 45
    let problem = GemmProblem(rows: m, cols: n, maxK: k, aStride: 4096, rng: &rng)
    let failure = problem.mismatch(kernel: kernel, m: m, n: n, k: k, q: .random(&rng))
    #expect(failure == nil, "\(id.name): \(failure ?? "")")
  }
}
