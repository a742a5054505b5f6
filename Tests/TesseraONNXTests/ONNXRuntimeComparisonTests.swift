import Foundation
import Testing
import TesseraGraph
import TesseraRuntime

@testable import TesseraONNX

/// Models made by other tools (scikit-learn, onnx.helper, ONNX Runtime's quantize_static), run
/// by Tessera and by ONNX Runtime on the same digits.
@Suite(
  "Side by side with ONNX Runtime",
  .enabled(if: ONNXRuntime.canBuildModels, "python3 with onnx, onnxruntime and scikit-learn is not installed"))
struct ONNXRuntimeComparisonTests {
  static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/Models/data/mnist_5k.csv.gz"

  func model(_ name: String) throws -> String { try ONNXRuntime.builtModels.get() + "/\(name).onnx" }

  @Test("scikit-learn MLP: float top-1 equals ORT's within 0.05 points, its QDQ int8 top-1 within 0.3 points of ORT's int8")
  func sklearnMLP() throws {
    var top1 = [String: (ours: Double, ort: Double)]()
    for name in ["sklearn-mlp", "sklearn-mlp-qdq"] {
      let path = try model(name)
      let engine = try Engine(graph: try ONNXImporter.graph(contentsOf: path))
      #expect(!engine.isInterpreted, "\(name) should lower onto the compiled engine")
      let test = try DataSplit.test.load(Self.data, inputCount: engine.inputCount)
      let ours = ONNXRuntime.top1(try engine.run(test.pixels, count: test.count), classes: engine.outputCount)
      let theirs = ONNXRuntime.top1(try ONNXRuntime.outputs(model: path, input: test.pixels), classes: engine.outputCount)
      func rate(_ p: [Int]) -> Double { Double(zip(p, test.labels).filter { $0 == $1 }.count) / Double(test.count) }
      top1[name] = (rate(ours), rate(theirs))
    }
    let f = try #require(top1["sklearn-mlp"]), q = try #require(top1["sklearn-mlp-qdq"])
    #expect(abs(f.ours - f.ort) * 100 <= 0.05, "float top-1 \(f.ours) vs ORT \(f.ort)")
    #expect(abs(q.ours - q.ort) * 100 <= 0.3, "int8 top-1 \(q.ours) vs ORT \(q.ort)")
  }

  @Test("residual CNN with BatchNorm: float outputs within 1e-4 relative of ORT's; QDQ outputs within one step on ≥ 99 % of values")
  func residualCNN() throws {
    for name in ["resnet-bn", "resnet-bn-qdq"] {
      let path = try model(name)
      let graph = try ONNXImporter.graph(contentsOf: path)
      let engine = try Engine(graph: graph)
      let test = try DataSplit.test.load(Self.data, inputCount: engine.inputCount)
      let count = 200
      let x = Array(test.pixels[0..<(count * engine.inputCount)])
      let ours = try engine.run(x, count: count)
      let theirs = try ONNXRuntime.outputs(model: path, input: x)
      try #require(ours.count == theirs.count)
      if name.hasSuffix("-qdq") {
        let final = try #require(graph.producer(of: graph.outputs[0].name))
        #expect(final.op == "DequantizeLinear")
        let step = Float(try #require(graph.initializers[final.inputs[1]]?.doubles.first))
        let within = zip(ours, theirs).filter { abs($0 - $1) <= step * 1.001 }.count
        #expect(Double(within) / Double(ours.count) >= 0.99, "\(within)/\(ours.count) within one step \(step)")
      } else {
        let worst = zip(ours, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-4, "largest relative difference \(worst)")
      }
    }
  }
}
