import CTesseraKernels

/// A machine instruction sequence whose peak throughput `tessera bench peak` measures:
/// the denominators of every "% of peak" figure.
///
/// One multiply-accumulate counts as 2 operations, as in GEMM's `2·m·n·k`.
///
/// For example:
/// ```swift
/// let peak = InstructionPeak.int8(for: .avx512vnni)?.measure(minSeconds: 0.2)   // GOP/s, one core
/// ```
public enum InstructionPeak: String, CaseIterable, Sendable {
  /// Scalar int32 multiply + add (what the scalar kernels execute).
  case scalarInt32 = "scalar-int32"
  /// fp32 FMA on 256-bit vectors (`vfmadd231ps ymm`).
  case fp32AVX2 = "fp32-avx2"
  /// fp32 FMA on 512-bit vectors (`vfmadd231ps zmm`).
  case fp32AVX512 = "fp32-avx512"
  /// int8 on 256-bit vectors, the AVX2 kernels' widen + `vpmaddwd` step.
  case int8AVX2 = "int8-avx2"
  /// int8 `vpdpbusd` on 512-bit vectors (AVX-512 VNNI).
  case int8AVX512VNNI = "int8-avx512vnni"
  /// int8 `vpdpbusd` on 256-bit vectors, VEX-encoded (AVX-VNNI).
  case int8AVXVNNI = "int8-avxvnni"
  /// int8 `tdpbusd` on Intel AMX tiles (16,384 multiply-accumulates per instruction).
  case int8AMX = "int8-avx512amx"

  var cKind: tsr_peak_kind {
    switch self {
    case .scalarInt32: TSR_PEAK_SCALAR
    case .fp32AVX2: TSR_PEAK_FP32_AVX2
    case .fp32AVX512: TSR_PEAK_FP32_AVX512
    case .int8AVX2: TSR_PEAK_INT8_AVX2
    case .int8AVX512VNNI: TSR_PEAK_INT8_AVX512VNNI
    case .int8AVXVNNI: TSR_PEAK_INT8_AVXVNNI
    case .int8AMX: TSR_PEAK_INT8_AMX
    }
  }

  /// True when the build has this sequence and the CPU can run it.
  public var isSupported: Bool { tsr_peak_supported(cKind) != 0 }

  /// `true` for the fp32 FMA sequences, `false` for the integer ones.
  public var isFloat: Bool { self == .fp32AVX2 || self == .fp32AVX512 }

  /// Measures one thread's peak.
  ///
  /// - Parameter minSeconds: how long to run (at least 0.01 s); longer is steadier.
  /// - Returns: GOP/s of one core, or `nil` when unsupported here.
  public func measure(minSeconds: Double) -> Double? {
    guard isSupported else { return nil }
    let gops = tsr_peak_gops(cKind, minSeconds)
    return gops > 0 ? gops : nil
  }

  /// The int8 sequence matching a kernel ISA, if one is measured (the ARM paths
  /// have none yet).
  ///
  /// - Parameter isa: the int8 kernel path.
  /// - Returns: the sequence whose peak bounds that path's kernels, or `nil`.
  public static func int8(for isa: ISA) -> InstructionPeak? {
    switch isa {
    // The qs8 kernels on the AMX path are the AVX-512 VNNI ones.
    case .avx512vnni, .avx512amx: .int8AVX512VNNI
    case .avx2: .int8AVX2
    case .scalar: .scalarInt32
    case .avxvnni: .int8AVXVNNI
    case .neondot, .neoni8mm: nil
    }
  }

  /// The widest supported fp32 FMA sequence, if any.
  public static var bestFloat: InstructionPeak? {
    [.fp32AVX512, .fp32AVX2].first(where: \.isSupported)
  }
}
