import Foundation
import Tessera
import Testing
@testable import TesseraNN

struct ModelFileTests {
  /// A trained-looking model: random weights and non-trivial BatchNorm statistics.
  func preparedModel() throws -> Sequential {
    let model = TestSupport.smallCNN()
    model.resetParameters(seed: 5)
    let data = try TestSupport.syntheticDataset(count: 12, seed: 1)
    model.isTraining = true
    for _ in 0..<5 { _ = try model(try data.batch(Array(0..<12)).images) }  // updates running statistics
    for case let bn as BatchNorm in model.layers {
      bn.gamma.value = bn.gamma.value.enumerated().map { 0.5 + Float($0.offset) * 0.25 }
      bn.beta.value = bn.beta.value.enumerated().map { Float($0.offset) * 0.1 - 0.2 }
    }
    model.isTraining = false
    return model
  }

  /// Exported files fold BatchNorm and drop Dropout; the folded model computes the same outputs
  /// as the original in inference mode (float32 rounding only: |Δ| ≤ 1e-4).
  @Test func foldedExportMatchesInference() throws {
    let model = try preparedModel()
    let file = try model.modelFile()
    #expect(!file.graph.layers.contains { $0.kind == "batchnorm" || $0.kind == "dropout" })
    #expect(file.graph.layers.first { $0.name == "conv2" }?.attributes["bias"] == .bool(true))
    let directory = try TestSupport.temporaryDirectory()
    try file.write(to: directory + "/m.safetensors")
    let loaded = try Sequential(modelFile: ModelFile(contentsOf: directory + "/m.safetensors"))
    let x = try TestSupport.syntheticDataset(count: 9, seed: 2).batch(Array(0..<9)).images
    let expected = try model(x).scalars, actual = try loaded(x).scalars
    #expect(zip(expected, actual).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(expected) vs \(actual)")
  }

  @Test func unfoldedExportKeepsBatchNorm() throws {
    let model = try preparedModel()
    let file = try model.modelFile(foldBatchNorm: false)
    #expect(file.graph.layers.filter { $0.kind == "batchnorm" }.count == 3)
    let loaded = try Sequential(modelFile: file)
    let x = try TestSupport.syntheticDataset(count: 4, seed: 3).batch(Array(0..<4)).images
    #expect(try loaded(x) == (try model(x)))
  }

  @Test func graphRoundTripsThroughJSON() throws {
    let model = try preparedModel()
    let file = try model.modelFile(training: ["epochs": 3, "seed": "42"])
    let bytes = try file.withMetadata().serialized()
    let reread = try ModelFile(contentsOf: try write(bytes))
    #expect(reread.graph == file.graph)
    #expect(reread.training?["epochs"] == .int(3))
    #expect(reread.graph.layers.first?.outputShape == [4, 8, 8])
    #expect(reread.graph.classes == 3)
  }

  @Test func graphJSONBuildsFreshModel() throws {
    let json = """
      {"version": 1, "name": "tiny", "input": {"shape": [1, 8, 8], "dtype": "float32"},
       "layers": [{"name": "c", "kind": "conv2d", "attributes": {"in_channels": 1, "out_channels": 2, "kernel": 3, "padding": [1, 1]}},
                  {"name": "r", "kind": "relu"}, {"name": "p", "kind": "avgpool2d", "attributes": {"kernel": [2, 2]}},
                  {"name": "f", "kind": "flatten"}, {"name": "d", "kind": "dense", "attributes": {"inputs": 32, "outputs": 3}}]}
      """
    let model = try Sequential(graph: try ModelGraph(json: Data(json.utf8), source: "g.json"), seed: 1)
    #expect(try model.outputShape() == [3])
    let bad = json.replacingOccurrences(of: "\"inputs\": 32", with: "\"inputs\": 31")
    #expect(throws: SafeTensorsError.self) { try Sequential(graph: try ModelGraph(json: Data(bad.utf8), source: "g.json"), seed: 1) }
    let unknown = json.replacingOccurrences(of: "\"kind\": \"relu\"", with: "\"kind\": \"gelu\"")
    #expect(throws: SafeTensorsError.graph(
      path: "g.json", reason: "layer 'r': unknown kind 'gelu' (known: \(LayerKinds.all.joined(separator: ", ")))")) {
      try Sequential(graph: try ModelGraph(json: Data(unknown.utf8), source: "g.json"), seed: 1, source: "g.json")
    }
    #expect(throws: SafeTensorsError.self) { try ModelGraph(json: Data("{\"name\": 1}".utf8), source: "g.json") }
  }

  func write(_ bytes: [UInt8]) throws -> String {
    let path = try TestSupport.temporaryDirectory() + "/m.safetensors"
    try TestSupport.write(bytes, to: path)
    return path
  }

  func failure(_ edit: (inout ModelFile) throws -> Void) throws -> String {
    var file = try preparedModel().modelFile()
    try edit(&file)
    do {
      _ = try ModelFile(contentsOf: try write(try file.withMetadata().serialized()))
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func rejectsGraphTensorDisagreement() throws {
    #expect(try failure { $0.tensors["fc1.weight"] = nil }.contains("names tensor 'fc1.weight', which is not in the file"))
    #expect(try failure { $0.tensors["extra"] = .float32(try Tensor(shape: [1], scalars: [0])) }.contains("tensor 'extra' is not used by any layer"))
    #expect(try failure { $0.tensors["fc2.bias"] = .float32(try Tensor(shape: [4], scalars: [0, 0, 0, 0])) }
      .contains("tensor 'fc2.bias' has shape [4] but layer 'fc2' needs [3]"))
    #expect(try failure { $0.graph.layers[0].outputShape = [4, 7, 7] }.contains("declares output shape [4, 7, 7]"))
    #expect(try failure { $0.graph.layers[0].attributes["kernel"] = "big" }.contains("attribute 'kernel' must be positive"))
    #expect(try failure { $0.graph.layers[1].name = "conv1" }.contains("duplicate layer name 'conv1'"))
    #expect(try failure { $0.graph.version = 99 }.contains("version 99 is not supported"))
    #expect(try failure { $0.tensors.metadata["x"] = "y"; $0.graph.layers[0].tensors["scale"] = "fc1.bias" }
      .contains("used by both"))
    var plain = SafeTensorsFile()
    plain["a"] = .float32(try Tensor(shape: [1], scalars: [1]))
    let path = try write(plain.serialized())
    #expect(throws: SafeTensorsError.graph(path: path, reason: "no 'tessera.graph' entry in __metadata__ (not a Tessera model file)")) {
      try ModelFile(contentsOf: path)
    }
  }

  @Test func refusesQuantizedTensorsInFloatModel() throws {
    var file = try preparedModel().modelFile()
    file.tensors["fc2.weight"] = .int8(try Tensor(shape: [3, 5], scalars: [Int8](repeating: 1, count: 15)))
    try file.validate()  // shapes agree, so the container is valid
    #expect(throws: SafeTensorsError.self) { try Sequential(modelFile: file) }
  }
}
