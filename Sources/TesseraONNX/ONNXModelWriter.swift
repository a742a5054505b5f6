import Foundation
import TesseraGraph

/// Converts a `Graph` to a `ModelProto`: initializers as `raw_data`, value types as
/// `value_info`, symbolic dimensions as `dim_param`, metadata as `metadata_props`. Lists are
/// sorted by name so the same graph always gives the same bytes.
enum ONNXModelWriter {
  /// The model for a validated graph.
  /// - Parameters:
  ///   - graph: the graph, validated (nodes in topological order).
  ///   - producer: `producer_name`.
  static func model(_ graph: Graph, producer: String) -> Onnx_ModelProto {
    var proto = Onnx_GraphProto()
    proto.name = graph.name
    proto.input = graph.inputs.map { valueInfo($0.name, $0.type) }
    proto.output = graph.outputs.map { valueInfo($0.name, $0.type) }
    proto.valueInfo = graph.valueTypes.keys.sorted().map { valueInfo($0, graph.valueTypes[$0]!) }
    proto.initializer = graph.initializers.keys.sorted().map { tensor(graph.initializers[$0]!, name: $0) }
    proto.node = graph.nodes.map(node)

    var model = Onnx_ModelProto()
    model.irVersion = Int64(ONNXExporter.irVersion(forOpset: graph.opset))
    model.producerName = producer
    var imports = [Onnx_OperatorSetIdProto()]
    imports[0].domain = ""
    imports[0].version = Int64(graph.opset)
    for domain in Set(graph.nodes.map(\.domain)).subtracting(["", "ai.onnx"]).sorted() {
      var entry = Onnx_OperatorSetIdProto()
      entry.domain = domain
      entry.version = 1
      imports.append(entry)
    }
    model.opsetImport = imports
    model.metadataProps = graph.metadata.keys.sorted().map { key in
      var entry = Onnx_StringStringEntryProto()
      entry.key = key
      entry.value = graph.metadata[key]!
      return entry
    }
    model.graph = proto
    return model
  }

  /// A `TensorProto` with the tensor's little-endian bytes in `raw_data`.
  /// - Parameters:
  ///   - tensor: the tensor.
  ///   - name: its name.
  static func tensor(_ tensor: GraphTensor, name: String) -> Onnx_TensorProto {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dims = tensor.shape.map { Int64($0) }
    proto.dataType = Int32(tensor.elementType.onnxCode)
    proto.rawData = Data(tensor.littleEndianBytes)
    return proto
  }

  /// A `ValueInfoProto` with a tensor type; a nil shape is written as no shape (unknown rank).
  static func valueInfo(_ name: String, _ type: TensorType) -> Onnx_ValueInfoProto {
    var tensorType = Onnx_TypeProto.Tensor()
    tensorType.elemType = Int32(type.elementType.onnxCode)
    if let shape = type.shape {
      var shapeProto = Onnx_TensorShapeProto()
      shapeProto.dim = shape.map { d in
        var dim = Onnx_TensorShapeProto.Dimension()
        switch d {
        case let .fixed(v): dim.dimValue = Int64(v)
        case let .symbol(s): dim.dimParam = s
        }
        return dim
      }
      tensorType.shape = shapeProto
    }
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type.tensorType = tensorType
    return info
  }

  /// A `NodeProto`, attributes sorted by name.
  static func node(_ node: Node) -> Onnx_NodeProto {
    var proto = Onnx_NodeProto()
    proto.name = node.name
    proto.opType = node.op
    if !node.domain.isEmpty { proto.domain = node.domain }
    proto.input = node.inputs
    proto.output = node.outputs
    proto.attribute = node.attributes.keys.sorted().map { attribute($0, node.attributes[$0]!, node: node.name) }
    return proto
  }

  /// An `AttributeProto` with its type set.
  static func attribute(_ name: String, _ value: Attribute, node: String) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    switch value {
    case let .int(v):
      a.type = .int
      a.i = Int64(v)
    case let .float(v):
      a.type = .float
      a.f = v
    case let .string(v):
      a.type = .string
      a.s = Data(v.utf8)
    case let .ints(v):
      a.type = .ints
      a.ints = v.map { Int64($0) }
    case let .floats(v):
      a.type = .floats
      a.floats = v
    case let .strings(v):
      a.type = .strings
      a.strings = v.map { Data($0.utf8) }
    case let .tensor(t):
      a.type = .tensor
      a.t = tensor(t, name: "\(node).\(name)")
    }
    return a
  }
}
