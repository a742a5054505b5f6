import CTesseraKernels
import Foundation
import Testing

/// Float vector math (exp, erf, GELU, softmax, LayerNorm, L2) for every variant the CPU runs, against
/// libm in double and against the scalar variant; a variant whose ISA this CPU lacks is skipped.
@Suite("Float vector math")
struct VMathTests {
  static func config(_ name: String) -> UnsafePointer<tsr_f32_vmath_config>? {
    (0..<tsr_f32_vmath_count()).lazy.map { tsr_f32_vmath_at($0)! }.first { String(cString: $0.pointee.name) == name }
  }

  static func runs(_ name: String) -> Bool { config(name).map { tsr_f32_vmath_supported($0) != 0 } ?? false }

  @Test("scalar")
  func scalar() throws { try checkAll("scalar") }

  @Test("AVX2 + FMA", .enabled(if: runs("avx2")))
  func avx2() throws { try checkAll("avx2") }

  @Test("AVX-512F", .enabled(if: runs("avx512f")))
  func avx512f() throws { try checkAll("avx512f") }

  @Test("selection: automatic is the most capable variant; ISA words map to variants")
  func selection() throws {
    let best = try #require(["avx512f", "avx2", "scalar"].first { Self.runs($0) })
    var err = [CChar](repeating: 0, count: 200)
    let chosen = try #require(tsr_f32_vmath_select(nil, &err, err.count))
    #expect(String(cString: chosen.pointee.name) == best)
    #expect(tsr_f32_vmath_select("scalar", &err, err.count) == Self.config("scalar"))
    if tsr_isa_supported(TSR_ISA_AVX2) != 0 { #expect(tsr_f32_vmath_for_isa(TSR_ISA_AVX2) == Self.config("avx2")) }
    if tsr_isa_supported(TSR_ISA_AVX512VNNI) != 0 {
      #expect(tsr_f32_vmath_for_isa(TSR_ISA_AVX512VNNI) == Self.config("avx512f"))
    }
    #expect(tsr_f32_vmath_select("avx1024", &err, err.count) == nil)
    let message = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #expect(message.hasPrefix("TESSERA_ISA=avx1024: unknown"))
  }

  func checkAll(_ name: String) throws {
    let c = try #require(Self.config(name)).pointee
    let scalar = try #require(Self.config("scalar")).pointee
    checkExp(c)
    checkErfGelu(c)
    checkSoftmax(c)
    checkLayerNorm(c)
    checkL2(c)
    checkTails(c, scalar)
  }

  // MARK: - Elementwise

  static func ulps(_ y: Float, _ ref: Double) -> Double {
    let r = Float(ref)
    if r.isInfinite { return y == r ? 0 : .infinity }
    let ulp = r.magnitude < Float.leastNormalMagnitude ? Double(Float.leastNonzeroMagnitude) : Double(r.magnitude.ulp)
    return abs(Double(y) - ref) / ulp
  }

  func apply(_ f: tsr_f32_vunary_fn?, _ x: [Float]) -> [Float] {
    var y = [Float](repeating: .nan, count: x.count)
    f!(x.count, x, &y)
    return y
  }

  func checkExp(_ c: tsr_f32_vmath_config) {
    // Every 2003rd float of [-87.3, 88.7] (both signs), plus every float near overflow and underflow.
    var xs: [Float] = []
    for sign: Float in [1, -1] {
      var bits: UInt32 = 0
      while Float(bitPattern: bits) <= (sign > 0 ? 88.7 : 87.3) { xs.append(sign * Float(bitPattern: bits)); bits += 2003 }
    }
    var z: Float = 88.5
    while z < 89 { xs.append(z); z = z.nextUp }
    z = -104.5
    while z < -86.5 { xs.append(z); z = z.nextUp.nextUp.nextUp }
    let ys = apply(c.exp, xs)
    let worst = zip(xs, ys).map { Self.ulps($1, exp(Double($0))) }.max()!
    #expect(worst <= 2, "exp: \(worst) ulp")
    let special: [Float] = [-.infinity, -1e30, -1000, -104, .infinity, 1e30, 88.73, .nan, 0, -0.0]
    let s = apply(c.exp, special)
    #expect(s[0...3] == [0, 0, 0, 0])
    #expect(s[4...6].allSatisfy { $0 == .infinity })
    #expect(s[7].isNaN)
    #expect(s[8] == 1 && s[9] == 1)
  }

  func checkErfGelu(_ c: tsr_f32_vmath_config) {
    var xs: [Float] = []
    var bits: UInt32 = 0
    while Float(bitPattern: bits) < 11 { xs.append(Float(bitPattern: bits)); xs.append(-Float(bitPattern: bits)); bits += 4001 }
    let e = apply(c.erf, xs), ge = apply(c.gelu_erf, xs), gt = apply(c.gelu_tanh, xs)
    var worstErf = 0.0, worstGe = 0.0, worstGt = 0.0
    for (i, x) in xs.enumerated() {
      let d = Double(x), s = max(1, abs(d))
      worstErf = max(worstErf, abs(Double(e[i]) - erf(d)))
      worstGe = max(worstGe, abs(Double(ge[i]) - 0.5 * d * (1 + erf(d / 2.0.squareRoot()))) / s)
      worstGt = max(worstGt, abs(Double(gt[i]) - 0.5 * d * (1 + tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))) / s)
    }
    #expect(worstErf <= 5e-7, "erf abs error \(worstErf)")
    #expect(worstGe <= 5e-7, "gelu_erf error \(worstGe)")
    #expect(worstGt <= 5e-7, "gelu_tanh error \(worstGt)")
    let s = apply(c.erf, [.infinity, -.infinity, .nan])
    #expect(s[0] == 1 && s[1] == -1 && s[2].isNaN)
  }

  // MARK: - Rows

  func checkSoftmax(_ c: tsr_f32_vmath_config) {
    var rng = SplitMix64(state: 11)
    func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(rng.next() >> 40) / Float(1 << 24) }
    for n in [1, 2, 3, 15, 16, 17, 31, 33, 128, 513] {
      let rows = 3, stride = n + 5
      for masked in [false, true] {
        let scale: Float = masked ? 0.125 : 1
        var x = (0..<rows * stride).map { _ in uniform(-12, 12) }
        let mask: [Float] = (0..<n).map { $0 > 0 && $0 % 3 == 1 ? -.infinity : ($0 % 5 == 4 ? -10000 : 0) }
        if masked { for j in 0..<n { x[stride + j] = -.infinity } }  // row 1 fully masked
        var y = [Float](repeating: 42, count: rows * stride)
        if masked { c.softmax!(rows, n, x, stride, &y, stride, scale, mask) } else { c.softmax!(rows, n, x, stride, &y, stride, scale, nil) }
        for i in 0..<rows {
          let z = (0..<n).map { x[i * stride + $0] * scale + (masked ? mask[$0] : 0) }
          let m = z.max()!
          let out = y[(i * stride)..<(i * stride + n)]
          #expect(y[(i * stride + n)..<(i * stride + stride)].allSatisfy { $0 == 42 }, "softmax n=\(n) wrote past the row")
          if m == -.infinity {
            #expect(out.allSatisfy { $0 == 0 }, "fully masked row must be zeros, n=\(n)")
            continue
          }
          let e = z.map { exp(Double($0) - Double(m)) }
          let sum = e.reduce(0, +)
          let err = zip(out, e).map { abs(Double($0) - $1 / sum) }.max()!
          #expect(err <= 1e-6, "softmax n=\(n) masked=\(masked): \(err)")
          #expect(abs(out.reduce(0.0) { $0 + Double($1) } - 1) <= 1e-6, "softmax n=\(n) sum")
        }
      }
    }
  }

  func checkLayerNorm(_ c: tsr_f32_vmath_config) {
    var rng = SplitMix64(state: 5)
    func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(rng.next() >> 40) / Float(1 << 24) }
    for n in Array(1...17) + [384, 1536] {
      let rows = 2, stride = n + 3
      for residual in [false, true] {
        for constant in [false, true] {
          let offset = uniform(-50, 50)
          let x = (0..<rows * stride).map { _ in constant ? offset : offset + uniform(-3, 3) }
          let r = (0..<rows * stride).map { _ in constant ? 0 : uniform(-1, 1) }
          let g = (0..<n).map { _ in uniform(0.5, 1.5) }, b = (0..<n).map { _ in uniform(-0.5, 0.5) }
          var y = [Float](repeating: 42, count: rows * stride)
          if residual {
            c.add_layernorm!(rows, n, x, stride, r, stride, &y, stride, g, b, 1e-12)
          } else {
            c.layernorm!(rows, n, x, stride, nil, 0, &y, stride, g, b, 1e-12)
          }
          for i in 0..<rows {
            let v = (0..<n).map { Double(residual ? x[i * stride + $0] + r[i * stride + $0] : x[i * stride + $0]) }
            let mean = v.reduce(0, +) / Double(n)
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            var worst = 0.0
            for j in 0..<n {
              let ref = (v[j] - mean) / (variance + 1e-12).squareRoot() * Double(g[j]) + Double(b[j])
              worst = max(worst, abs(Double(y[i * stride + j]) - ref) / max(1, abs(ref)))
              if constant { #expect(y[i * stride + j] == b[j], "constant row must give beta, n=\(n)") }
            }
            #expect(worst <= 1e-5, "layernorm n=\(n) residual=\(residual): \(worst)")
            #expect(y[(i * stride + n)..<(i * stride + stride)].allSatisfy { $0 == 42 })
          }
        }
      }
      // In place on x, residual variant, no beta.
      var x = (0..<n).map { _ in uniform(-3, 3) }
      let r = (0..<n).map { _ in uniform(-1, 1) }
      var expected = [Float](repeating: 0, count: n)
      c.add_layernorm!(1, n, x, n, r, n, &expected, n, nil, nil, 1e-5)
      x.withUnsafeMutableBufferPointer { p in c.add_layernorm!(1, n, p.baseAddress, n, r, n, p.baseAddress, n, nil, nil, 1e-5) }
      #expect(x == expected, "in-place add_layernorm differs, n=\(n)")
    }
  }

  func checkL2(_ c: tsr_f32_vmath_config) {
    var rng = SplitMix64(state: 3)
    for n in 0...70 {
      let x = (0..<n).map { _ in Float(Int(rng.next() % 4001) - 2000) / 1000 }
      var y = [Float](repeating: 42, count: n + 4), s: Float = -1
      c.l2_normalize!(1, n, x, n, &y, n + 4, 1e-12)
      c.row_sumsq!(1, n, x, n, &s)
      let ss = x.reduce(0.0) { $0 + Double($1) * Double($1) }
      #expect(abs(Double(s) - ss) <= 1e-6 * max(ss, 1e-30), "sumsq n=\(n)")
      for j in 0..<n { #expect(abs(Double(y[j]) - Double(x[j]) / ss.squareRoot()) <= 1e-6) }
      #expect(y[n...].allSatisfy { $0 == 42 })
    }
  }

  /// Every length 0…70 against the scalar variant, output canaries after n.
  func checkTails(_ c: tsr_f32_vmath_config, _ scalar: tsr_f32_vmath_config) {
    var rng = SplitMix64(state: 17)
    for n in 0...70 {
      let x = (0..<n).map { _ in Float(Int(rng.next() % 18001) - 9000) / 1000 }
      for (f, s) in [(c.exp, scalar.exp), (c.erf, scalar.erf), (c.gelu_erf, scalar.gelu_erf), (c.gelu_tanh, scalar.gelu_tanh)] {
        var y = [Float](repeating: 42, count: n + 9), z = [Float](repeating: 0, count: n)
        f!(n, x, &y)
        s!(n, x, &z)
        for j in 0..<n { #expect(abs(y[j] - z[j]) <= 2e-6 * max(1, abs(z[j])), "n=\(n) j=\(j): \(y[j]) vs \(z[j])") }
        #expect(y[n...].allSatisfy { $0 == 42 }, "wrote past n=\(n)")
      }
      let r = x.reversed() as [Float], g = x.map { 1 + $0 / 10 }
      var y = [Float](repeating: 42, count: n + 9), z = [Float](repeating: 0, count: n)
      c.add_layernorm!(1, n, x, n, r, n, &y, n, g, r, 1e-5)
      scalar.add_layernorm!(1, n, x, n, r, n, &z, n, g, r, 1e-5)
      for j in 0..<n { #expect(abs(y[j] - z[j]) <= 1e-5 * max(1, abs(z[j])), "layernorm n=\(n) j=\(j)") }
      #expect(y[n...].allSatisfy { $0 == 42 }, "layernorm wrote past n=\(n)")
    }
  }
}
