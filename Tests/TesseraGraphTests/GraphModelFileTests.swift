import Foundation
import Testing

@testable import TesseraGraph

@Suite("Graph model file (graph JSON v2)")
struct GraphModelFileTests {
  func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tessera-\(UUID().uuidString)-\(name)").path
  }

  @Test("write → read gives the same graph, with int64 and bool initializers stored in their own dtypes")
  func roundTrip() throws {
    var g = try tinyGraph().validate()
    g.initializers["shape"] = try GraphTensor(int64: [0, -1], shape: [2])
    g.initializers["flag"] = try GraphTensor(.bool([true]), shape: [])
    g.nodes.append(Node(name: "reshape", op: "Reshape", inputs: ["y", "shape"], outputs: ["z"]))
    g.nodes.append(Node(name: "keep", op: "Identity", inputs: ["flag"], outputs: ["f"]))
    g.outputs = [ValueInfo(name: "z", type: TensorType(.float32, ["batch", 2])), ValueInfo(name: "f", type: TensorType(.bool, []))]
    let path = temporaryPath("v2.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try GraphModelFile(graph: g, metadata: ["note": "x"]).write(to: path)
    let raw = try SafeTensorsFile(contentsOf: path)
    #expect(GraphModelFile.version(of: raw) == 2)
    let back = try GraphModelFile(contentsOf: path)
    #expect(back.graph == g)
    #expect(back.metadata == ["note": "x"])
    #expect(back.graph.initializers["shape"]?.littleEndianBytes == g.initializers["shape"]?.littleEndianBytes)
  }

  @Test("a stored tensor that is not an initializer, or a listed initializer that is missing, is an error")
  func mismatches() throws {
    let g = try tinyGraph().validate()
    var file = try GraphModelFile(graph: g).safeTensors()
    file[graphTensor: "stray"] = try GraphTensor(float32: [1], shape: [1])
    #expect(throws: GraphIRError.self) { try GraphModelFile(file: file, source: "m") }
    var missing = try GraphModelFile(graph: g).safeTensors()
    missing[graphTensor: "w"] = nil
    #expect(throws: GraphIRError.self) { try GraphModelFile(file: missing, source: "m") }
    var nan = try GraphModelFile(graph: g).safeTensors()
    nan[graphTensor: "b"] = try GraphTensor(float32: [.nan, 0], shape: [2])
    #expect(throws: GraphIRError.self) { try GraphModelFile(file: nan, source: "m") }
  }
}
