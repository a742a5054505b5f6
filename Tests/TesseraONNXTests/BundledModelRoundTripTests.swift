import Foundation
import Testing
import TesseraGraph
import TesseraNN
import TesseraQuantization
import TesseraRuntime

@testable import TesseraONNX

/// The bundled models exported to ONNX: import gives the same graph with byte-identical tensors,
/// and ONNX Runtime (when installed) classifies the 1,000 test digits as Tessera's engine does.
@Suite("Bundled models through ONNX")
struct BundledModelRoundTripTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let data = "\(root)/Models/data/mnist_5k.csv.gz"

  static func graph(_ name: String) throws -> Graph {
    let path = "\(root)/Models/\(name).safetensors"
    if name.hasSuffix("-int8") { return try QuantizedNetwork(contentsOf: path).graphIR(name: name) }
    return try ModelFile(contentsOf: path).graphIR()
  }

  @Test("export → import is the same graph with byte-identical tensors", arguments: ["mlp", "lenet", "mlp-int8", "lenet-int8"])
  func exportImport(name: String) throws {
    let graph = try Self.graph(name)
    let back = try ONNXImporter.graph(serialized: try ONNXExporter.serialized(graph), source: "\(name).onnx")
    #expect(back.nodes == graph.nodes)
    #expect(back.inputs == graph.inputs && back.outputs == graph.outputs)
    #expect(Set(back.initializers.keys) == Set(graph.initializers.keys))
    for (key, tensor) in graph.initializers {
      #expect(back.initializers[key]?.littleEndianBytes == tensor.littleEndianBytes, "initializer \(key)")
      #expect(back.initializers[key]?.shape == tensor.shape)
    }
  }

  @Test(
    "ONNX Runtime on the exported model: same top-1 on every test digit (float), ≥ 99.5 % agreement (int8)",
    .enabled(if: Python.hasONNXRuntime, "python3 with onnxruntime is not installed (pip install onnxruntime)"),
    arguments: ["mlp", "lenet", "mlp-int8", "lenet-int8"])
  func onnxRuntimeAgrees(name: String) throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let graph = try Self.graph(name)
    let path = folder.file("\(name).onnx")
    try ONNXExporter.write(graph, to: path)
    let engine = try Engine(graph: graph)
    let test = try DataSplit.test.load(Self.data, inputCount: engine.inputCount)
    let ortLogits = try ONNXRuntime.outputs(model: path, input: test.pixels)
    let logits = try engine.run(test.pixels, count: test.count)
    try #require(ortLogits.count == logits.count)
    let classes = engine.outputCount
    let ours = ONNXRuntime.top1(logits, classes: classes), ortTop1 = ONNXRuntime.top1(ortLogits, classes: classes)
    if name.hasSuffix("-int8") {
      // One quantization step of the logits: the scale of the final DequantizeLinear.
      let final = try #require(graph.producer(of: "logits"))
      let step = Float(try #require(graph.initializers[final.inputs[1]]?.doubles.first))
      let within = zip(logits, ortLogits).filter { abs($0 - $1) <= step * 1.001 }.count
      #expect(Double(within) / Double(logits.count) >= 0.99, "\(within)/\(logits.count) logits within one step \(step)")
    } else {
      let worst = zip(logits, ortLogits).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
      #expect(worst <= 1e-4, "largest relative difference \(worst)")
    }
    let agree = zip(ours, ortTop1).filter { $0 == $1 }.count
    if name.hasSuffix("-int8") {
      #expect(Double(agree) / Double(test.count) >= 0.995, "agreement \(agree)/\(test.count)")
    } else {
      #expect(agree == test.count, "ONNX Runtime differs on \(test.count - agree) digits")
    }
  }
}
