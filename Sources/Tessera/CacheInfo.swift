import Foundation

/// One level of the CPU cache hierarchy as seen by one core.
///
/// For example, a Zen 4 core reports `CacheLevel(level: 1, type: "Data", sizeBytes: 32768,
/// lineBytes: 64, ways: 8, sharedBy: 2)` when SMT siblings share the L1.
public struct CacheLevel: Sendable, Hashable, Codable {
  /// 1 for L1, 2 for L2, …
  public var level: Int
  /// `"Data"`, `"Instruction"` or `"Unified"`.
  public var type: String
  /// Capacity of one instance in bytes.
  public var sizeBytes: Int
  /// Line size in bytes.
  public var lineBytes: Int
  /// Associativity (0 when unknown or fully associative).
  public var ways: Int
  /// Logical CPUs sharing one instance (≥ 1).
  public var sharedBy: Int

  /// Makes a cache description.
  /// - Parameters:
  ///   - level: 1 for L1, 2 for L2, …
  ///   - type: `"Data"`, `"Instruction"` or `"Unified"`.
  ///   - sizeBytes: capacity of one instance.
  ///   - lineBytes: line size.
  ///   - ways: associativity (0 when unknown).
  ///   - sharedBy: logical CPUs sharing one instance.
  public init(level: Int, type: String, sizeBytes: Int, lineBytes: Int, ways: Int, sharedBy: Int) {
    self.level = level
    self.type = type
    self.sizeBytes = sizeBytes
    self.lineBytes = lineBytes
    self.ways = ways
    self.sharedBy = sharedBy
  }

  /// True for caches that hold data (`"Data"` or `"Unified"`).
  public var holdsData: Bool { type != "Instruction" }

  /// Linux's cache directory for CPU 0.
  public static let defaultDirectory = "/sys/devices/system/cpu/cpu0/cache"

  /// Reads the caches of one CPU from a sysfs-style directory holding `index0/`, `index1/`, …
  /// each with `level`, `type`, `size` (e.g. `32K`), `coherency_line_size`,
  /// `ways_of_associativity` and `shared_cpu_list`.
  ///
  /// Missing or unreadable directories give an empty list; an entry without a level,
  /// type or size is skipped; other missing fields read as 0 (ways) or 64 / 1.
  /// - Parameter directory: the `cache` directory (tests pass a fake one).
  /// - Returns: caches sorted by level, then type.
  public static func read(directory: String = defaultDirectory) -> [CacheLevel] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let caches = names.filter { $0.hasPrefix("index") }.compactMap { name -> CacheLevel? in
      let path = directory + "/" + name + "/"
      func field(_ file: String) -> String? {
        guard let text = try? String(contentsOfFile: path + file, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
      }
      guard let level = field("level").flatMap({ Int($0) }), let type = field("type"),
            let size = field("size").flatMap(parseSize) else { return nil }
      let shared = field("shared_cpu_list").map(countCPUList)
        ?? field("shared_cpu_map").map(countCPUMask) ?? 1
      return CacheLevel(
        level: level, type: type, sizeBytes: size,
        lineBytes: field("coherency_line_size").flatMap { Int($0) } ?? 64,
        ways: field("ways_of_associativity").flatMap { Int($0) } ?? 0,
        sharedBy: Swift.max(shared, 1))
    }
    return caches.sorted { ($0.level, $0.type) < ($1.level, $1.type) }
  }

  /// The caches of the running machine: sysfs on Linux, `sysctl` on Apple platforms.
  public static func detect() -> [CacheLevel] {
    #if canImport(Darwin)
    return readSysctl()
    #else
    return read()
    #endif
  }

  /// Parses sysfs sizes such as `"32K"`, `"1024K"`, `"32M"` or `"512"` into bytes.
  static func parseSize(_ text: String) -> Int? {
    let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    guard let last = text.uppercased().last else { return nil }
    if let multiplier = multipliers[last] {
      return Int(text.dropLast()).map { $0 * multiplier }
    }
    return Int(text)
  }

  /// Counts CPUs in a list such as `"0-3,8,10-11"` (7).
  static func countCPUList(_ text: String) -> Int {
    text.split(separator: ",").reduce(0) { total, part in
      let bounds = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      switch bounds.count {
      case 1: return total + 1
      case 2 where bounds[1] >= bounds[0]: return total + bounds[1] - bounds[0] + 1
      default: return total
      }
    }
  }

  /// Counts set bits in a hexadecimal mask such as `"00000000,00000003"` (2).
  static func countCPUMask(_ text: String) -> Int {
    text.split(separator: ",").reduce(0) { total, word in
      total + (UInt64(word, radix: 16)?.nonzeroBitCount ?? 0)
    }
  }

  #if canImport(Darwin)
  /// Reads `hw.l1dcachesize`, `hw.l1icachesize`, `hw.l2cachesize`, `hw.l3cachesize`.
  static func readSysctl() -> [CacheLevel] {
    func value(_ name: String) -> Int {
      var result: Int64 = 0
      var size = MemoryLayout<Int64>.size
      return sysctlbyname(name, &result, &size, nil, 0) == 0 ? Int(result) : 0
    }
    let line = Swift.max(value("hw.cachelinesize"), 64)
    let entries: [(Int, String, String)] = [
      (1, "Data", "hw.l1dcachesize"), (1, "Instruction", "hw.l1icachesize"),
      (2, "Unified", "hw.l2cachesize"), (3, "Unified", "hw.l3cachesize"),
    ]
    return entries.compactMap { level, type, name in
      let size = value(name)
      return size > 0
        ? CacheLevel(level: level, type: type, sizeBytes: size, lineBytes: line, ways: 0, sharedBy: 1) : nil
    }
  }
  #endif
}
