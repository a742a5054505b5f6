import CTesseraKernels
import Testing

/// The definition itself, checked against hand-computed values.
@Suite("Reference and requantizer")
struct ReferenceTests {
  func requantize(_ acc: Int32, _ scale: Float, zp: Int32 = 0, min: Int8 = -128, max: Int8 = 127) -> Int8 {
    var p = tsr_qs8_minmax_params(output_zero_point: zp, output_min: min, output_max: max)
    return tsr_qs8_requantize_fp32(acc, scale, &p)
  }

  @Test("rounds half to even")
  func halfToEven() {
    #expect(requantize(5, 0.5) == 2)    // 2.5 → 2
    #expect(requantize(7, 0.5) == 4)    // 3.5 → 4
    #expect(requantize(-5, 0.5) == -2)  // −2.5 → −2
    #expect(requantize(-7, 0.5) == -4)  // −3.5 → −4
    #expect(requantize(3, 0.25) == 1)   // 0.75 → 1
  }

  @Test("adds the zero point after rounding and clamps to [min, max]")
  func zeroPointAndClamp() {
    #expect(requantize(5, 0.5, zp: 10) == 12)
    #expect(requantize(1_000_000, 1, zp: 0) == 127)
    #expect(requantize(-1_000_000, 1, zp: 0) == -128)
    #expect(requantize(300, 1, zp: -100) == 127)
    #expect(requantize(-300, 1, zp: 100) == -128)
    // Fused ReLU: min at the zero point.
    #expect(requantize(-50, 1, zp: -20, min: -20) == -20)
    #expect(requantize(50, 1, zp: -20, min: -20) == 30)
    #expect(requantize(Int32.max, 1e-4) == 127)  // 214748.36 clamps, no overflow
  }

  @Test("reference GEMM equals a hand-computed 2×2×3 product")
  func handComputed() {
    // A = [[1, -2, 3], [127, -128, 0]], zero point 1; W = [[1, 0, -1], [2, 2, 2]]; bias = [10, -4].
    let a: [Int8] = [1, -2, 3, 127, -128, 0]
    let w: [Int8] = [1, 0, -1, 2, 2, 2]
    let bias: [Int32] = [10, -4]
    let scale: [Float] = [1, 0.5]
    var c = [Int8](repeating: 0, count: 4)
    var p = tsr_qs8_minmax_params(output_zero_point: 0, output_min: -128, output_max: 127)
    tsr_qs8_qc8w_gemm_reference(2, 2, 3, a, 3, 1, w, 3, bias, &c, 2, scale, &p)
    // (A − 1) = [[0, -3, 2], [126, -129, -1]]
    // row 0: 10 + (0 − 2) = 8;        −4 + 2·(0 − 3 + 2) = −6 → ×0.5 = −3
    // row 1: 10 + (126 + 1) = 137 → 127; −4 + 2·(126 − 129 − 1) = −12 → −6
    #expect(c == [8, -3, 127, -6])
  }
}
