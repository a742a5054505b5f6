import Foundation
import Testing
import TesseraNN
@testable import TesseraQuantization

/// The graph quantizer on the bundled chain models: its QDQ graph lowers onto the int8 engine's
/// network and keeps the float model's top-1 on the test split.
@Suite("Graph quantizer on the bundled chains")
struct GraphQuantizerChainTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static var available: Bool {
    FileManager.default.fileExists(atPath: "\(root)/Models/lenet.safetensors")
      && FileManager.default.fileExists(atPath: "\(root)/Models/data/mnist_5k.csv.gz")
  }
  static let split = try? Dataset.load(path: "\(root)/Models/data/mnist_5k.csv.gz").stratifiedSplit()

  /// 512 evenly spaced training samples.
  static func calibrationSet() throws -> Dataset {
    let train = try #require(split).train
    return try train.subset((0..<512).map { $0 * train.count / 512 })
  }

  @Test(.enabled(if: available), arguments: ["mlp", "lenet"], [CalibrationMethod.minmax, .mse])
  func lowersAndKeepsTop1(model: String, method: CalibrationMethod) throws {
    let path = "\(Self.root)/Models/\(model).safetensors"
    let graph = try ModelFile(contentsOf: path).graphIR()
    let calibration = try Self.calibrationSet()
    let (qdq, report) = try GraphQuantizer(recipe: QuantizationRecipe(method: method))
      .quantize(graph, samples: calibration.pixels, count: calibration.count)
    #expect(qdq.inputs.map(\.name) == graph.inputs.map(\.name))
    #expect(qdq.outputs.map(\.name) == graph.outputs.map(\.name))
    #expect(report.floatNodes.map(\.op) == graph.nodes.filter { $0.op == "Softmax" }.map(\.op))
    #expect(report.recipe.calibrationSamples == 512)

    // The QDQ graph lowers onto the int8 engine's network, layer for layer.
    let float = try FusedNetwork(contentsOf: path)
    let int8 = try GraphLowering.quantizedNetwork(qdq)
    #expect(int8.linearLayers.map(\.name) == report.quantizedNodes)
    #expect(int8.operations.count == float.operations.count)
    for (layer, numbers) in zip(int8.linearLayers, report.layers) {
      #expect(Double(layer.output.scale) == numbers.outputScale)
      #expect((numbers.outputCosine ?? 0) > 0.98, "\(layer.name): cosine \(numbers.outputCosine ?? 0)")
    }

    // Top-1 on the test split: float vs the int8 network (fake-quantized simulation of the engine).
    let test = try #require(Self.split).test
    let floatTop1 = Self.top1(try float.forward(test.pixels, count: test.count), labels: test.labels)
    let int8Top1 = Self.top1(try Self.simulate(int8, test.pixels, count: test.count), labels: test.labels)
    print("graph quantizer \(model) \(method.rawValue): float \(100 * floatTop1) %, int8 \(100 * int8Top1) %")
    #expect(abs(floatTop1 - int8Top1) <= 0.003, "float \(floatTop1), int8 \(int8Top1)")

    // The reference interpreter on the QDQ graph agrees with the lowered network.
    let n = 64
    let x = try GraphTensor(float32: Array(test.pixels[0..<(n * test.sampleSize)]), shape: [n] + test.sampleShape)
    let interpreted = try #require(try ReferenceInterpreter(graph: qdq).run(["input": x])["logits"]?.float32)
    let simulated = try Self.simulate(int8, Array(test.pixels[0..<(n * test.sampleSize)]), count: n)
    #expect(QuantizationMetrics.cosine(interpreted, simulated) > 0.9999)

    if method == .minmax { try Self.expectSameAsChainQuantizer(int8, float: float, calibration: calibration) }
  }

  /// With min-max calibration the graph quantizer picks what the chain quantizer picks: the same
  /// weight codes and scales, the same activation parameters up to float summation order.
  static func expectSameAsChainQuantizer(_ lowered: QuantizedNetwork, float net: FusedNetwork, calibration: Dataset) throws {
    let (chain, _) = try PostTrainingQuantizer(recipe: QuantizationRecipe(method: .minmax)).quantize(
      net, calibration: try Calibration(network: net, samples: calibration.pixels, count: calibration.count))
    #expect(lowered.input == chain.input)
    #expect(lowered.linearLayers.count == chain.linearLayers.count)
    for (a, b) in zip(lowered.linearLayers, chain.linearLayers) {
      #expect(a.name == b.name)
      #expect(a.codes == b.codes)
      #expect(a.weights.scales == b.weights.scales)
      #expect(abs(a.output.scale - b.output.scale) <= 1e-4 * b.output.scale, "\(a.name)")
      #expect(abs(a.output.zeroPoint - b.output.zeroPoint) <= 1, "\(a.name)")
    }
    // Nothing in the chain quantizer's QDQ export runs in float either.
    #expect(QDQGraphAnalysis.floatNodes(in: try chain.graphIR(name: "chain")).allSatisfy { $0.op == "Softmax" })
  }

  static func top1(_ logits: [Float], labels: [Int]) -> Double {
    let classes = logits.count / labels.count
    var correct = 0
    for (i, label) in labels.enumerated() {
      let row = logits[(i * classes)..<((i + 1) * classes)]
      if row.firstIndex(of: row.max()!)! - i * classes == label { correct += 1 }
    }
    return Double(correct) / Double(labels.count)
  }

  /// The int8 network's arithmetic in float: dequantized weights and biases, every quantized
  /// tensor rounded to its grid (equal to the engine up to float accumulation order).
  static func simulate(_ q: QuantizedNetwork, _ input: [Float], count: Int) throws -> [Float] {
    let net = try q.floatNetwork()
    var x = input
    net.normalize(&x, count: count)
    x = x.map { q.input.fakeQuantize($0) }
    for (i, op) in net.operations.enumerated() {
      x = FusedNetwork.apply(op, x, count: count, inputShape: net.inputShape(of: i))
      if case let .linear(l) = q.operations[i] { x = x.map { l.output.fakeQuantize($0) } }
    }
    return x
  }
}
