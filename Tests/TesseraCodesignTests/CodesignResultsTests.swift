import Foundation
import Testing

@testable import TesseraCodesign

@Suite("Co-design grid, shards, Pareto flags and result files")
struct CodesignResultsTests {
  static func point(
    _ bits: Int, _ sparsity: String = "dense", _ hardware: String = "edge-npu", top1: Double = 0.98,
    energy: Double = 1e6, latency: Double = 1e-5, area: Double = 1, host: Double = 100
  ) -> CodesignPoint {
    CodesignPoint(
      model: "m", weightBits: bits, sparsity: sparsity, hardware: hardware, top1: top1, modelBytes: 1000,
      latencySeconds: latency, energyPicojoules: energy, areaSquareMillimeters: area, hostLatencyMicroseconds: host)
  }

  static func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("codesign-test-\(getpid())-\(name)").path
  }

  @Test("the grid numbers points sparsity-major and shards cover it exactly once")
  func gridAndShards() throws {
    let grid = try CodesignGrid(weightBits: [8, 6, 4, 8], sparsity: ["dense", "2:4"], hardware: ["a", "b"])
    #expect(grid.weightBits == [8, 6, 4])
    #expect(grid.count == 12 && grid.points.count == 12)
    #expect(grid.points[0].sparsity == "dense" && grid.points[0].weightBits == 8 && grid.points[0].hardware == "a")
    #expect(grid.points[1].hardware == "b" && grid.points[2].weightBits == 6 && grid.points[6].sparsity == "2:4")
    for n in 1...5 {
      let shards = try (0..<n).map { try ShardSpec(index: $0, count: n) }
      for p in grid.points { #expect(shards.filter { $0.contains(p.index) }.count == 1) }
    }
    #expect(try ShardSpec(parsing: " 1 / 3 ") == ShardSpec(index: 1, count: 3))
  }

  @Test("bad grids and shards are clear errors", arguments: [
    ("bits", "", "no weight bit widths"), ("bits", "9", "outside 2...8"), ("bits", "1", "outside 2...8"),
    ("bits", "8,x", "not an integer"), ("sparsity", "", "no sparsity"), ("hardware", "", "no hardware"),
    ("shard", "3/2", "0 <= i < n"), ("shard", "0/0", "0 <= i < n"), ("shard", "-1/2", "0 <= i < n"), ("shard", "1", "not i/n"),
  ])
  func badInput(axis: String, value: String, message: String) {
    do {
      switch axis {
      case "bits": _ = try CodesignGrid(weightBits: try CodesignGrid.bits(parsing: value), sparsity: ["dense"], hardware: ["h"])
      case "sparsity": _ = try CodesignGrid(weightBits: [8], sparsity: CodesignGrid.list(value), hardware: ["h"])
      case "hardware": _ = try CodesignGrid(weightBits: [8], sparsity: ["dense"], hardware: CodesignGrid.list(value))
      default: _ = try ShardSpec(parsing: value)
      }
      Issue.record("\(axis) '\(value)' was accepted")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test("Pareto: dominated points are flagged off, ties and trade-offs stay on, models are not compared")
  func pareto() {
    let points = [
      Self.point(8, top1: 0.99, energy: 10),  // best accuracy
      Self.point(6, top1: 0.98, energy: 5),  // trade-off
      Self.point(4, top1: 0.97, energy: 6),  // dominated by the 6-bit point
      Self.point(3, top1: 0.98, energy: 5),  // equal to the 6-bit point: neither dominates
      { var p = Self.point(2, top1: 0.5, energy: 100); p.model = "other"; return p }(),
    ]
    #expect(ParetoFrontier.marked(points).map(\.pareto) == [true, true, false, true, true])
    // Host latency does not count.
    #expect(!ParetoFrontier.dominates(Self.point(8, host: 1), Self.point(8, host: 1000)))
  }

  @Test("a results file round-trips; a last line cut short is dropped and repaired; a bad middle line is an error")
  func resultFiles() throws {
    let path = Self.temporaryPath("results.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try? FileManager.default.removeItem(atPath: path)
    #expect(try CodesignResults.read(path, missingIsEmpty: true).isEmpty)
    try CodesignResults.append(Self.point(8), to: path)
    try CodesignResults.append(Self.point(4), to: path)
    #expect(try CodesignResults.read(path) == [Self.point(8), Self.point(4)])
    // A run killed mid-write leaves half a line.
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("{\"model\":\"m\",\"weig".utf8))
    try handle.close()
    #expect(try CodesignResults.read(path).count == 2)
    try CodesignResults.append(Self.point(6), to: path)
    #expect(try CodesignResults.read(path).map(\.weightBits) == [8, 4, 6])
    // Garbage in the middle is not silently skipped.
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try ("not json\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: CodesignError.self) { try CodesignResults.read(path) }
    do {
      _ = try CodesignResults.read(path)
    } catch {
      #expect("\(error)".contains(":1:"), "\(error)")
    }
  }

  @Test("merge: each point once in canonical order, conflicts rejected, host latency may differ")
  func merge() throws {
    let a = Self.temporaryPath("a.jsonl"), b = Self.temporaryPath("b.jsonl"), c = Self.temporaryPath("c.jsonl")
    defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
    try CodesignResults.write([Self.point(4, "2:4"), Self.point(8)], to: a)
    try CodesignResults.write([Self.point(6), Self.point(8, host: 5)], to: b)
    let merged = try CodesignResults.merge([a, b])
    #expect(merged.map { "\($0.sparsity)/\($0.weightBits)" } == ["2:4/4", "dense/8", "dense/6"])
    #expect(merged[1].hostLatencyMicroseconds == 100)
    try CodesignResults.write([Self.point(8, top1: 0.5)], to: c)
    #expect(throws: CodesignError.self) { try CodesignResults.merge([a, c]) }
  }
}
