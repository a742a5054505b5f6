import Foundation
import Testing
import Tessera
import TesseraNN
@testable import TesseraQuantization

@Suite("Float model files → folded network")
struct FloatModelFileTests {
  /// dense(3→2) → batchnorm → relu → dropout → dense(2→2) → softmax, with hand-picked numbers.
  func file() throws -> (ModelGraph, SafeTensorsFile) {
    let graph = ModelGraph(name: "bn", input: .init(shape: [3]), layers: [
      LayerSpec(name: "fc1", kind: "dense", attributes: ["inputs": 3, "outputs": 2, "bias": true],
                tensors: ["weight": "fc1.weight", "bias": "fc1.bias"]),
      LayerSpec(name: "bn1", kind: "batchnorm", attributes: ["features": 2, "epsilon": 0.0],
                tensors: ["weight": "bn1.weight", "bias": "bn1.bias", "running_mean": "bn1.running_mean", "running_var": "bn1.running_var"]),
      LayerSpec(name: "relu1", kind: "relu"),
      LayerSpec(name: "drop", kind: "dropout", attributes: ["rate": 0.5]),
      LayerSpec(name: "fc2", kind: "dense", attributes: ["inputs": 2, "outputs": 2, "bias": false], tensors: ["weight": "fc2.weight"]),
      LayerSpec(name: "prob", kind: "softmax"),
    ], classes: 2)
    var file = SafeTensorsFile()
    func put(_ name: String, _ shape: [Int], _ values: [Float]) throws { file[name] = .float32(try Tensor(shape: shape, scalars: values)) }
    try put("fc1.weight", [2, 3], [1, 2, 3, -1, 0, 1])
    try put("fc1.bias", [2], [0.5, -0.5])
    try put("bn1.weight", [2], [2, 0.5])
    try put("bn1.bias", [2], [1, 0])
    try put("bn1.running_mean", [2], [1, -1])
    try put("bn1.running_var", [2], [4, 0.25])
    try put("fc2.weight", [2, 2], [1, -1, 0.5, 2])
    return (graph, file)
  }

  @Test func batchNormIsFoldedAndReLUFused() throws {
    let (graph, file) = try file()
    let net = try FusedNetwork(graph: graph, tensors: file, source: "bn.safetensors")
    #expect(net.operations.count == 2)
    #expect(net.endsWithSoftmax)
    guard case let .dense(d) = net.operations[0] else { Issue.record("expected dense"); return }
    #expect(d.relu)
    // BN scale = γ/√σ² = [1, 1]; W' = W·scale, b' = (b − μ)·scale + β = [0.5, 0.5]
    #expect(d.weight == [1, 2, 3, -1, 0, 1])
    #expect(d.bias == [0.5, 0.5])
    // x = [1, 1, 1]: fc1 = [6.5, -0.5] → bn = [2·(6.5−1)/2 + 1, 0.5·(−0.5+1)/0.5] = [6.5, 0.5] → relu → fc2
    let y = try net.forward([1, 1, 1], count: 1)
    #expect(y == [6.0, 4.25])
  }

  @Test func disagreementsNameTheLayer() throws {
    var (graph, file) = try file()
    file["bn1.running_var"] = .float32(try Tensor(shape: [3], scalars: [1, 1, 1]))
    #expect(throws: QuantizationError.self) { _ = try FusedNetwork(graph: graph, tensors: file, source: "x") }
    do { _ = try FusedNetwork(graph: graph, tensors: file, source: "x") } catch { #expect("\(error)".contains("bn1")) }
    (graph, file) = try self.file()
    graph.layers[0].outputShape = [5]
    #expect(throws: QuantizationError.self) { _ = try FusedNetwork(graph: graph, tensors: file, source: "x") }
    (graph, file) = try self.file()
    graph.layers.insert(LayerSpec(name: "odd", kind: "lstm"), at: 1)
    #expect(throws: QuantizationError.self) { _ = try FusedNetwork(graph: graph, tensors: file, source: "x") }
  }
}
