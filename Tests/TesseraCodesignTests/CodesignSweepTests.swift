import Foundation
import Testing

@testable import TesseraCodesign

@Suite("Co-design sweep on the bundled MLP")
struct CodesignSweepTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func sweep(_ shard: ShardSpec = .whole) throws -> CodesignSweep {
    let grid = try CodesignGrid(weightBits: [8, 4], sparsity: ["dense"], hardware: ["edge-npu", "tpu-v1"])
    var sweep = CodesignSweep(
      modelPath: root + "/Models/mlp.safetensors", dataPath: root + "/Models/data/mnist_5k.csv.gz", grid: grid)
    sweep.shard = shard
    sweep.calibrationSamples = 128
    sweep.hostRuns = 5
    return sweep
  }

  @Test("two shards merged equal the unsharded sweep (all but measured host latency), and a rerun skips every point")
  func shardsMergeToTheWhole() throws {
    let whole = CodesignResults.finalized(try Self.sweep().run())
    #expect(whole.count == 4)
    // The bundled MLP is 97.70 % in float; 8-bit stays within a point, 4-bit is lower but not broken.
    let eight = try #require(whole.first { $0.weightBits == 8 })
    #expect(eight.top1 > 0.965 && eight.top1 <= 1)
    #expect(whole.allSatisfy { $0.energyPicojoules > 0 && $0.latencySeconds > 0 && $0.modelBytes > 0 && $0.hostLatencyMicroseconds > 0 })
    // 4-bit weights move fewer bytes: less modeled energy on the same hardware.
    for hw in ["edge-npu", "tpu-v1"] {
      let e8 = try #require(whole.first { $0.hardware == hw && $0.weightBits == 8 }).energyPicojoules
      let e4 = try #require(whole.first { $0.hardware == hw && $0.weightBits == 4 }).energyPicojoules
      #expect(e4 < e8)
    }
    let parts = try (0..<2).map { try Self.sweep(try ShardSpec(index: $0, count: 2)).run() }
    #expect(parts.map(\.count) == [2, 2])
    let dir = FileManager.default.temporaryDirectory.path + "/codesign-shards-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (i, part) in parts.enumerated() { try CodesignResults.write(part, to: "\(dir)/\(i).jsonl") }
    let merged = try CodesignResults.merge(["\(dir)/0.jsonl", "\(dir)/1.jsonl"])
    func deterministic(_ points: [CodesignPoint]) -> [CodesignPoint] {
      points.map { var p = $0; p.hostLatencyMicroseconds = 0; return p }
    }
    #expect(deterministic(merged) == deterministic(whole))
    #expect(try Self.sweep().run(existing: whole).isEmpty)
    #expect(try Self.sweep().pending(existing: Array(whole.prefix(3))).count == 1)
  }
}
