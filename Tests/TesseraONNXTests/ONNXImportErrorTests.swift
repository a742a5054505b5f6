import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

@Suite("ONNX import rejects bad input with one-line messages")
struct ONNXImportErrorTests {
  @Test("a truncated model names the file and the decoding failure")
  func truncated() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let bytes = try ONNXExporter.serialized(try sampleGraph())
    let path = try folder.write("M.onnx", Array(bytes[..<(bytes.count / 2)]))
    expectFailure("M.onnx: not a valid ONNX model (protobuf decoding failed:") { _ = try ONNXImporter.graph(contentsOf: path) }
    expectFailure("not a valid ONNX model") { _ = try ONNXImporter.graph(serialized: Array(bytes.dropLast(3))) }
  }

  @Test("garbage bytes, an empty file, a missing file and a directory name the file")
  func garbageAndFiles() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let garbage = try folder.write("garbage.onnx", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x13, 0x37, 0xDE, 0xAD])
    expectFailure("garbage.onnx: not a valid ONNX model") { _ = try ONNXImporter.graph(contentsOf: garbage) }
    let text = try folder.write("text.onnx", Array("this is not a model".utf8))
    expectFailure("text.onnx: not a valid ONNX model") { _ = try ONNXImporter.graph(contentsOf: text) }
    let empty = try folder.write("empty.onnx", [])
    expectFailure("empty.onnx: not a valid ONNX model (the file is empty)") { _ = try ONNXImporter.graph(contentsOf: empty) }
    expectFailure("nothing.onnx: cannot read the file (No such file or directory)") {
      _ = try ONNXImporter.graph(contentsOf: folder.file("nothing.onnx"))
    }
    expectFailure(folder.path, "cannot read the file (it is a directory)") { _ = try ONNXImporter.graph(contentsOf: folder.path) }
    // A sparse 3 GiB file: rejected from its size, before any read.
    let huge = try folder.write("huge.onnx", [])
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
    try handle.truncate(atOffset: 3 << 30)
    try handle.close()
    expectFailure("huge.onnx: cannot read the file (it is 3221225472 bytes, more than the 2147483647-byte protobuf limit)") {
      _ = try ONNXImporter.graph(contentsOf: huge)
    }
    expectFailure("x.pb: not a valid ONNX tensor") { _ = try ONNXImporter.tensor(contentsOf: try folder.write("x.pb", [0x0A])) }
  }

  @Test("a model without a graph is rejected")
  func noGraph() throws {
    let bytes = try edited(try sampleGraph()) { $0.clearGraph() }
    expectFailure("m.onnx: not a valid ONNX model (it has no graph)") { _ = try ONNXImporter.graph(serialized: bytes, source: "m.onnx") }
  }

  @Test("a cycle names a node on it")
  func cycle() throws {
    let bytes = try edited(try sampleGraph()) { model in
      // act reads h from fc1; make fc1 read act's output r instead of x.
      model.graph.node[0].input[0] = "r"
    }
    expectFailure("cycle through node", "fc1") { _ = try ONNXImporter.graph(serialized: bytes) }
  }

  @Test("a missing initializer names the node and the value")
  func missingInitializer() throws {
    let bytes = try edited(try sampleGraph()) { model in
      model.graph.initializer.removeAll { $0.name == "b1" }
    }
    expectFailure("node 'fc1' (Gemm) reads 'b1', which nothing produces") { _ = try ONNXImporter.graph(serialized: bytes) }
  }

  @Test("a 2^40-element tensor is an error, not an allocation")
  func hugeTensor() throws {
    let bytes = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "w1" }!
      model.graph.initializer[i].dims = [1 << 20, 1 << 20]
    }
    expectFailure("tensor 'w1'", "more than 2^31 elements") { _ = try ONNXImporter.graph(serialized: bytes) }
    let typed = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "b1" }!
      model.graph.initializer[i].clearRawData()
      model.graph.initializer[i].dims = [1 << 40]
    }
    expectFailure("tensor 'b1'", "more than 2^31 elements") { _ = try ONNXImporter.graph(serialized: typed) }
  }

  @Test("data of the wrong size names the tensor and the field")
  func wrongSizes() throws {
    let raw = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "w1" }!
      model.graph.initializer[i].rawData.removeLast(2)
    }
    expectFailure("tensor 'w1': raw_data has 46 bytes, but float32 shape [3, 4] needs 48") { _ = try ONNXImporter.graph(serialized: raw) }
    let typed = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "b1" }!
      model.graph.initializer[i].clearRawData()
      model.graph.initializer[i].floatData = [1, 2]
    }
    expectFailure("tensor 'b1': float_data has 2 values, but shape [3] needs 3") { _ = try ONNXImporter.graph(serialized: typed) }
    let range = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "q" }!
      model.graph.initializer[i].clearRawData()
      model.graph.initializer[i].int32Data = [1, 2, 300]
    }
    expectFailure("tensor 'q': int32_data value 300 does not fit int8") { _ = try ONNXImporter.graph(serialized: range) }
  }

  @Test("unsupported element types name the tensor and the ONNX type")
  func elementTypes() throws {
    let initializer = try edited(try sampleGraph()) { model in
      let i = model.graph.initializer.firstIndex { $0.name == "b1" }!
      model.graph.initializer[i].dataType = 10
    }
    expectFailure("tensor 'b1' has element type FLOAT16, which Tessera does not support") {
      _ = try ONNXImporter.graph(serialized: initializer)
    }
    let input = try edited(try sampleGraph()) { $0.graph.input[0].type.tensorType.elemType = 16 }
    expectFailure("tensor 'x' has element type BFLOAT16") { _ = try ONNXImporter.graph(serialized: input) }
    let sequence = try edited(try sampleGraph()) { $0.graph.output[0].type.sequenceType = Onnx_TypeProto.Sequence() }
    expectFailure("value 'y'", "sequence type") { _ = try ONNXImporter.graph(serialized: sequence) }
  }

  @Test("an unsupported operator names the node, op and opset; unnamed nodes get <op>_<index>")
  func unsupportedOperator() throws {
    let named = try edited(try sampleGraph()) { $0.graph.node[1].opType = "HardSwish" }
    #expect(throws: GraphIRError.unsupportedOperator(node: "act", op: "HardSwish", opset: 17)) {
      _ = try ONNXImporter.graph(serialized: named)
    }
    let unnamed = try edited(try sampleGraph()) { model in
      model.graph.node[1].opType = "LSTM"
      model.graph.node[1].clearName()
      model.graph.node[3].opType = "HardSwish"
    }
    #expect(throws: GraphIRError.unsupportedOperator(node: "LSTM_1", op: "LSTM", opset: 17)) {
      _ = try ONNXImporter.graph(serialized: unnamed)
    }
    let domain = try edited(try sampleGraph()) { $0.graph.node[1].domain = "com.microsoft" }
    expectFailure("node 'act': operator 'Relu' of domain 'com.microsoft' is not supported") {
      _ = try ONNXImporter.graph(serialized: domain)
    }
  }

  @Test("opsets outside 11-21 are named", arguments: [9, 10, 22])
  func unsupportedOpset(opset: Int) throws {
    let bytes = try edited(try sampleGraph()) { $0.opsetImport[0].version = Int64(opset) }
    #expect(throws: ONNXError.unsupportedOpset(source: "m.onnx", opset: opset)) {
      _ = try ONNXImporter.graph(serialized: bytes, source: "m.onnx")
    }
    expectFailure("m.onnx: opset \(opset) of the default domain is not supported (Tessera supports opsets 11-21)") {
      _ = try ONNXImporter.graph(serialized: bytes, source: "m.onnx")
    }
    let none = try edited(try sampleGraph()) { $0.opsetImport[0].domain = "ai.onnx.ml" }
    expectFailure("imports no opset of the default domain") { _ = try ONNXImporter.graph(serialized: none) }
  }

  @Test("GRAPH and SPARSE_TENSOR attributes name the node")
  func unsupportedAttributes() throws {
    for (type, name) in [(Onnx_AttributeProto.AttributeType.graph, "GRAPH"), (.sparseTensor, "SPARSE_TENSOR"), (.tensors, "TENSORS")] {
      let bytes = try edited(try sampleGraph()) { model in
        var a = Onnx_AttributeProto()
        a.name = "body"
        a.type = type
        model.graph.node[1].attribute.append(a)
      }
      expectFailure("node 'act': attribute 'body' has type \(name), which Tessera does not support") {
        _ = try ONNXImporter.graph(serialized: bytes)
      }
    }
    let sparse = try edited(try sampleGraph()) { model in
      var s = Onnx_SparseTensorProto()
      s.values.name = "sp"
      model.graph.sparseInitializer = [s]
    }
    expectFailure("sparse initializer 'sp' is not supported") { _ = try ONNXImporter.graph(serialized: sparse) }
  }
}
