import Foundation

/// What `tessera info` prints: CPU, ISA features, the kernel chosen per operation, the
/// BLAS library and the cache hierarchy.
///
/// JSON: `{"cpu": {"brand", "logical_cores", "features"}, "isa": {"best", "compiled",
/// "supported", "override"}, "kernels": [{"op", "name", "isa", "mr", "nr", "kr", "selected",
/// "supported"}], "blas": {"vendor", "version", "core", "summary", "threads"}, "caches":
/// [{"level", "type", "size_bytes", "line_bytes", "ways", "shared_by"}], "selection_error"}`.
public struct InfoReport: TabularReport, Sendable, Equatable {
  /// One compiled kernel and whether dispatch picks it.
  public struct Kernel: Sendable, Equatable {
    /// The kernel.
    public var kernel: Int8Kernel
    /// True when ``Int8Kernel/selected(for:)`` returns it for its op.
    public var selected: Bool
  }

  /// The CPU description.
  public var cpu: CPUInfo
  /// The most capable usable ISA (ignoring `TESSERA_ISA`).
  public var bestISA: ISA
  /// ISAs compiled into this build.
  public var compiledISAs: [ISA]
  /// ISAs compiled and runnable here.
  public var supportedISAs: [ISA]
  /// The `TESSERA_ISA` value, if set.
  public var isaOverride: String?
  /// Every compiled kernel.
  public var kernels: [Kernel]
  /// The dispatcher's message when `TESSERA_ISA` cannot be honoured.
  public var selectionError: String?
  /// `"OpenBLAS"` or `"Accelerate"`.
  public var blasVendor: String
  /// The BLAS build string.
  public var blasVersion: String
  /// The BLAS kernel family (`"Zen"`, `"Haswell"`, …).
  public var blasCore: String
  /// One-line BLAS summary.
  public var blasSummary: String
  /// BLAS threads.
  public var blasThreads: Int

  /// Collects the running machine's description.
  /// - Returns: the report; a bad `TESSERA_ISA` is recorded in ``selectionError``, not thrown.
  public static func current() -> InfoReport {
    var selectionError: String?
    var selected = Set<Int8Kernel>()
    for op in KernelOp.allCases {
      do { selected.insert(try Int8Kernel.selected(for: op)) } catch { selectionError = "\(error)" }
    }
    return InfoReport(
      cpu: CPUInfo.current, bestISA: ISA.best, compiledISAs: ISA.allCases.filter(\.isCompiled),
      supportedISAs: ISA.allCases.filter(\.isSupported),
      isaOverride: ProcessInfo.processInfo.environment["TESSERA_ISA"],
      kernels: Int8Kernel.all.map { Kernel(kernel: $0, selected: selected.contains($0)) },
      selectionError: selectionError, blasVendor: BLASInfo.vendor, blasVersion: BLASInfo.version,
      blasCore: BLASInfo.coreName, blasSummary: BLASInfo.summary, blasThreads: BLASInfo.threads)
  }

  /// Human-readable byte counts: 32768 → "32 KiB", 1048576 → "1 MiB".
  static func bytes(_ count: Int) -> String {
    if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
    if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
    return "\(count) B"
  }

  /// Short cache names: "L1d", "L1i", "L2", "L3".
  static func cacheName(_ cache: CacheLevel) -> String {
    switch cache.type {
    case "Data": "L\(cache.level)d"
    case "Instruction": "L\(cache.level)i"
    default: "L\(cache.level)"
    }
  }

  /// The report as `item, value` rows (the same rows for text and CSV).
  /// - Parameter format: `.table` or `.csv` (CSV headers are `item,value`).
  /// - Returns: the table.
  public func table(for format: ReportFormat) -> ReportTable {
    var table = ReportTable(columns: [.init("item"), .init("value")])
    func add(_ item: String, _ value: String) { try? table.append([item, value]) }  // two cells by construction
    add("cpu", cpu.brand.isEmpty ? "unknown" : cpu.brand)
    add("logical cores", "\(cpu.logicalCores)")
    add("features", cpu.features.joined(separator: " "))
    add("int8 isa (best)", bestISA.rawValue)
    add("isa compiled", compiledISAs.map(\.rawValue).joined(separator: " "))
    add("isa supported", supportedISAs.map(\.rawValue).joined(separator: " "))
    if let isaOverride { add("TESSERA_ISA", isaOverride) }
    if let selectionError { add("selection error", selectionError) }
    for op in KernelOp.allCases {
      if let chosen = kernels.first(where: { $0.selected && $0.kernel.op == op })?.kernel {
        add("\(op.rawValue) kernel", "\(chosen.name) (mr \(chosen.mr), nr \(chosen.nr), kr \(chosen.kr))")
      }
    }
    add("blas", blasSummary + (blasThreads > 0 ? ", \(blasThreads) thread\(blasThreads == 1 ? "" : "s")" : ""))
    add("blas build", blasVersion)
    for cache in cpu.caches {
      add("\(Self.cacheName(cache)) cache",
          "\(Self.bytes(cache.sizeBytes)), \(cache.ways)-way, \(cache.lineBytes) B lines, shared by \(cache.sharedBy) cpu\(cache.sharedBy == 1 ? "" : "s")")
    }
    return table
  }

  /// Every compiled kernel, listed under the table.
  public var notes: [String] {
    ["compiled kernels (* = selected):"] + kernels.map { entry in
      "  \(entry.selected ? "*" : " ") \(entry.kernel.op.rawValue)  \(entry.kernel.name)"
        + (entry.kernel.isSupported ? "" : "  (not supported by this CPU)")
    }
  }
}

extension InfoReport: Encodable {
  private enum Keys: String, CodingKey {
    case cpu, isa, kernels, blas, caches, brand, features, best, compiled, supported, override, op, name, mr, nr,
      kr, selected, vendor, version, core, summary, threads, level, type, ways
    case logicalCores = "logical_cores", sizeBytes = "size_bytes", lineBytes = "line_bytes"
    case sharedBy = "shared_by", selectionError = "selection_error"
  }

  /// Encodes the documented JSON layout.
  /// - Throws: `EncodingError` only if the encoder fails.
  public func encode(to encoder: any Encoder) throws {
    var root = encoder.container(keyedBy: Keys.self)
    var cpuBox = root.nestedContainer(keyedBy: Keys.self, forKey: .cpu)
    try cpuBox.encode(cpu.brand, forKey: .brand)
    try cpuBox.encode(cpu.logicalCores, forKey: .logicalCores)
    try cpuBox.encode(cpu.features, forKey: .features)
    var isaBox = root.nestedContainer(keyedBy: Keys.self, forKey: .isa)
    try isaBox.encode(bestISA.rawValue, forKey: .best)
    try isaBox.encode(compiledISAs.map(\.rawValue), forKey: .compiled)
    try isaBox.encode(supportedISAs.map(\.rawValue), forKey: .supported)
    try isaBox.encode(isaOverride, forKey: .override)
    var kernelList = root.nestedUnkeyedContainer(forKey: .kernels)
    for entry in kernels {
      var box = kernelList.nestedContainer(keyedBy: Keys.self)
      try box.encode(entry.kernel.op.rawValue, forKey: .op)
      try box.encode(entry.kernel.name, forKey: .name)
      try box.encode(entry.kernel.isa.rawValue, forKey: .isa)
      try box.encode(entry.kernel.mr, forKey: .mr)
      try box.encode(entry.kernel.nr, forKey: .nr)
      try box.encode(entry.kernel.kr, forKey: .kr)
      try box.encode(entry.selected, forKey: .selected)
      try box.encode(entry.kernel.isSupported, forKey: .supported)
    }
    var blasBox = root.nestedContainer(keyedBy: Keys.self, forKey: .blas)
    try blasBox.encode(blasVendor, forKey: .vendor)
    try blasBox.encode(blasVersion, forKey: .version)
    try blasBox.encode(blasCore, forKey: .core)
    try blasBox.encode(blasSummary, forKey: .summary)
    try blasBox.encode(blasThreads, forKey: .threads)
    var cacheList = root.nestedUnkeyedContainer(forKey: .caches)
    for cache in cpu.caches {
      var box = cacheList.nestedContainer(keyedBy: Keys.self)
      try box.encode(cache.level, forKey: .level)
      try box.encode(cache.type, forKey: .type)
      try box.encode(cache.sizeBytes, forKey: .sizeBytes)
      try box.encode(cache.lineBytes, forKey: .lineBytes)
      try box.encode(cache.ways, forKey: .ways)
      try box.encode(cache.sharedBy, forKey: .sharedBy)
    }
    try root.encode(selectionError, forKey: .selectionError)
  }
}
