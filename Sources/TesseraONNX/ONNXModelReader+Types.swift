import TesseraGraph

extension ONNXModelReader {
  /// The type of a graph input or output, which must be a tensor type.
  /// - Parameters:
  ///   - info: the value.
  ///   - role: "graph input" or "graph output", for messages.
  /// - Throws: ``ONNXError/unsupportedValueType(value:reason:)`` when there is no tensor type.
  mutating func requiredType(_ info: Onnx_ValueInfoProto, role: String) throws -> TensorType {
    guard let type = try tensorType(info) else {
      throw ONNXError.unsupportedValueType(value: info.name, reason: "(a \(role)) has no tensor type or element type")
    }
    return type
  }

  /// The tensor type of a value, or nil when the model gives no type or no element type.
  /// Dimensions map to `.fixed` (dim_value), `.symbol` (dim_param) or a fresh `unk__<n>` symbol.
  /// - Throws: ``ONNXError`` for non-tensor types, unsupported element types, negative sizes.
  mutating func tensorType(_ info: Onnx_ValueInfoProto) throws -> TensorType? {
    guard info.hasType, let value = info.type.value else { return nil }
    let tensor: Onnx_TypeProto.Tensor
    switch value {
    case let .tensorType(t): tensor = t
    case .sequenceType: throw nonTensor(info, "a sequence")
    case .mapType: throw nonTensor(info, "a map")
    case .optionalType: throw nonTensor(info, "an optional")
    case .sparseTensorType: throw nonTensor(info, "a sparse tensor")
    case .opaqueType: throw nonTensor(info, "an opaque")
    }
    guard tensor.elemType != 0 else { return nil }
    guard let elementType = ElementType(onnxCode: Int(tensor.elemType)) else {
      throw ONNXError.unsupportedElementType(tensor: info.name, type: ElementType.onnxName(ofCode: tensor.elemType))
    }
    guard tensor.hasShape else { return TensorType(elementType, nil) }
    var shape = [Dimension]()
    for dim in tensor.shape.dim {
      switch dim.value {
      case let .dimValue(v)?:
        guard v >= 0 else {
          throw ONNXError.unsupportedValueType(value: info.name, reason: "has a negative dimension \(v) in its shape")
        }
        shape.append(.fixed(Int(v)))
      case let .dimParam(s)? where !s.isEmpty: shape.append(.symbol(s))
      default: shape.append(.symbol(freshSymbol()))
      }
    }
    return TensorType(elementType, shape)
  }

  private func nonTensor(_ info: Onnx_ValueInfoProto, _ kind: String) -> ONNXError {
    .unsupportedValueType(value: info.name, reason: "has \(kind) type; Tessera supports tensor values only")
  }

  /// Records the dim_param names of a value, so fresh symbols never collide with them.
  mutating func collectSymbols(_ info: Onnx_ValueInfoProto) {
    guard case let .tensorType(t)? = info.type.value else { return }
    for dim in t.shape.dim { if case let .dimParam(s)? = dim.value { usedSymbols.insert(s) } }
  }

  /// A new symbol `unk__<n>` not used elsewhere in the model.
  mutating func freshSymbol() -> String {
    while true {
      let name = "unk__\(nextUnknown)"
      nextUnknown += 1
      if usedSymbols.insert(name).inserted { return name }
    }
  }
}
