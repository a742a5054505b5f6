import CTesseraKernels

/// An instruction-set path of the int8 kernels.
///
/// The raw value is the word used in kernel names and in the `TESSERA_ISA`
/// environment variable (`"scalar"`, `"avx2"`, …). A path is usable when it is
/// both compiled into this build (``isCompiled``) and executable on the running
/// CPU and OS (``isSupported``).
///
/// For example:
/// ```swift
/// print(ISA.best)                 // .avx512vnni on a Zen 4
/// ISA.allCases.filter(\.isSupported)
/// ```
public enum ISA: String, CaseIterable, Sendable, Codable {
  /// Portable C; always compiled and supported. Defines the semantics.
  case scalar
  /// x86-64 AVX2 (256-bit integer SIMD).
  case avx2
  /// x86-64 AVX-VNNI (VEX-encoded `vpdpbusd` on 256-bit vectors).
  case avxvnni
  /// x86-64 AVX-512 with VNNI (`vpdpbusd` on 512-bit vectors).
  case avx512vnni
  /// AArch64 NEON with the dot-product extension (`sdot`, Armv8.2 FEAT_DotProd).
  case neondot
  /// AArch64 NEON with the int8 matrix-multiply extension (`smmla`/`usmmla`, Armv8.6
  /// FEAT_I8MM); supported only together with ``neondot``.
  case neoni8mm
  /// x86-64 Intel AMX int8 tiles (`tdpbusd`, Sapphire Rapids and later) with an AVX-512
  /// epilogue; supported only together with ``avx512vnni`` and, on Linux, once the OS
  /// grants the process AMX tile state. Only the dynamically quantized (qd8) Linear
  /// kernels use AMX; other kernel families run their ``avx512vnni`` kernels on this path.
  case avx512amx

  /// The matching C enumerator.
  var cValue: tsr_isa {
    switch self {
    case .scalar: TSR_ISA_SCALAR
    case .avx2: TSR_ISA_AVX2
    case .avxvnni: TSR_ISA_AVXVNNI
    case .avx512vnni: TSR_ISA_AVX512VNNI
    case .neondot: TSR_ISA_NEONDOT
    case .neoni8mm: TSR_ISA_NEONI8MM
    case .avx512amx: TSR_ISA_AVX512AMX
    }
  }

  /// Maps a C enumerator back (nil for values this Swift layer does not know).
  init?(_ value: tsr_isa) {
    guard let isa = ISA.allCases.first(where: { $0.cValue == value }) else { return nil }
    self = isa
  }

  /// The path whose static int8 (qs8) kernels run when this one is chosen or forced:
  /// itself, except ``avx512amx``, whose AMX kernels exist for the dynamically quantized
  /// Linear family only and which runs the ``avx512vnni`` qs8 kernels.
  public var int8KernelISA: ISA { self == .avx512amx ? .avx512vnni : self }

  /// True when kernels for this path were compiled into this build.
  public var isCompiled: Bool { tsr_isa_compiled(cValue) != 0 }

  /// True when this path is compiled and the running CPU (and OS) can execute it.
  public var isSupported: Bool { isCompiled && tsr_isa_supported(cValue) != 0 }

  /// Preference order when several paths are usable: wider and fused dot products first.
  static let preference: [ISA] = [.avx512amx, .avx512vnni, .avxvnni, .neoni8mm, .neondot, .avx2, .scalar]

  /// The most capable path that is compiled and supported here (ignores `TESSERA_ISA`;
  /// see ``Int8Kernel/selected(for:)`` for the override-aware choice).
  public static var best: ISA {
    preference.first(where: \.isSupported) ?? .scalar
  }

  /// Parses an ISA word as accepted by `TESSERA_ISA`.
  /// - Parameter name: a word such as `"avx2"` (case-insensitive, whitespace ignored).
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` naming the word and the known words.
  public init(parsing name: String) throws {
    let word = String(name.filter { !$0.isWhitespace }).lowercased()
    guard let isa = ISA(rawValue: word) else {
      let known = ISA.allCases.map(\.rawValue).joined(separator: ", ")
      throw TesseraError.unsupportedISA("unknown ISA '\(name)' (expected one of: \(known))")
    }
    self = isa
  }
}
