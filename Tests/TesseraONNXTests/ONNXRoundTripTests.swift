import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

@Suite("ONNX export and import round trip")
struct ONNXRoundTripTests {
  @Test("export then import gives an equal graph with byte-identical initializers")
  func roundTrip() throws {
    let graph = try sampleGraph()
    let bytes = try ONNXExporter.serialized(graph)
    let back = try ONNXImporter.graph(serialized: bytes)
    #expect(back == graph)
    for (name, tensor) in graph.initializers {
      #expect(back.initializers[name]?.littleEndianBytes == tensor.littleEndianBytes, "\(name)")
      #expect(back.initializers[name]?.shape == tensor.shape, "\(name)")
    }
    #expect(back.nodes.map(\.name) == ["fc1", "act", "target", "tagged", "reshape"])
    #expect(try ONNXExporter.serialized(back) == bytes)
  }

  @Test("the written model holds the ONNX fields the graph implies")
  func modelFields() throws {
    let model = try Onnx_ModelProto(serializedBytes: try ONNXExporter.serialized(try sampleGraph(), producer: "unit"))
    #expect(model.irVersion == 8)
    #expect(model.producerName == "unit")
    #expect(model.opsetImport.map(\.domain) == [""] && model.opsetImport[0].version == 17)
    #expect(model.graph.initializer.allSatisfy { $0.hasRawData && $0.floatData.isEmpty })
    #expect(model.graph.initializer.map(\.name) == ["b1", "d", "empty", "flags", "i32", "q", "u", "w1"])
    let x = model.graph.input[0].type.tensorType
    #expect(x.elemType == 1 && x.shape.dim.map(\.dimParam) == ["batch", ""] && x.shape.dim[1].dimValue == 4)
    #expect(model.graph.valueInfo.map(\.name) == ["h", "r", "shape"])
    #expect(!model.graph.valueInfo[1].type.tensorType.hasShape)
    #expect(model.metadataProps.map(\.key) == ["note", "tessera.classes"])
  }

  @Test("ir_version follows the opset", arguments: [(11, 6), (12, 7), (13, 7), (14, 7), (15, 8), (18, 8), (19, 9), (20, 9), (21, 10)])
  func irVersion(opset: Int, ir: Int) throws {
    #expect(ONNXExporter.irVersion(forOpset: opset) == ir)
    var graph = try sampleGraph(opset: opset)
    graph.opset = opset
    let model = try Onnx_ModelProto(serializedBytes: try ONNXExporter.serialized(graph))
    #expect(model.irVersion == Int64(ir))
    #expect(try ONNXImporter.graph(serialized: try ONNXExporter.serialized(graph)).opset == opset)
  }

  @Test("write replaces the file atomically and leaves nothing else in the folder")
  func writeFile() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.file("m.onnx")
    try folder.write("m.onnx", Array("old".utf8))
    try ONNXExporter.write(try sampleGraph(), to: path)
    #expect(try folder.listing() == ["m.onnx"])
    #expect(try ONNXImporter.graph(contentsOf: path) == (try sampleGraph()))
  }

  @Test("a failed write throws, names the path and leaves nothing behind")
  func failedWrite() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    // The destination is a non-empty directory, so the final rename fails.
    try FileManager.default.createDirectory(atPath: folder.file("m.onnx/inner"), withIntermediateDirectories: true)
    expectFailure("m.onnx", "cannot write") { try ONNXExporter.write(try sampleGraph(), to: folder.file("m.onnx")) }
    #expect(try folder.listing() == ["m.onnx"])
    expectFailure("missing/m.onnx", "cannot write") { try ONNXExporter.write(try sampleGraph(), to: folder.file("missing/m.onnx")) }
    #expect(try folder.listing() == ["m.onnx"])
  }

  @Test("an invalid graph is not exported")
  func invalidGraph() throws {
    var graph = try sampleGraph()
    graph.initializers["w1"] = nil
    expectFailure("node 'fc1' (Gemm) reads 'w1'") { _ = try ONNXExporter.serialized(graph) }
  }

  @Test("tensor .pb files round trip with their names")
  func tensorFiles() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    for (name, tensor) in try sampleGraph().initializers {
      let path = folder.file("\(name).pb")
      try ONNXExporter.write(tensor, name: name, to: path)
      let (readName, read) = try ONNXImporter.namedTensor(contentsOf: path)
      #expect(readName == name)
      #expect(read == tensor)
      #expect(try ONNXImporter.tensor(contentsOf: path).littleEndianBytes == tensor.littleEndianBytes)
    }
  }
}
