import Foundation
import TesseraGraph

extension ONNXModelReader {
  /// The IR attribute for an `AttributeProto` (INT, FLOAT, STRING, INTS, FLOATS, STRINGS, TENSOR).
  /// When the type field is missing (IR version 1), it is inferred from the field that is set.
  /// - Parameters:
  ///   - proto: the attribute.
  ///   - node: the node name, for messages.
  /// - Throws: ``ONNXError/unsupportedAttribute(node:attribute:type:)`` for GRAPH, SPARSE_TENSOR
  ///   and list-of-those types or non-UTF-8 strings; tensor errors for TENSOR values.
  func attribute(_ proto: Onnx_AttributeProto, node: String) throws -> Attribute {
    func utf8(_ data: Data) throws -> String {
      guard let s = String(data: data, encoding: .utf8) else {
        throw ONNXError.unsupportedAttribute(node: node, attribute: proto.name, type: "STRING (not UTF-8)")
      }
      return s
    }
    switch Self.kind(of: proto) {
    case .float: return .float(proto.f)
    case .int: return .int(Int(proto.i))
    case .string: return .string(try utf8(proto.s))
    case .floats: return .floats(proto.floats)
    case .ints: return .ints(proto.ints.map { Int($0) })
    case .strings: return .strings(try proto.strings.map(utf8))
    case .tensor:
      let name = proto.t.name.isEmpty ? "\(node).\(proto.name)" : proto.t.name
      return .tensor(try tensors.tensor(proto.t, name: name))
    case let other:
      throw ONNXError.unsupportedAttribute(node: node, attribute: proto.name, type: Self.typeName(other))
    }
  }

  /// The declared type, or the one implied by the field in use when undeclared.
  static func kind(of a: Onnx_AttributeProto) -> Onnx_AttributeProto.AttributeType {
    guard a.type == .undefined else { return a.type }
    if a.hasF { return .float }
    if a.hasI { return .int }
    if a.hasS { return .string }
    if a.hasT { return .tensor }
    if a.hasG { return .graph }
    if a.hasSparseTensor { return .sparseTensor }
    if !a.floats.isEmpty { return .floats }
    if !a.ints.isEmpty { return .ints }
    if !a.strings.isEmpty { return .strings }
    return .undefined
  }

  /// ONNX's name for an attribute type (`GRAPH`), for messages.
  static func typeName(_ type: Onnx_AttributeProto.AttributeType) -> String {
    switch type {
    case .undefined: "UNDEFINED"
    case .float: "FLOAT"
    case .int: "INT"
    case .string: "STRING"
    case .tensor: "TENSOR"
    case .graph: "GRAPH"
    case .sparseTensor: "SPARSE_TENSOR"
    case .typeProto: "TYPE_PROTO"
    case .floats: "FLOATS"
    case .ints: "INTS"
    case .strings: "STRINGS"
    case .tensors: "TENSORS"
    case .graphs: "GRAPHS"
    case .sparseTensors: "SPARSE_TENSORS"
    case .typeProtos: "TYPE_PROTOS"
    }
  }
}
