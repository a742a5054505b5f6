import CTesseraKernels
import Testing

/// The kernel table built from the enumerators: names are specs, layouts are consistent.
@Suite("Kernel registry")
struct RegistryTests {
  static var all: [KernelID] {
    (0..<tsr_qs8_kernel_count()).map { KernelID(index: $0, name: String(cString: tsr_qs8_kernel_at($0)!.pointee.name)) }
  }

  @Test("the registry lists scalar GEMM kernels on every machine")
  func hasScalar() {
    #expect(KernelID.all(isa: TSR_ISA_SCALAR).contains { $0.kernel.pointee.op == TSR_OP_GEMM })
    #expect(tsr_qs8_kernel_at(tsr_qs8_kernel_count()) == nil)
  }

  /// `tsr_qs8_qc8w_<op>_minmax_fp32_ukernel_<MR>x<NR>c<KR>__<isa>` must match the entry.
  @Test("name encodes op, MR, NR, KR and ISA", arguments: all)
  func nameIsSpec(_ id: KernelID) throws {
    let k = id.kernel.pointee
    let op = k.op == TSR_OP_GEMM ? "gemm" : "gemv"
    let prefix = "tsr_qs8_qc8w_\(op)_minmax_fp32_ukernel_"
    #expect(id.name.hasPrefix(prefix))
    let spec = id.name.dropFirst(prefix.count)
    let parts = spec.split(separator: "_", omittingEmptySubsequences: false)
    // "<MR>x<NR>c<KR>", "", "<isa>"
    try #require(parts.count == 3)
    #expect(String(parts[2]) == String(cString: tsr_isa_name(k.isa)))
    #expect(String(parts[0]) == "\(k.mr)x\(k.nr)c\(k.kr)")
    if k.op == TSR_OP_GEMV { #expect(k.mr == 1) }
  }

  @Test("entries have functions and 64-byte panels", arguments: all)
  func layout(_ id: KernelID) {
    let k = id.kernel
    #expect(k.pointee.ukernel != nil)
    #expect(k.pointee.pack != nil)
    #expect(k.pointee.mr >= 1 && k.pointee.nr >= 1 && k.pointee.kr >= 1)
    for kc in [1, 7, 64, 1000] {
      let panel = tsr_qs8_qc8w_packed_panel_bytes(k, kc)
      let nr = Int(k.pointee.nr), kr = Int(k.pointee.kr)
      #expect(panel % 64 == 0)
      #expect(panel >= nr * 4 + nr * ((kc + kr - 1) / kr * kr))
      #expect(panel < nr * 4 + nr * ((kc + kr - 1) / kr * kr) + 64)
      #expect(tsr_qs8_qc8w_packed_size(k, 3 * nr + 1, kc) == 4 * panel)
    }
  }

  @Test("ISA words round-trip")
  func isaWords() {
    for raw in 0..<TSR_ISA_COUNT.rawValue {
      let isa = tsr_isa(rawValue: raw)
      #expect(tsr_isa_from_name(tsr_isa_name(isa)) == Int32(raw))
    }
    #expect(tsr_isa_from_name("avx513") == -1)
    #expect(tsr_isa_from_name(nil) == -1)
    #expect(String(cString: tsr_isa_name(TSR_ISA_AVX512VNNI)) == "avx512vnni")
  }

  @Test("ISAs with kernels are compiled; scalar is always supported")
  func compiledAndSupported() {
    #expect(tsr_isa_compiled(TSR_ISA_SCALAR) == 1)
    #expect(tsr_isa_supported(TSR_ISA_SCALAR) == 1)
    for raw in 0..<TSR_ISA_COUNT.rawValue {
      let isa = tsr_isa(rawValue: raw)
      #expect((tsr_isa_compiled(isa) != 0) == (!KernelID.all(isa: isa).isEmpty || !Qd8KernelID.all(isa: isa).isEmpty))
    }
    // AVX-512 VNNI implies the features its kernels use.
    if tsr_isa_supported(TSR_ISA_AVX512VNNI) != 0 {
      let f = tsr_cpu_features()
      #expect(f & UInt32(TSR_CPU_AVX512BW) != 0)
      #expect(f & UInt32(TSR_CPU_AVX512VL) != 0)
    }
  }

  @Test("the CPU brand is a non-empty string")
  func brand() {
    var buf = [CChar](repeating: 1, count: 64)
    tsr_cpu_brand(&buf, buf.count)
    let brand = cString(buf)
    #expect(!brand.isEmpty)
    #expect(brand.utf8.count < 64)
  }
}
