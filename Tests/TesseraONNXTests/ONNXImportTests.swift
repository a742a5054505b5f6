import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

@Suite("ONNX import mapping")
struct ONNXImportTests {
  @Test("initializers listed as graph inputs (old IR versions) are not graph inputs")
  func legacyInputs() throws {
    let bytes = try edited(try sampleGraph()) { model in
      model.irVersion = 3
      for t in model.graph.initializer {
        model.graph.input.append(ONNXModelWriter.valueInfo(t.name, TensorType(.float32, fixed: t.dims.map { Int($0) })))
      }
    }
    let graph = try ONNXImporter.graph(serialized: bytes)
    #expect(graph.inputs.map(\.name) == ["x"])
    #expect(graph == (try sampleGraph()))
  }

  @Test("typed data fields are read for every element type")
  func typedFields() throws {
    let bytes = try edited(try sampleGraph()) { model in
      for i in model.graph.initializer.indices {
        var t = model.graph.initializer[i]
        let tensor = try sampleGraph().initializers[t.name]!
        t.clearRawData()
        switch tensor.storage {
        case let .float32(v): t.floatData = v
        case let .float64(v): t.doubleData = v
        case let .int8(v): t.int32Data = v.map(Int32.init)
        case let .uint8(v): t.int32Data = v.map(Int32.init)
        case let .int32(v): t.int32Data = v
        case let .int64(v): t.int64Data = v
        case let .bool(v): t.int32Data = v.map { $0 ? 1 : 0 }
        }
        model.graph.initializer[i] = t
      }
    }
    let graph = try ONNXImporter.graph(serialized: bytes)
    #expect(graph == (try sampleGraph()))
    for (name, tensor) in try sampleGraph().initializers {
      #expect(graph.initializers[name]?.littleEndianBytes == tensor.littleEndianBytes, "\(name)")
    }
  }

  @Test("dimensions map to fixed sizes, dim_param symbols and fresh unk__<n> symbols")
  func dimensions() throws {
    let bytes = try edited(try sampleGraph()) { model in
      var dims = model.graph.input[0].type.tensorType.shape.dim
      dims[0] = Onnx_TensorShapeProto.Dimension()  // neither value nor param
      dims.append(Onnx_TensorShapeProto.Dimension())
      model.graph.input[0].type.tensorType.shape.dim = dims
      model.graph.output[0].type.tensorType.shape.dim[0].dimParam = "unk__0"  // taken: the fresh ones skip it
    }
    let graph = try ONNXImporter.graph(serialized: bytes)
    #expect(graph.inputs[0].type == TensorType(.float32, ["unk__1", 4, "unk__2"]))
    #expect(graph.outputs[0].type == TensorType(.float32, ["unk__0", 3, 1]))
    #expect(graph.valueTypes == (try sampleGraph()).valueTypes)
  }

  @Test("unnamed nodes are named <op>_<index>, ai.onnx becomes the default domain, nodes are sorted")
  func nodes() throws {
    let bytes = try edited(try sampleGraph()) { model in
      model.graph.node[1].clearName()  // Relu at index 1
      model.graph.node[0].name = "Relu_1"
      model.graph.node[2].name = "Relu_3"  // the unnamed Relu is at index 3 after reversing; taken
      model.graph.node[4].domain = "ai.onnx"
      model.graph.node.reverse()
      model.graph.name = ""
    }
    let graph = try ONNXImporter.graph(serialized: bytes, source: "dir/net.v2.onnx")
    #expect(graph.nodes.map(\.name) == ["Relu_3", "Relu_1", "Relu_3_2", "tagged", "reshape"])
    #expect(graph.nodes.map(\.op) == ["Constant", "Gemm", "Relu", "Identity", "Reshape"])
    #expect(graph.nodes.allSatisfy { $0.domain.isEmpty })
    #expect(graph.name == "net.v2")
  }

  @Test("attributes without a type field (IR version 1) are inferred from the field in use")
  func untypedAttributes() throws {
    let bytes = try edited(try sampleGraph()) { model in
      for n in model.graph.node.indices {
        for a in model.graph.node[n].attribute.indices { model.graph.node[n].attribute[a].clearType() }
      }
    }
    #expect(try ONNXImporter.graph(serialized: bytes) == (try sampleGraph()))
  }

  @Test("value_info without a type is skipped; the Constant stays a node")
  func valueInfo() throws {
    let bytes = try edited(try sampleGraph()) { model in
      var info = Onnx_ValueInfoProto()
      info.name = "r2"
      model.graph.valueInfo.append(info)
    }
    let graph = try ONNXImporter.graph(serialized: bytes)
    #expect(graph.valueTypes["r2"] == nil && graph.valueTypes.count == 3)
    #expect(graph.nodes.first { $0.op == "Constant" }?.attributes["value"]?.tensor?.int64 == [-1, 3, 1])
  }
}
