import CTesseraKernels
import Foundation
import Testing

/// An f32-gemm registry entry, by position, usable as a Swift Testing argument.
struct F32GemmKernelID: Sendable, CustomStringConvertible {
  let index: Int
  let name: String

  var kernel: UnsafePointer<tsr_f32_gemm_kernel> { tsr_f32_gemm_kernel_at(index)! }
  var description: String { name }

  /// Every enumerated kernel of a variant ("scalar", "avx2", "avx512f").
  static func all(variant: String) -> [F32GemmKernelID] {
    (0..<tsr_f32_gemm_kernel_count()).compactMap { i in
      let k = tsr_f32_gemm_kernel_at(i)!
      return String(cString: k.pointee.isa_name) == variant ? F32GemmKernelID(index: i, name: String(cString: k.pointee.name)) : nil
    }
  }

  /// True when the CPU runs the variant's kernels.
  static func supported(_ variant: String) -> Bool {
    all(variant: variant).first.map { tsr_f32_gemm_kernel_supported($0.kernel) != 0 } ?? false
  }
}

/// Every enumerated f32-gemm kernel against a double reference (the documented bound) and the
/// fmaf reference (bit for bit), one parameterized test per variant; variants the CPU lacks are
/// reported as skipped.
@Suite("f32-gemm kernels match the double reference")
struct F32GemmKernelTests {
  static let ms = [1, 2, 3, 5, 7, 8, 9, 12, 13, 16, 17, 31, 64, 128]
  static let ns = [1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 384]
  static let ks = [0, 1, 3, 8, 15, 16, 17, 64, 384, 1536]
  /// MiniLM-shaped layers (M, N, K).
  static let miniLM = [(1, 384, 384), (3, 1536, 384), (17, 384, 1536), (37, 1536, 384)]

  @Test("scalar", arguments: F32GemmKernelID.all(variant: "scalar"))
  func scalar(_ id: F32GemmKernelID) { sweep(id) }

  @Test("AVX2 + FMA", .enabled(if: F32GemmKernelID.supported("avx2")), arguments: F32GemmKernelID.all(variant: "avx2"))
  func avx2(_ id: F32GemmKernelID) { sweep(id) }

  @Test("AVX-512F", .enabled(if: F32GemmKernelID.supported("avx512f")),
        arguments: F32GemmKernelID.all(variant: "avx512f"))
  func avx512f(_ id: F32GemmKernelID) { sweep(id) }

  @Test("dispatch: ISA words map onto variants; unknown words are refused with the word")
  func dispatch() {
    var err = [CChar](repeating: 0, count: 160)
    let best = tsr_f32_gemm_select_kernel_for(nil, &err, err.count)
    #expect(best != nil)
    let scalar = tsr_f32_gemm_select_kernel_for("scalar", &err, err.count)
    #expect(scalar.map { String(cString: $0.pointee.isa_name) } == "scalar")
    #expect(tsr_f32_gemm_select_kernel_for("sse9", &err, err.count) == nil)
    #expect(String(cString: err).hasPrefix("TESSERA_ISA=sse9: unknown"))
    for (word, variant) in [("avx512vnni", "avx512f"), ("avx512f", "avx512f"), ("avxvnni", "avx2"), ("avx2", "avx2")] {
      guard let k = tsr_f32_gemm_select_kernel_for(word, &err, err.count) else {
        print("SKIPPED: f32-gemm TESSERA_ISA=\(word): \(String(cString: err))")
        continue
      }
      #expect(String(cString: k.pointee.isa_name) == variant)
    }
  }

  func sweep(_ id: F32GemmKernelID) {
    let entry = id.kernel.pointee
    #expect(id.name == "tsr_f32_gemm_ukernel_\(entry.mr)x\(entry.nr)__\(String(cString: entry.isa_name))")
    var rng = SplitMix64(state: 0xF32 &+ UInt64(id.index) &* 7919)
    var failures: [String] = []
    var cases = 0
    for m in Self.ms {
      for n in Self.ns {
        for k in Self.ks where m * n * k <= 1 << 20 {
          cases += 1
          if let f = mismatch(id, m: m, n: n, k: k, rng: &rng) { failures.append(f) }
          if failures.count >= 5 { break }
        }
      }
    }
    for (m, n, k) in Self.miniLM {
      cases += 1
      if let f = mismatch(id, m: m, n: n, k: k, rng: &rng) { failures.append(f) }
    }
    #expect(failures.isEmpty, "\(id.name): \(failures.count) of \(cases) cases failed: \(failures.prefix(5))")
  }

  /// One problem through the micro-kernel (m ≤ MR) or the driver, with strided A and C; nil when fine.
  func mismatch(_ id: F32GemmKernelID, m: Int, n: Int, k: Int, rng: inout SplitMix64) -> String? {
    let entry = id.kernel.pointee
    let aStride = k + 3, cStride = n + 5
    let unit = { (rng: inout SplitMix64) in Float(rng.below(2_000_001)) / 1_000_000 - 1 }
    var a = [Float](repeating: .nan, count: m * aStride)  // NaN padding: read, it would poison
    for i in 0..<m { for t in 0..<k { a[i * aStride + t] = 2 * unit(&rng) } }
    let w = (0..<n * k).map { _ in unit(&rng) }
    let bias: [Float]? = rng.below(4) != 0 ? (0..<n).map { _ in 4 * unit(&rng) } : nil
    let sentinel: Float = -12345
    var c = [Float](repeating: sentinel, count: m * cStride)
    var ref = c
    let packed = UnsafeMutableRawPointer.allocate(byteCount: max(tsr_f32_gemm_packed_size(id.kernel, n, k), 64), alignment: 64)
    defer { packed.deallocate() }
    let withBias = { (body: (UnsafePointer<Float>?) -> Void) in
      if let bias { bias.withUnsafeBufferPointer { body($0.baseAddress) } } else { body(nil) }
    }
    withBias { b in
      entry.pack(n, k, Int(entry.nr), w, k, b, packed)
      if m <= Int(entry.mr) {
        entry.ukernel(m, n, k, a, aStride, packed, &c, cStride)
      } else {
        tsr_f32_gemm_run(id.kernel, 0, m, 0, n, k, a, aStride, packed, &c, cStride)
      }
      tsr_f32_gemm_reference(m, n, k, a, aStride, w, k, b, &ref, cStride)
    }
    let bound = 1e-5 * Double(max(k, 1)).squareRoot()
    for i in 0..<m {
      for j in 0..<cStride {
        let got = c[i * cStride + j]
        if j >= n {
          if got.bitPattern != sentinel.bitPattern { return "m=\(m) n=\(n) k=\(k): padding [\(i)][\(j)] written" }
          continue
        }
        var exact = Double(bias?[j] ?? 0), mag = abs(exact)
        for t in 0..<k {
          let p = Double(a[i * aStride + t]) * Double(w[j * k + t])
          exact += p
          mag += abs(p)
        }
        if !(abs(Double(got) - exact) <= bound * mag) {
          return "m=\(m) n=\(n) k=\(k): [\(i)][\(j)] = \(got), exact \(exact)"
        }
        if got.bitPattern != ref[i * cStride + j].bitPattern {
          return "m=\(m) n=\(n) k=\(k): [\(i)][\(j)] = \(got), fmaf reference \(ref[i * cStride + j])"
        }
      }
    }
    return nil
  }
}
