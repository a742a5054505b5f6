import CTesseraKernels
import Testing

/// Every enumerated kernel against the scalar reference, one parameterized test per ISA;
/// a test whose ISA this CPU lacks is reported as skipped.
@Suite("Kernels equal the reference")
struct GemmKernelTests {
  @Test("scalar", arguments: KernelID.all(isa: TSR_ISA_SCALAR))
  func scalar(_ id: KernelID) { sweep(id) }

  @Test("AVX2", .enabled(if: tsr_isa_supported(TSR_ISA_AVX2) != 0), arguments: KernelID.all(isa: TSR_ISA_AVX2))
  func avx2(_ id: KernelID) { sweep(id) }

  @Test("AVX-512 VNNI", .enabled(if: tsr_isa_supported(TSR_ISA_AVX512VNNI) != 0),
        arguments: KernelID.all(isa: TSR_ISA_AVX512VNNI))
  func avx512vnni(_ id: KernelID) { sweep(id) }

  @Test("AVX-VNNI", .enabled(if: tsr_isa_supported(TSR_ISA_AVXVNNI) != 0), arguments: KernelID.all(isa: TSR_ISA_AVXVNNI))
  func avxvnni(_ id: KernelID) { sweep(id) }

  @Test("NEON dot product", .enabled(if: tsr_isa_supported(TSR_ISA_NEONDOT) != 0),
        arguments: KernelID.all(isa: TSR_ISA_NEONDOT))
  func neondot(_ id: KernelID) { sweep(id) }

  @Test("NEON i8mm", .enabled(if: tsr_isa_supported(TSR_ISA_NEONI8MM) != 0),
        arguments: KernelID.all(isa: TSR_ISA_NEONI8MM))
  func neoni8mm(_ id: KernelID) { sweep(id) }

  /// m = 1…MR+1 (MR+1 goes through the driver), n = 1…2·NR+1, k around KR and primes;
  /// random zero points (extremes included), clamps, seeds and scales per case.
  func sweep(_ id: KernelID) {
    let kernel = id.kernel
    let mr = Int(kernel.pointee.mr), nr = Int(kernel.pointee.nr), kr = Int(kernel.pointee.kr)
    let ks = Array(Set([1, max(kr - 1, 2), kr, kr + 1, 2 * kr, 7, 13, 31, 67, 8 * kr + 3])).sorted()
    var rng = SplitMix64(state: 0x7E55_E1A0 &+ UInt64(id.index) &* 7919)
    let maxK = ks.max()!
    let problem = GemmProblem(rows: mr + 1, cols: 2 * nr + 1, maxK: maxK, aStride: nextPrime(maxK + 2), rng: &rng)
    var failures: [String] = []
    var cases = 0
    for k in ks {
      for m in 1...(mr + 1) {
        for n in 1...(2 * nr + 1) {
          cases += 1
          if let f = problem.mismatch(kernel: kernel, m: m, n: n, k: k, q: .random(&rng)) { failures.append(f) }
        }
      }
    }
    let failed = failures.count
    #expect(cases > 0)
    #expect(failed == 0, "\(id.name): \(failed) of \(cases) cases differ, first: \(failures.prefix(3).joined(separator: "; "))")
  }
}
