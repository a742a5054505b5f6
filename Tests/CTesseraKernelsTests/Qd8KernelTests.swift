import CTesseraKernels
import Foundation
import Testing

/// A qd8-f32-qc8w registry entry, by position, usable as a Swift Testing argument.
struct Qd8KernelID: Sendable, CustomStringConvertible {
  let index: Int
  let name: String

  var kernel: UnsafePointer<tsr_qd8_kernel> { tsr_qd8_kernel_at(index)! }
  var description: String { name }

  static func all(isa: tsr_isa) -> [Qd8KernelID] {
    (0..<tsr_qd8_kernel_count()).compactMap { i in
      let k = tsr_qd8_kernel_at(i)!.pointee
      return k.isa == isa ? Qd8KernelID(index: i, name: String(cString: k.name)) : nil
    }
  }

  static var all: [Qd8KernelID] {
    (0..<tsr_qd8_kernel_count()).map { Qd8KernelID(index: $0, name: String(cString: tsr_qd8_kernel_at($0)!.pointee.name)) }
  }
}

extension SplitMix64 {
  /// Uniform in [−1, 1] on a 1e-6 grid.
  mutating func unit() -> Float { Float(below(2_000_001)) / 1_000_000 - 1 }

  /// Symmetric int8 weights with ±127 over-represented and −128 now and then (accepted).
  mutating func weight() -> Int8 {
    switch below(16) {
    case 0: 127
    case 1: -127
    case 2: -128
    default: Int8(below(255) - 127)
    }
  }

  /// A row of one of the kinds the quantizer must handle identically on every ISA.
  mutating func row(_ k: Int, kind: Int) -> [Float] {
    let c = unit() * 10
    return (0..<k).map { i in
      switch kind {
      case 0: return unit() * 3
      case 1: return 0  // all zeros: scale 1, zero point 0
      case 2: return abs(c) + 0.5  // constant positive
      case 3: return -abs(c) - 0.5  // constant negative
      case 4: return unit() * 3e38  // ±huge: hi − lo overflows float
      case 5: return unit() * 1e-39  // denormals: scale floored at FLT_MIN
      case 6: return Float(below(511) - 255) * 0.5  // exact rounding ties
      default: return i % 7 == 0 ? unit() * 1e6 : unit()  // outliers
      }
    }
  }
}

/// Kernel output and reference output of one GEMM problem.
struct Qd8Problem {
  let m: Int, n: Int, k: Int
  var a: [UInt8]
  var params: [tsr_qd8_params]
  var w: [Int8]
  var wScale: [Float]
  var bias: [Float]?

  init(m: Int, n: Int, k: Int, rng: inout SplitMix64, unitScales: Bool = false) {
    self.m = m
    self.n = n
    self.k = k
    a = (0..<m * k).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    params = (0..<m).map { _ in
      let zp: Int32 = rng.below(4) == 0 ? [0, 255, 128][rng.below(3)] : Int32(rng.below(256))
      let s: Float = unitScales ? 1 : (rng.unit() + 1.5) / 255
      return tsr_qd8_params(zero_point: zp, scale: s, inv_scale: 1 / s)
    }
    w = (0..<n * k).map { _ in rng.weight() }
    wScale = (0..<n).map { _ in unitScales ? 1 : (rng.unit() + 1.5) / 127 }
    bias = !unitScales && rng.below(4) != 0 ? (0..<n).map { _ in rng.unit() * 4 } : nil
  }

  /// (kernel output, reference output) as bit patterns, row stride n + 3 (padding must stay untouched).
  func run(_ kernel: UnsafePointer<tsr_qd8_kernel>) -> ([UInt32], [UInt32]) {
    let entry = kernel.pointee
    let cStride = n + 3
    var c = [Float](repeating: .nan, count: m * cStride)
    var ref = c
    let packed = UnsafeMutableRawPointer.allocate(
      byteCount: max(tsr_qd8_f32_qc8w_packed_size(kernel, n, k), 64), alignment: 64)
    defer { packed.deallocate() }
    let withBias = { (body: (UnsafePointer<Float>?) -> Void) in
      if let bias { bias.withUnsafeBufferPointer { body($0.baseAddress) } } else { body(nil) }
    }
    withBias { b in
      entry.pack(n, k, Int(entry.nr), Int(entry.kr), w, k, wScale, b, packed)
      if m <= Int(entry.mr) {
        entry.ukernel(m, n, k, a, k, params, packed, &c, cStride)
      } else {
        tsr_qd8_f32_qc8w_gemm_run(kernel, 0, m, 0, n, k, a, k, params, packed, &c, cStride)
      }
      tsr_qd8_f32_qc8w_gemm_reference(m, n, k, a, k, params, w, k, wScale, b, &ref, cStride)
    }
    return (c.map(\.bitPattern), ref.map(\.bitPattern))
  }
}

/// Every enumerated qd8-f32-qc8w kernel (and its row quantizer) against the scalar reference,
/// one parameterized test per ISA; ISAs this CPU lacks are reported as skipped.
@Suite("qd8-f32-qc8w kernels equal the reference")
struct Qd8KernelTests {
  static let ms = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 64, 127]
  static let ns = [1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 384]
  static let ks = [1, 3, 4, 5, 7, 8, 15, 16, 31, 64, 65, 384, 1536]
  /// MiniLM-shaped layers (M, N, K).
  static let miniLM = [(1, 384, 384), (3, 1536, 384), (17, 384, 1536), (37, 1536, 384)]

  @Test("scalar", arguments: Qd8KernelID.all(isa: TSR_ISA_SCALAR))
  func scalar(_ id: Qd8KernelID) { sweep(id) }

  @Test("AVX2", .enabled(if: tsr_isa_supported(TSR_ISA_AVX2) != 0), arguments: Qd8KernelID.all(isa: TSR_ISA_AVX2))
  func avx2(_ id: Qd8KernelID) { sweep(id) }

  @Test("AVX-512 VNNI", .enabled(if: tsr_isa_supported(TSR_ISA_AVX512VNNI) != 0),
        arguments: Qd8KernelID.all(isa: TSR_ISA_AVX512VNNI))
  func avx512vnni(_ id: Qd8KernelID) { sweep(id) }

  @Test("AMX int8", .enabled(if: tsr_isa_supported(TSR_ISA_AVX512AMX) != 0),
        arguments: Qd8KernelID.all(isa: TSR_ISA_AVX512AMX))
  func avx512amx(_ id: Qd8KernelID) { sweep(id) }

  @Test("AVX-VNNI", .enabled(if: tsr_isa_supported(TSR_ISA_AVXVNNI) != 0), arguments: Qd8KernelID.all(isa: TSR_ISA_AVXVNNI))
  func avxvnni(_ id: Qd8KernelID) { sweep(id) }

  @Test("NEON dot product", .enabled(if: tsr_isa_supported(TSR_ISA_NEONDOT) != 0),
        arguments: Qd8KernelID.all(isa: TSR_ISA_NEONDOT))
  func neondot(_ id: Qd8KernelID) { sweep(id) }

  @Test("NEON i8mm", .enabled(if: tsr_isa_supported(TSR_ISA_NEONI8MM) != 0),
        arguments: Qd8KernelID.all(isa: TSR_ISA_NEONI8MM))
  func neoni8mm(_ id: Qd8KernelID) { sweep(id) }

  func sweep(_ id: Qd8KernelID) {
    var rng = SplitMix64(state: 0x0D8_F32 &+ UInt64(id.index) &* 7919)
    var failures: [String] = []
    var cases = 0
    // Quantizer: bytes and per-row parameters identical, on every row kind.
    for m in [1, 2, 5, 17] {
      for k in Self.ks {
        cases += 1
        if let f = quantizeMismatch(id, m: m, k: k, rng: &rng) { failures.append(f) }
      }
    }
    // GEMM: a grid (bounded work per case) plus the MiniLM shapes, bit for bit.
    var shapes: [(Int, Int, Int)] = []
    for m in Self.ms { for n in Self.ns { for k in Self.ks where m * n * k <= 1 << 17 { shapes.append((m, n, k)) } } }
    for (m, n, k) in shapes + Self.miniLM {
      cases += 1
      let (c, ref) = Qd8Problem(m: m, n: n, k: k, rng: &rng).run(id.kernel)
      if let at = c.indices.first(where: { c[$0] != ref[$0] }) {
        failures.append("m=\(m) n=\(n) k=\(k): C[\(at / (n + 3))][\(at % (n + 3))] = "
          + "\(Float(bitPattern: c[at])), expected \(Float(bitPattern: ref[at]))")
      }
    }
    #expect(cases > 0)
    #expect(failures.isEmpty, "\(id.name): \(failures.count) of \(cases) cases differ, first: \(failures.prefix(3))")
  }

  func quantizeMismatch(_ id: Qd8KernelID, m: Int, k: Int, rng: inout SplitMix64) -> String? {
    let x = (0..<m).flatMap { i in rng.row(k, kind: (i + k) % 8) }
    var q = [UInt8](repeating: 0xA5, count: m * k), qRef = q
    var p = [tsr_qd8_params](repeating: .init(), count: m), pRef = p
    id.kernel.pointee.quantize(m, k, x, k, &q, k, &p)
    tsr_f32_qd8_quantize_reference(m, k, x, k, &qRef, k, &pRef)
    for i in 0..<m where p[i].zero_point != pRef[i].zero_point || p[i].scale.bitPattern != pRef[i].scale.bitPattern
      || p[i].inv_scale.bitPattern != pRef[i].inv_scale.bitPattern {
      return "\(id.kernel.pointee.quantize_name.map { String(cString: $0) } ?? "?") m=\(m) k=\(k) row \(i): params differ"
    }
    if let at = q.indices.first(where: { q[$0] != qRef[$0] }) {
      return "quantize m=\(m) k=\(k): q[\(at / k)][\(at % k)] = \(q[at]), expected \(qRef[at]) (x = \(x[at]))"
    }
    return nil
  }

  @Test("int32 accumulators are exact (unit scales, no bias: the float output is the integer)",
        arguments: Qd8KernelID.all.filter { tsr_isa_supported($0.kernel.pointee.isa) != 0 })
  func exactAccumulators(_ id: Qd8KernelID) {
    var rng = SplitMix64(state: 0xACC &+ UInt64(id.index))
    // |acc| ≤ 255 · 128 · 64 < 2^24, so (float)acc is exact.
    for (m, n, k) in [(1, 33, 64), (5, 17, 7), (13, 65, 64), (3, 384, 31)] {
      let problem = Qd8Problem(m: m, n: n, k: k, rng: &rng, unitScales: true)
      var acc = [Int32](repeating: 0, count: m * n)
      tsr_qd8_qc8w_gemm_reference_acc(m, n, k, problem.a, k, problem.params, problem.w, k, &acc, n)
      let (c, _) = problem.run(id.kernel)
      let got = (0..<m).flatMap { i in (0..<n).map { j in Float(bitPattern: c[i * (n + 3) + j]) } }
      #expect(got == acc.map { Float($0) }, "\(id.name) m=\(m) n=\(n) k=\(k)")
    }
  }

  /// Quantize + GEMM vs the float product in Double. Per element the error is bounded by
  /// quantization alone: with x̂ = s_m(q − zp), |x − x̂| ≤ s_m/2 and Ŵ = w_n·qW, |W − Ŵ| ≤ w_n/2,
  ///   |y − ŷ| ≤ Σ_k (s_m/2)|W_k| + (w_n/2)(|x_k| + s_m/2)
  /// plus float rounding of the epilogue (≤ 2⁻²² relative), covered by 1e-5 · Σ|x||W|.
  /// Over the whole output, random uniform data gives ~0.6 % relative RMS error; we require < 1.5 %.
  @Test("quantized result is within the quantization error bound of the float product",
        arguments: Qd8KernelID.all.filter { tsr_isa_supported($0.kernel.pointee.isa) != 0 })
  func floatTolerance(_ id: Qd8KernelID) {
    let entry = id.kernel.pointee
    var rng = SplitMix64(state: 0xF10A7 &+ UInt64(id.index))
    let (m, n, k) = (33, 65, 384)
    let x = (0..<m * k).map { _ in rng.unit() }
    let wf = (0..<n * k).map { _ in rng.unit() }
    var codes = [Int8](repeating: 0, count: n * k)
    var ws = [Float](repeating: 1, count: n)
    for j in 0..<n {
      let maxAbs = wf[(j * k)..<(j * k + k)].map(abs).max()!
      ws[j] = maxAbs / 127
      for i in 0..<k { codes[j * k + i] = Int8((wf[j * k + i] / ws[j]).rounded(.toNearestOrEven)) }
    }
    var q = [UInt8](repeating: 0, count: m * k)
    var p = [tsr_qd8_params](repeating: .init(), count: m)
    var y = [Float](repeating: 0, count: m * n)
    let packed = UnsafeMutableRawPointer.allocate(byteCount: tsr_qd8_f32_qc8w_packed_size(id.kernel, n, k), alignment: 64)
    defer { packed.deallocate() }
    entry.pack(n, k, Int(entry.nr), Int(entry.kr), codes, k, ws, nil, packed)
    entry.quantize(m, k, x, k, &q, k, &p)
    tsr_qd8_f32_qc8w_gemm_run(id.kernel, 0, m, 0, n, k, q, k, p, packed, &y, n)
    var worst = 0.0, errSq = 0.0, refSq = 0.0
    for i in 0..<m {
      for j in 0..<n {
        var exact = 0.0, bound = 0.0, absSum = 0.0
        let s = Double(p[i].scale), w = Double(ws[j])
        for t in 0..<k {
          let xv = Double(x[i * k + t]), wv = Double(wf[j * k + t])
          exact += xv * wv
          absSum += abs(xv * wv)
          bound += s / 2 * abs(wv) + w / 2 * (abs(xv) + s / 2)
        }
        let err = abs(Double(y[i * n + j]) - exact)
        worst = max(worst, err / (bound * 1.001 + 1e-5 * absSum + 1e-7))
        errSq += err * err
        refSq += exact * exact
      }
    }
    let rms = (errSq / refSq).squareRoot()
    print("qd8 \(id.name): relative RMS error \(rms), worst element at \(worst) × its bound")
    #expect(worst <= 1, "\(id.name): error reaches \(worst) × the bound")
    #expect((errSq / refSq).squareRoot() < 0.015, "\(id.name): relative RMS error \((errSq / refSq).squareRoot())")
  }

  /// `tsr_qd8_f32_qc8w_gemm_ukernel_<MR>x<NR>c<KR>__<isa>` must match the entry.
  @Test("qd8 registry names encode MR, NR, KR and ISA; panels are 64-byte multiples", arguments: Qd8KernelID.all)
  func registry(_ id: Qd8KernelID) throws {
    let k = id.kernel.pointee
    let prefix = "tsr_qd8_f32_qc8w_gemm_ukernel_"
    #expect(id.name.hasPrefix(prefix))
    #expect(id.name.hasSuffix("_\(k.mr)x\(k.nr)c\(k.kr)__\(String(cString: tsr_isa_name(k.isa)))"))
    let quantizeName = String(cString: k.quantize_name)
    #expect(quantizeName.hasPrefix("tsr_f32_qd8_quantize_ukernel__"))
    for kc in [1, 7, 384, 1536] {
      let panel = tsr_qd8_f32_qc8w_packed_panel_bytes(id.kernel, kc)
      #expect(panel % 64 == 0)
      #expect(panel >= Int(k.nr) * 12 + Int(k.nr) * ((kc + Int(k.kr) - 1) / Int(k.kr) * Int(k.kr)))
    }
  }

  @Test("qd8 dispatch: automatic choice, forcing, and one-line errors")
  func dispatch() throws {
    var err = [CChar](repeating: 0, count: 200)
    let auto = try #require(tsr_qd8_select_kernel_for(nil, &err, err.count))
    let best = try #require([TSR_ISA_AVX512AMX, TSR_ISA_AVX512VNNI, TSR_ISA_AVXVNNI, TSR_ISA_NEONI8MM, TSR_ISA_NEONDOT, TSR_ISA_AVX2,
                       TSR_ISA_SCALAR]
      .first { tsr_qd8_kernel_for_isa($0) != nil })
    #expect(auto.pointee.isa == best)
    #expect(tsr_qd8_select_kernel_for("scalar", &err, err.count)?.pointee.isa == TSR_ISA_SCALAR)
    #expect(tsr_qd8_select_kernel_for("avx1024", &err, err.count) == nil)
    #expect(cString(err).hasPrefix("TESSERA_ISA=avx1024: unknown"))
    for raw in 0..<TSR_ISA_COUNT.rawValue {
      let isa = tsr_isa(rawValue: raw)
      let word = String(cString: tsr_isa_name(isa))
      let kernel = tsr_qd8_select_kernel_for(word, &err, err.count)
      if tsr_qd8_kernel_for_isa(isa) != nil {
        #expect(kernel?.pointee.isa == isa)
      } else {
        #expect(kernel == nil)
        #expect(cString(err).hasPrefix("TESSERA_ISA=\(word): "), "\(cString(err))")
        if !Qd8KernelID.all(isa: isa).isEmpty { print("SKIPPED: qd8 \(word): this CPU does not support it") }
      }
    }
  }
}
