import Foundation
import Testing
@testable import Tessera

@Suite("CPU, cache and BLAS information")
struct MachineInfoTests {
  /// Writes a fake `cache` directory; returns its path.
  static func makeFakeSysfs(_ entries: [String: [String: String]]) throws -> String {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("tessera-cache-\(UUID().uuidString)").path
    for (index, files) in entries {
      let directory = root + "/" + index
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      for (name, contents) in files {
        try (contents + "\n").write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
      }
    }
    try "".write(toFile: root + "/uevent", atomically: true, encoding: .utf8)
    return root
  }

  static func cacheFiles(_ level: Int, _ type: String, _ size: String, ways: Int, shared: String) -> [String: String] {
    ["level": "\(level)", "type": type, "size": size, "coherency_line_size": "64",
     "ways_of_associativity": "\(ways)", "shared_cpu_list": shared]
  }

  @Test func readsAFakeSysfsTree() throws {
    var broken = Self.cacheFiles(4, "Unified", "1K", ways: 1, shared: "0")
    broken["size"] = nil
    let root = try Self.makeFakeSysfs([
      "index0": Self.cacheFiles(1, "Data", "48K", ways: 12, shared: "0,64"),
      "index1": Self.cacheFiles(1, "Instruction", "32K", ways: 8, shared: "0,64"),
      "index2": Self.cacheFiles(2, "Unified", "2048K", ways: 16, shared: "0,64"),
      "index3": Self.cacheFiles(3, "Unified", "32M", ways: 16, shared: "0-7,64-71"),
      "index4": broken,
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let caches = CacheLevel.read(directory: root)
    #expect(caches == [
      CacheLevel(level: 1, type: "Data", sizeBytes: 48 * 1024, lineBytes: 64, ways: 12, sharedBy: 2),
      CacheLevel(level: 1, type: "Instruction", sizeBytes: 32 * 1024, lineBytes: 64, ways: 8, sharedBy: 2),
      CacheLevel(level: 2, type: "Unified", sizeBytes: 2 << 20, lineBytes: 64, ways: 16, sharedBy: 2),
      CacheLevel(level: 3, type: "Unified", sizeBytes: 32 << 20, lineBytes: 64, ways: 16, sharedBy: 16),
    ])
    let cpu = CPUInfo.detect(cacheDirectory: root)
    #if os(Linux)
    #expect(cpu.caches == caches)
    #expect(cpu.dataCache(level: 1)?.sizeBytes == 48 * 1024)
    #expect(cpu.dataCache(level: 2)?.type == "Unified")
    #endif
  }

  @Test func missingSysfsGivesNoCaches() {
    #expect(CacheLevel.read(directory: "/nonexistent/tessera/cache").isEmpty)
    #if os(Linux)
    #expect(CPUInfo.detect(cacheDirectory: "/nonexistent/tessera/cache").caches.isEmpty)
    #endif
  }

  @Test func sharedCPUMaskIsUsedWhenTheListIsMissing() throws {
    var files = Self.cacheFiles(2, "Unified", "512K", ways: 8, shared: "")
    files["shared_cpu_list"] = nil
    files["shared_cpu_map"] = "00000000,0000000f"
    let root = try Self.makeFakeSysfs(["index0": files])
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(CacheLevel.read(directory: root).first?.sharedBy == 4)
  }

  @Test func parsesSizesAndCPULists() {
    #expect(CacheLevel.parseSize("32K") == 32768)
    #expect(CacheLevel.parseSize("1M") == 1 << 20)
    #expect(CacheLevel.parseSize("4096") == 4096)
    #expect(CacheLevel.parseSize("K") == nil)
    #expect(CacheLevel.countCPUList("0-3,8,10-11") == 7)
    #expect(CacheLevel.countCPUList("5") == 1)
    #expect(CacheLevel.countCPUMask("ff,00000001") == 9)
  }

  @Test func currentMachineIsSelfConsistent() {
    let cpu = CPUInfo.current
    #expect(cpu.logicalCores >= 1)
    #expect(cpu.features.allSatisfy { CPUInfo.knownFeatures.contains($0) })
    if ISA.avx2.isSupported { #expect(cpu.has("avx2")) }
    if ISA.avx512vnni.isSupported { #expect(cpu.has("avx512vnni") && cpu.has("avx512bw")) }
    if ISA.avxvnni.isSupported { #expect(cpu.has("avxvnni")) }
    if ISA.neondot.isSupported { #expect(cpu.has("neondot")) }
    if ISA.neoni8mm.isSupported { #expect(cpu.has("neoni8mm") && cpu.has("neondot")) }
    if cpu.has("avx512f") { #expect(cpu.has("avx2")) }
    #if os(Linux) && arch(x86_64)
    #expect(!cpu.brand.isEmpty)
    #endif
  }

  #if os(Linux)
  @Test func openBLASReportsItselfAndThreads() {
    #expect(BLASInfo.vendor == "OpenBLAS")
    #expect(BLASInfo.version.hasPrefix("OpenBLAS"))
    #expect(!BLASInfo.versionNumber.isEmpty)
    #expect(!BLASInfo.coreName.isEmpty)
    #expect(BLASInfo.summary.hasPrefix("OpenBLAS " + BLASInfo.versionNumber))
    let before = BLASInfo.threads
    BLASInfo.setThreads(1)
    #expect(BLASInfo.threads == 1)
    BLASInfo.setThreads(before)
    #expect(BLASInfo.threads == before)
  }
  #endif
}
