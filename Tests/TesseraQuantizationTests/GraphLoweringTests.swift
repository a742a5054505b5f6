import Foundation
import Testing

@testable import TesseraQuantization
import TesseraNN

@Suite("Graph IR ↔ fast-engine networks")
struct GraphLoweringTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  @Test("bundled float models: version-1 file → graph IR → lowered network equals the file's network", arguments: ["mlp", "lenet"])
  func floatRoundTrip(name: String) throws {
    let path = "\(Self.root)/Models/\(name).safetensors"
    let graph = try ModelFile(contentsOf: path).graphIR()
    #expect(graph.inputs.map(\.name) == ["input"])
    #expect(graph.outputs.map(\.name) == ["logits"])
    #expect(graph.metadata[ModelFile.classesMetadataKey] == "10")
    let lowered = try GraphLowering.floatNetwork(graph)
    let direct = try FusedNetwork(contentsOf: path)
    #expect(lowered == direct)
  }

  @Test("bundled int8 models: version-1 file → QDQ graph → lowered network equals the file's network", arguments: ["mlp-int8", "lenet-int8"])
  func quantizedRoundTrip(name: String) throws {
    let path = "\(Self.root)/Models/\(name).safetensors"
    let direct = try QuantizedNetwork(contentsOf: path)
    let graph = try direct.graphIR(name: name)
    #expect(graph.nodes.contains { $0.op == "QuantizeLinear" })
    let lowered = try GraphLowering.quantizedNetwork(graph)
    #expect(lowered.input == direct.input)
    #expect(lowered.inputShape == direct.inputShape)
    #expect(lowered.operations == direct.operations)
    #expect(lowered.endsWithSoftmax == direct.endsWithSoftmax)
  }

  @Test("a branch, a second input or an unknown op is refused with the node named")
  func refusals() throws {
    var g = try ModelFile(contentsOf: "\(Self.root)/Models/mlp.safetensors").graphIR()
    g.nodes.append(Node(name: "side", op: "Relu", inputs: ["fc1"], outputs: ["side"]))
    g.outputs.append(ValueInfo(name: "side", type: TensorType(.float32, nil)))
    #expect(throws: (any Error).self) { try GraphLowering.floatNetwork(g) }
    var h = try ModelFile(contentsOf: "\(Self.root)/Models/mlp.safetensors").graphIR()
    let i = h.nodes.firstIndex { $0.op == "Relu" }!
    h.nodes[i].op = "Tanh"
    do {
      _ = try GraphLowering.floatNetwork(h)
      Issue.record("Tanh lowered")
    } catch {
      #expect("\(error)".contains("(Tanh)"))
    }
  }

  @Test("an input normalization becomes Sub/Div nodes and lowers back to the same normalization (float and int8)")
  func normalization() throws {
    let norm = InputNormalization(mean: [0.1307], std: [0.3081])
    var file = try ModelFile(contentsOf: "\(Self.root)/Models/lenet.safetensors")
    file.graph.input.normalization = norm
    let graph = try file.graphIR()
    #expect(graph.nodes.prefix(2).map(\.op) == ["Sub", "Div"])
    #expect(try GraphLowering.floatNetwork(graph).normalization == norm)
    var int8 = try QuantizedNetwork(contentsOf: "\(Self.root)/Models/lenet-int8.safetensors")
    int8.normalization = norm
    let qdq = try int8.graphIR(name: "lenet-int8")
    #expect(qdq.nodes.prefix(3).map(\.op) == ["Sub", "Div", "QuantizeLinear"])
    #expect(try GraphLowering.quantizedNetwork(qdq).normalization == norm)
  }
}
