import Foundation
import Testing
import Tessera
@testable import TesseraRuntime

@Suite("Reports")
struct ReportTests {
  @Test func validationJSONHasExactlyTheContractFields() throws {
    var report = ValidationReport(
      float: .init(top1: 0.983, latencyMicroseconds: 30.5), quantized: .init(top1: 0.981, latencyMicroseconds: 12.25),
      agreement: 0.995, bytes: .init(float: 250_280, quantized: 68_798),
      layers: [.init(name: "conv1", sqnrDB: 40.5, cosine: 0.9999), .init(name: "fc3", sqnrDB: .infinity, cosine: 1)])
    report.samples = 1000
    let text = try ReportFormat.json.render(report)
    let json = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(Set(json.keys) == ["float", "quantized", "agreement", "drop_points", "bytes", "layers"])
    let float = try #require(json["float"] as? [String: Any])
    #expect(Set(float.keys) == ["top1", "latency_us"])
    #expect(Set(try #require(json["quantized"] as? [String: Any]).keys) == ["top1", "latency_us"])
    #expect(Set(try #require(json["bytes"] as? [String: Any]).keys) == ["float", "quantized"])
    let layers = try #require(json["layers"] as? [[String: Any]])
    #expect(layers.count == 2)
    #expect(Set(layers[0].keys) == ["name", "sqnr_db", "cosine"])
    #expect(layers[1]["sqnr_db"] is NSNull)  // infinite SQNR has no JSON number
    #expect(abs((json["drop_points"] as? Double ?? 0) - 0.2) < 1e-9)
    #expect(json["agreement"] as? Double == 0.995)
    // Table and CSV render without throwing and mention every layer.
    let table = try ReportFormat.table.render(report)
    #expect(table.contains("conv1") && table.contains("fc3"))
    #expect(try ReportFormat.csv.render(report).split(separator: "\n").count == 1 + 4 + 2)
  }

  @Test func runReportRanksClasses() throws {
    let r = RunReport(
      model: "m", engine: "int8", kernel: nil, index: 0, label: 2, logits: [0, 1, 3, 2], k: 3, batch: 1,
      times: [3, 1, 2], steps: [])
    #expect(r.topK.map(\.class) == [2, 3, 1])
    #expect(abs(r.topK.map(\.probability).reduce(0, +) - 0.96793) < 1e-4)  // (1 + e⁻¹ + e⁻²) / (1 + e⁻¹ + e⁻² + e⁻³)
    #expect(r.latencyMicroseconds == 2)
    let json = try #require(JSONSerialization.jsonObject(with: Data(try ReportFormat.json.render(r).utf8)) as? [String: Any])
    #expect(json["top_k"] != nil && json["latency_us"] != nil && json["samples_per_second"] != nil)
  }
}
