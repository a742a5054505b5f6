import CTesseraKernels

/// A registry entry, by position, usable as a Swift Testing argument.
struct KernelID: Sendable, CustomStringConvertible {
  let index: Int
  let name: String

  var kernel: UnsafePointer<tsr_qs8_kernel> { tsr_qs8_kernel_at(index)! }
  var description: String { name }

  /// Every enumerated kernel of `isa` (GEMM and GEMV), compiled into this build.
  static func all(isa: tsr_isa) -> [KernelID] {
    (0..<tsr_qs8_kernel_count()).compactMap { i in
      let k = tsr_qs8_kernel_at(i)!.pointee
      return k.isa == isa ? KernelID(index: i, name: String(cString: k.name)) : nil
    }
  }
}

/// Deterministic generator (SplitMix64), so a failing case can be replayed from its seed.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  /// Uniform int8, with −128 and 127 each drawn 1 time in 8.
  mutating func int8() -> Int8 {
    switch below(8) {
    case 0: -128
    case 1: 127
    default: Int8(truncatingIfNeeded: next())
    }
  }

  /// Log-uniform in [1e-4, 1] (41 steps of 10^0.1), or 0.5 / 0.25 (exact ties for
  /// round-half-even).
  mutating func scale() -> Float {
    switch below(6) {
    case 0: return 0.5
    case 1: return 0.25
    default:
      var s: Float = 1e-4
      for _ in 0..<below(41) { s *= 1.258_925_4 }
      return s
    }
  }
}

/// One GEMM problem over shared random buffers: A is (rows × aStride), W is (cols × wStride).
struct GemmProblem {
  var a: [Int8]
  var w: [Int8]
  var bias: [Int32]
  var scale: [Float]
  let aStride: Int
  let wStride: Int

  init(rows: Int, cols: Int, maxK: Int, aStride: Int, rng: inout SplitMix64) {
    precondition(aStride >= maxK)
    self.aStride = aStride
    self.wStride = maxK
    a = (0..<rows * aStride).map { _ in rng.int8() }
    w = (0..<cols * maxK).map { _ in rng.int8() }
    bias = (0..<cols).map { _ in Int32(rng.below(200_001)) - 100_000 }
    scale = (0..<cols).map { _ in rng.scale() }
  }
}

/// Zero points and clamp bounds of one case.
struct Quantization {
  var inputZeroPoint: Int32
  var params: tsr_qs8_minmax_params
  var useBias: Bool

  static let zeroPoints: [Int32] = [-128, 127, 0, -3, 55]

  static func random(_ rng: inout SplitMix64) -> Quantization {
    let zp = zeroPoints[rng.below(zeroPoints.count)]
    let outZP = zeroPoints[rng.below(zeroPoints.count)]
    var params = tsr_qs8_minmax_params(output_zero_point: outZP, output_min: -128, output_max: 127)
    switch rng.below(3) {
    case 0: break
    case 1: params.output_min = Int8(outZP)  // fused ReLU
    default: params.output_min = -100; params.output_max = 90
    }
    return Quantization(inputZeroPoint: zp, params: params, useBias: rng.below(4) != 0)
  }
}

/// The text of a NUL-terminated C buffer.
func cString(_ buffer: [CChar]) -> String {
  buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
