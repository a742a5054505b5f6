import Foundation
import Testing
import Tessera
import TesseraNN
@testable import TesseraCompression

/// The report of `tessera compress`: JSON field names and per-layer rows.
@Suite struct CompressReportTests {
  typealias S = CompressionTestSupport

  @Test func rowsFollowFactorsAndPrunedShapes() throws {
    let original = S.plainMLP()
    let (factored, lowRank) = try LowRank.factorize(original, target: .rank(2), layers: ["fc1"])
    let (pruned, _) = try Pruner.prune(factored, method: .channel(fraction: 0.5), layers: ["fc2"])
    let rows = CompressReport.layers(original: original, compressed: pruned, lowRank: lowRank)
    #expect(rows.map(\.name) == ["fc1_v", "fc1_u", "fc2", "fc3"])
    #expect(rows.map(\.source) == ["fc1", "fc1", "fc2", "fc3"])
    #expect(rows[0].shapeBefore == [8, 16] && rows[0].shapeAfter == [2, 16] && rows[1].shapeAfter == [8, 2])
    #expect(rows[0].paramsBefore == 136 && rows[1].paramsBefore == nil)
    #expect(rows[2].shapeAfter == [3, 8] && rows[3].shapeAfter == [3, 3])
  }

  @Test func jsonFieldNames() throws {
    let report = CompressReport(
      model: "m.safetensors", out: "o.safetensors", prune: "2:4", lowRank: nil,
      layers: [.init(name: "fc1", source: "fc1", shapeBefore: [4, 4], shapeAfter: [4, 4], density: 0.5, paramsBefore: 20, paramsAfter: 20)],
      lowRankLayers: [], paramsBefore: 20, paramsAfter: 20, nonzeroParamsAfter: 12, density: 0.5, top1Before: 0.9,
      top1Pruned: 0.8, top1FineTuned: 0.88, epochs: [], bytes: 100)
    let json = try ReportFormat.json.render(report)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    for key in ["model", "out", "prune", "layers", "low_rank_layers", "params_before", "params_after", "nonzero_params_after",
      "density", "top1_before", "top1_pruned", "top1_fine_tuned", "epochs", "fine_tune_seconds", "bytes"]
    {
      #expect(object[key] != nil, "\(key)")
    }
    let layer = try #require((object["layers"] as? [[String: Any]])?.first)
    #expect(Set(layer.keys) == ["name", "source", "shape_before", "shape_after", "density", "params_before", "params_after"])
    #expect(try ReportFormat.csv.render(report).hasPrefix("layer,source,shape_before"))
    #expect(try ReportFormat.table.render(report).contains("top-1: 90.00 % before"))
  }
}
