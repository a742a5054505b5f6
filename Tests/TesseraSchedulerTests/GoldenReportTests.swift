import Foundation
import Tessera
import Testing
@testable import TesseraScheduler

/// Golden reports: for fixed (layer, hardware, dataflow, metric) the CSV report must equal the
/// checked-in file under Models/golden/ byte for byte. To regenerate after an intended model
/// change, run `TESSERA_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests` (or the
/// `tessera schedule … --format csv` command listed in Models/golden/README.md) and review the diff.
struct GoldenReportTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let file: String
    let hardware: String
    let layer: String
    let dataflow: Dataflow
    let metric: Metric
    var testDescription: String { file }
  }

  static let golden = HardwareSpecTests.repository.appendingPathComponent("Models/golden")

  static let cases = [
    // Hand-derived (HandDerivedTests): 5×3×4 GEMM on 2×2, cycles 36 / 36 / 42.
    Case(file: "tiny-2x2-ws.csv", hardware: "tiny-2x2.yaml", layer: "gemm:5,3,4", dataflow: .ws, metric: .cycles),
    Case(file: "tiny-2x2-os.csv", hardware: "tiny-2x2.yaml", layer: "gemm:5,3,4", dataflow: .os, metric: .cycles),
    Case(file: "tiny-2x2-is.csv", hardware: "tiny-2x2.yaml", layer: "gemm:5,3,4", dataflow: .is, metric: .cycles),
    Case(file: "lenet-conv2-eyeriss-rs.csv", hardware: "eyeriss", layer: "conv:1,6,14,14,16,5,5", dataflow: .rs, metric: .energy),
    Case(file: "lenet-conv2-eyeriss-ws.csv", hardware: "eyeriss", layer: "conv:1,6,14,14,16,5,5", dataflow: .ws, metric: .energy),
    Case(file: "lenet-conv2-edge-npu-ws.csv", hardware: "edge-npu", layer: "conv:1,6,14,14,16,5,5", dataflow: .ws, metric: .energy),
    Case(file: "resnet-3x3-edge-npu-os.csv", hardware: "edge-npu", layer: "conv:1,32,16,16,64,3,3,1,1", dataflow: .os, metric: .cycles),
    Case(file: "gemm-256-tpu-v1-ws.csv", hardware: "tpu-v1", layer: "gemm:256,256,256", dataflow: .ws, metric: .energy),
  ]

  static func report(_ c: Case) throws -> String {
    let spec = c.hardware.hasSuffix(".yaml")
      ? try HardwareSpec.load(golden.appendingPathComponent(c.hardware).path)
      : try HardwareSpec.preset(named: c.hardware)
    let parts = c.layer.split(separator: ":")
    let workload = parts[0] == "gemm" ? try Workload.parseGEMM(String(parts[1])) : try Workload.parseConv(String(parts[1]))
    let best = try Mapper.search(workload, on: spec, options: MapperOptions(metric: c.metric, dataflows: [c.dataflow])).best
    return try ReportFormat.csv.render(ScheduleReport(spec: spec, costs: [best]))
  }

  @Test(arguments: cases)
  func matchesTheCheckedInReport(_ c: Case) throws {
    let text = try Self.report(c)
    let url = Self.golden.appendingPathComponent(c.file)
    if ProcessInfo.processInfo.environment["TESSERA_UPDATE_GOLDEN"] == "1" {
      let temp = url.appendingPathExtension("tmp")
      try Data(text.utf8).write(to: temp)
      if FileManager.default.fileExists(atPath: url.path) {
        _ = try FileManager.default.replaceItemAt(url, withItemAt: temp)
      } else {
        try FileManager.default.moveItem(at: temp, to: url)
      }
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(c.file) differs; regenerate with TESSERA_UPDATE_GOLDEN=1 and review the diff")
  }

  /// The hand derivation of tiny-2x2-ws.csv, read back from the file: a 5×3×4 GEMM (M×N×K)
  /// weight-stationary on 2×2 has ⌈4/2⌉·⌈3/2⌉ = 4 folds of T = 5 rows, 4·(5 + 2·2 + 2 − 2) = 36
  /// cycles; the SRAM reads A once per column fold (2·5·4 = 40) and B once (12).
  @Test func goldenWeightStationaryMatchesTheHandDerivation() throws {
    let url = Self.golden.appendingPathComponent("tiny-2x2-ws.csv")
    let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let header = rows[0]
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    let sram = try #require(rows.first { $0.count > column("level") && $0[column("level")] == "SRAM" })
    #expect(sram[column("cycles")] == "36")
    #expect(sram[column("folds")] == "4")
    #expect(sram[column("input_reads")] == "40")
    #expect(sram[column("weight_reads")] == "12")
  }
}
