import CTesseraKernels
import Foundation

/// What the running CPU is and can do: brand, instruction-set features, cores and caches.
///
/// Features come from the C detector (`cpuid` + `xgetbv` OS checks on x86, hwcaps on
/// Linux ARM, `sysctl` on Apple), the one place the kernels' dispatch also uses.
///
/// For example:
/// ```swift
/// let cpu = CPUInfo.current
/// cpu.has("avx512vnni")                 // true on Zen 4 / Ice Lake and later
/// cpu.caches.first { $0.level == 2 }?.sizeBytes
/// ```
public struct CPUInfo: Sendable, Hashable, Codable {
  /// The marketing name, e.g. `"AMD EPYC 9R14 96-Core Processor"` (empty when unknown).
  public var brand: String
  /// Lower-case feature names the CPU and OS support, from ``knownFeatures``.
  public var features: [String]
  /// Logical CPUs in the machine.
  public var logicalCores: Int
  /// Caches seen by CPU 0, by level then type (empty when unknown).
  public var caches: [CacheLevel]

  /// Makes a description (tests and hardware presets build their own).
  /// - Parameters:
  ///   - brand: the marketing name.
  ///   - features: lower-case feature names.
  ///   - logicalCores: logical CPUs.
  ///   - caches: cache levels.
  public init(brand: String, features: [String], logicalCores: Int, caches: [CacheLevel]) {
    self.brand = brand
    self.features = features
    self.logicalCores = logicalCores
    self.caches = caches
  }

  /// The machine this process runs on (detected once).
  public static let current = detect()

  /// Every feature name ``features`` can contain, in report order.
  public static let knownFeatures: [String] = featureBits.map(\.name)

  /// C feature bits and their names.
  static let featureBits: [(bit: UInt32, name: String)] = [
    (UInt32(TSR_CPU_SSE41), "sse4.1"), (UInt32(TSR_CPU_AVX), "avx"), (UInt32(TSR_CPU_AVX2), "avx2"),
    (UInt32(TSR_CPU_FMA), "fma"), (UInt32(TSR_CPU_F16C), "f16c"), (UInt32(TSR_CPU_AVX512F), "avx512f"),
    (UInt32(TSR_CPU_AVX512BW), "avx512bw"), (UInt32(TSR_CPU_AVX512VL), "avx512vl"),
    (UInt32(TSR_CPU_AVX512DQ), "avx512dq"), (UInt32(TSR_CPU_AVX512VNNI), "avx512vnni"),
    (UInt32(TSR_CPU_AVX512BF16), "avx512bf16"), (UInt32(TSR_CPU_AVXVNNI), "avxvnni"),
    (UInt32(TSR_CPU_NEON), "neon"), (UInt32(TSR_CPU_NEONDOT), "neondot"),
    (UInt32(TSR_CPU_NEONI8MM), "neoni8mm"), (UInt32(TSR_CPU_AMXINT8), "amx-int8"),
  ]

  /// Detects the running machine, reading caches from `cacheDirectory` on Linux.
  /// - Parameter cacheDirectory: a sysfs-style cache directory (see ``CacheLevel/read(directory:)``);
  ///   ignored on Apple platforms, which use `sysctl`.
  public static func detect(cacheDirectory: String = CacheLevel.defaultDirectory) -> CPUInfo {
    var buffer = [CChar](repeating: 0, count: 128)
    buffer.withUnsafeMutableBufferPointer { tsr_cpu_brand($0.baseAddress, $0.count) }
    let brand = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    let mask = tsr_cpu_features()
    #if canImport(Darwin)
    let caches = CacheLevel.detect()
    #else
    let caches = CacheLevel.read(directory: cacheDirectory)
    #endif
    return CPUInfo(
      brand: brand.trimmingCharacters(in: .whitespaces),
      features: featureBits.filter { mask & $0.bit != 0 }.map(\.name),
      logicalCores: ProcessInfo.processInfo.processorCount,
      caches: caches)
  }

  /// True when `feature` (e.g. `"avx2"`) is in ``features``.
  /// - Parameter feature: a name from ``knownFeatures``.
  public func has(_ feature: String) -> Bool { features.contains(feature) }

  /// The data (or unified) cache at `level`, if known.
  /// - Parameter level: 1 for L1, 2 for L2, …
  public func dataCache(level: Int) -> CacheLevel? {
    caches.first { $0.level == level && $0.holdsData }
  }
}
