import CTesseraKernels
import Testing

/// Kernel selection: the automatic choice and the TESSERA_ISA override (given as a parameter
/// through tsr_qs8_select_kernel_for, so no environment changes are needed).
@Suite("Dispatch")
struct DispatchTests {
  /// Selects with `word` as the override; returns the kernel (or nil) and the message.
  func select(_ op: tsr_op, _ word: String?) -> (UnsafePointer<tsr_qs8_kernel>?, String) {
    var err = [CChar](repeating: 0, count: 200)
    let kernel = word.map { tsr_qs8_select_kernel_for(op, $0, &err, err.count) }
      ?? tsr_qs8_select_kernel_for(op, nil, &err, err.count)
    return (kernel, cString(err))
  }

  static let preference: [tsr_isa] = [TSR_ISA_AVX512AMX, TSR_ISA_AVX512VNNI, TSR_ISA_AVXVNNI, TSR_ISA_NEONI8MM, TSR_ISA_NEONDOT, TSR_ISA_AVX2,
                                      TSR_ISA_SCALAR]

  /// The ISA whose qs8 kernels run on `isa`: AMX has only qd8 kernels and runs AVX-512 VNNI ones.
  static func qs8ISA(_ isa: tsr_isa) -> tsr_isa { isa == TSR_ISA_AVX512AMX ? TSR_ISA_AVX512VNNI : isa }

  @Test("automatic choice is the most capable usable ISA's first kernel", arguments: [TSR_OP_GEMM, TSR_OP_GEMV])
  func automatic(_ op: tsr_op) throws {
    let (kernel, err) = select(op, nil)
    let chosen = try #require(kernel, "no kernel: \(err)")
    #expect(err.isEmpty)
    let best = try #require(Self.preference.first { tsr_isa_compiled($0) != 0 && tsr_isa_supported($0) != 0 })
    #expect(chosen.pointee.isa == Self.qs8ISA(best))
    #expect(chosen == tsr_qs8_kernel_for_isa(op, best))
    // An empty override means automatic too.
    #expect(select(op, "").0 == chosen)
  }

  @Test("scalar can always be forced", arguments: [TSR_OP_GEMM, TSR_OP_GEMV])
  func forceScalar(_ op: tsr_op) throws {
    let kernel = try #require(select(op, "scalar").0)
    #expect(kernel.pointee.isa == TSR_ISA_SCALAR)
  }

  @Test("each usable ISA can be forced and is honoured")
  func forceEach() {
    for raw in 0..<TSR_ISA_COUNT.rawValue {
      let isa = tsr_isa(rawValue: raw)
      let word = String(cString: tsr_isa_name(isa))
      let (kernel, err) = select(TSR_OP_GEMM, word)
      if tsr_isa_compiled(isa) != 0 && tsr_isa_supported(isa) != 0 {
        #expect(kernel?.pointee.isa == Self.qs8ISA(isa), "\(word): \(err)")
        #expect(kernel?.pointee.op == TSR_OP_GEMM)
      } else {
        #expect(kernel == nil)
        #expect(err.hasPrefix("TESSERA_ISA=\(word): "), "\(err)")
        let reason = tsr_isa_compiled(isa) == 0 ? "this build has no" : "this CPU does not support"
        #expect(err.contains(reason), "\(err)")
      }
    }
  }

  @Test("an unknown ISA word is refused with a message naming it")
  func unknownWord() {
    let (kernel, err) = select(TSR_OP_GEMM, "avx1024")
    #expect(kernel == nil)
    #expect(err.contains("TESSERA_ISA=avx1024"))
    #expect(err.contains("unknown"))
    #expect(!err.contains("\n"))
  }

  @Test("GEMV selection falls back to the ISA's GEMM kernel only when it has no GEMV kernel")
  func gemvFallback() {
    for raw in 0..<TSR_ISA_COUNT.rawValue {
      let isa = tsr_isa(rawValue: raw)
      guard tsr_isa_supported(isa) != 0, tsr_isa_compiled(isa) != 0 else {
        #expect(tsr_qs8_kernel_for_isa(TSR_OP_GEMV, isa) == nil)
        continue
      }
      let hasGEMV = KernelID.all(isa: Self.qs8ISA(isa)).contains { $0.kernel.pointee.op == TSR_OP_GEMV }
      let kernel = tsr_qs8_kernel_for_isa(TSR_OP_GEMV, isa)
      #expect(kernel?.pointee.isa == Self.qs8ISA(isa))
      #expect(kernel?.pointee.op == (hasGEMV ? TSR_OP_GEMV : TSR_OP_GEMM))
    }
  }
}
