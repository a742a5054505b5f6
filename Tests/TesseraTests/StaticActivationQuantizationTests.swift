import Foundation
import Testing
@testable import Tessera

/// Static (calibrated) activation quantization on the qd8 kernels.
@Suite("StaticActivationQuantization")
struct StaticActivationQuantizationTests {
  /// Per-row codes and parameters by the definition in docs/quantization.md §14.
  static func quantize(_ row: ArraySlice<Float>, _ q: StaticActivationQuantization) -> [UInt8] {
    let inverse = 1 / q.scale
    return row.enumerated().map { c, x in
      let smoothed = q.multipliers.map { x * $0[c] } ?? x
      let v = (smoothed * inverse).rounded(.toNearestOrEven)
      return UInt8(Swift.min(Swift.max(v + Float(q.zeroPoint), 0), 255))
    }
  }

  @Test("equals the definition: codes by the fixed parameters, exact int32 GEMM, the same epilogue; every ISA the same bits")
  func definition() throws {
    let p = DynamicLinearProblem(m: 23, n: 45, k: 67, seed: 11)
    var rng = SplitMix64(seed: 3)
    let multipliers = (0..<p.k).map { _ in 0.25 + rng.nextFloat() * 2 }
    // A range narrower than the data, so some values saturate at 0 and at 255.
    let fixed = try StaticActivationQuantization(minimum: -1.5, maximum: 1.2, multipliers: multipliers)
    let (codes, scales) = DynamicQuantizedLinear.quantizeWeights(p.w, n: p.n, k: p.k)
    let scalar = try DynamicQuantizedLinear(
      int8: codes, scales: scales, n: p.n, k: p.k, bias: p.bias, isaOverride: "scalar", staticActivation: fixed)
    let got = scalar.apply(p.x, rows: p.m)
    var saturated = (low: 0, high: 0)
    for r in 0..<p.m {
      let a = Self.quantize(p.x[(r * p.k)..<((r + 1) * p.k)], fixed)
      saturated.low += a.filter { $0 == 0 }.count
      saturated.high += a.filter { $0 == 255 }.count
      for c in 0..<p.n {
        var acc: Int32 = 0
        for i in 0..<p.k { acc += (Int32(a[i]) - fixed.zeroPoint) * Int32(codes[c * p.k + i]) }
        let expected = Float(acc) * (fixed.scale * scales[c]) + p.bias[c]
        #expect(got[r * p.n + c].bitPattern == expected.bitPattern, "row \(r) column \(c)")
      }
    }
    #expect(saturated.low > 0 && saturated.high > 0, "the test must exercise saturation at both ends")
    for isa in [ISA.avx2, .avxvnni, .avx512vnni] {
      guard let linear = try? DynamicQuantizedLinear(
        int8: codes, scales: scales, n: p.n, k: p.k, bias: p.bias, isaOverride: isa.rawValue, staticActivation: fixed)
      else {
        print("SKIPPED: static DynamicQuantizedLinear \(isa.rawValue): not supported here")
        continue
      }
      #expect(linear.apply(p.x, rows: p.m, threads: 2).map(\.bitPattern) == got.map(\.bitPattern), "\(linear.kernelName)")
    }
  }

  @Test("static parameters equal to a row's own dynamic ones give the dynamic result bit for bit")
  func matchesDynamic() throws {
    let p = DynamicLinearProblem(m: 1, n: 33, k: 50, seed: 21)
    let dynamic = try DynamicQuantizedLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    let fixed = try StaticActivationQuantization(minimum: p.x.min()!, maximum: p.x.max()!)
    let (codes, scales) = DynamicQuantizedLinear.quantizeWeights(p.w, n: p.n, k: p.k)
    let staticLinear = try DynamicQuantizedLinear(
      int8: codes, scales: scales, n: p.n, k: p.k, bias: p.bias, staticActivation: fixed)
    #expect(staticLinear.apply(p.x, rows: 1).map(\.bitPattern) == dynamic.apply(p.x, rows: 1).map(\.bitPattern))
  }

  @Test("bad parameters throw clear errors")
  func errors() throws {
    #expect(throws: TesseraError.self) { try StaticActivationQuantization(minimum: .nan, maximum: 1) }
    #expect(throws: TesseraError.self) { try StaticActivationQuantization(minimum: 2, maximum: 1) }
    #expect(throws: TesseraError.self) { try StaticActivationQuantization(scale: 0, zeroPoint: 3) }
    #expect(throws: TesseraError.self) { try StaticActivationQuantization(scale: 1, zeroPoint: 256) }
    #expect(throws: TesseraError.self) { try StaticActivationQuantization(minimum: -1, maximum: 1, multipliers: [1, -1]) }
    let fixed = try StaticActivationQuantization(minimum: -1, maximum: 1, multipliers: [1, 1, 1])
    #expect(throws: TesseraError.self) {
      try DynamicQuantizedLinear(int8: [1, 2, 3, 4], scales: [1, 1], n: 2, k: 2, bias: nil, staticActivation: fixed)
    }
  }
}
