import Foundation
import Testing
import Tessera
import TesseraQuantization
@testable import TesseraCompression

/// Per-layer sensitivity: one layer perturbed at a time, figures equal to a hand-made perturbation,
/// the JSON keys the report helper reads.
@Suite("Layer sensitivity")
struct SensitivityTests {
  static func network() throws -> FusedNetwork {
    var rng = SplitMix64(seed: 12)
    func values(_ n: Int, _ s: Float) -> [Float] { (0..<n).map { _ in (Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1) * s } }
    return try FusedNetwork(inputShape: [16], operations: [
      .dense(DenseStage(name: "fc1", inputs: 16, outputs: 24, weight: values(384, 0.5), bias: values(24, 0.1), relu: true)),
      .dense(DenseStage(name: "fc2", inputs: 24, outputs: 5, weight: values(120, 0.5), bias: values(5, 0.1), relu: false)),
    ])
  }

  /// 200 samples labelled by the float model itself, except every 10th (so top-1 is 0.9).
  static func data(_ net: FusedNetwork) throws -> (x: [Float], y: [Int]) {
    var rng = SplitMix64(seed: 3)
    let x = (0..<(200 * 16)).map { _ in Float(rng.next() >> 40) / Float(1 << 24) }
    let logits = try net.forward(x, count: 200)
    let y = (0..<200).map { i -> Int in
      let row = logits[(i * 5)..<((i + 1) * 5)]
      let best = row.indices.max { row[$0] < row[$1] }! - i * 5
      return i % 10 == 0 ? (best + 1) % 5 : best
    }
    return (x, y)
  }

  @Test func eachEntryPerturbsOnlyItsLayer() throws {
    let net = try Self.network()
    let (x, y) = try Self.data(net)
    let report = try LayerSensitivity(network: net, samples: x, labels: y)
      .measure(settings: [.bits(8), .bits(4), .bits(2), .pruned(0), .pruned(0.5)], model: "tiny")
    #expect(report.baselineTop1 == 0.9)
    #expect(report.layers.map(\.layer) == Array(repeating: "fc1", count: 5) + Array(repeating: "fc2", count: 5))
    #expect(report.layers.map(\.setting).prefix(5) == ["8-bit", "4-bit", "2-bit", "pruned 0%", "pruned 50%"])
    // By hand: fc2 at 4 bits, fc1 float.
    var perturbed = net
    guard case var .dense(d) = net.operations[1] else { Issue.record("no dense"); return }
    let q = try WeightObserver.quantization(weights: d.weight, channels: 5, bits: 4, perChannel: true, method: .mse)
    d.weight = q.dequantize(matrix: try q.quantize(matrix: d.weight, columns: 24), columns: 24)
    perturbed.operations[1] = .dense(d)
    let expected = QuantizationMetrics.sqnr(reference: try net.forward(x, count: 200), approximation: try perturbed.forward(x, count: 200))
    let entry = try #require(report.entry(layer: "fc2", setting: .bits(4)))
    #expect(abs(entry.sqnrDecibels - expected) < 1e-9)
    #expect(abs(entry.top1Drop - (report.baselineTop1 - entry.top1)) < 1e-12)
    for layer in ["fc1", "fc2"] {
      let s8 = report.entry(layer: layer, setting: .bits(8))!.sqnrDecibels
      let s4 = report.entry(layer: layer, setting: .bits(4))!.sqnrDecibels
      let s2 = report.entry(layer: layer, setting: .bits(2))!.sqnrDecibels
      #expect(s8 > s4 && s4 > s2)
      // Pruning nothing changes nothing.
      let none = report.entry(layer: layer, setting: .pruned(0))!
      #expect(none.sqnrDecibels == .infinity && none.top1Drop == 0)
      #expect(report.entry(layer: layer, setting: .pruned(0.5))!.sqnrDecibels.isFinite)
    }
  }

  @Test func jsonHasTheAgreedKeys() throws {
    let report = SensitivityReport(model: "lenet", baselineTop1: 0.985, layers: [
      .init(layer: "conv1", setting: "4-bit", top1: 0.98, top1Drop: 0.005, sqnrDecibels: 21.3),
      .init(layer: "conv1", setting: "pruned 0%", top1: 0.985, top1Drop: 0, sqnrDecibels: .infinity),
    ])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(ReportFormat.encodeJSON(report).utf8)) as? [String: Any])
    #expect(Set(json.keys) == ["model", "baseline_top1", "layers"])
    let layers = try #require(json["layers"] as? [[String: Any]])
    #expect(Set(layers[0].keys) == ["layer", "setting", "top1", "top1_drop", "sqnr_db"])
    #expect(layers[0]["sqnr_db"] as? Double == 21.3)
    #expect(layers[1]["sqnr_db"] is NSNull)
    let decoded = try JSONDecoder().decode(SensitivityReport.self, from: Data(ReportFormat.encodeJSON(report).utf8))
    #expect(decoded == report)
  }

  @Test func badInputIsAnError() throws {
    let net = try Self.network()
    let (x, y) = try Self.data(net)
    let s = try LayerSensitivity(network: net, samples: x, labels: y)
    #expect(throws: CompressionError.invalidBits(9)) { _ = try s.measure(settings: [.bits(9)], model: "m") }
    #expect(throws: CompressionError.invalidSparsity(1)) { _ = try s.measure(settings: [.pruned(1)], model: "m") }
    #expect(throws: CompressionError.self) { _ = try s.measure(settings: [], model: "m") }
    #expect(throws: CompressionError.self) { _ = try LayerSensitivity(network: net, samples: [1, 2], labels: [0]) }
  }
}
