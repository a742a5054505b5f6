// The table between ONNX `TensorProto.DataType` codes and the IR's element types: node
// attributes such as Cast's `to` and QuantizeLinear's `output_dtype` name types by these codes,
// and ONNX files store them, so the interpreter, shape inference and the ONNX target share it.
extension ElementType {
  /// The element type for an ONNX data type code (1 float, 2 uint8, 3 int8, 6 int32, 7 int64,
  /// 9 bool, 11 double), or nil when the IR has no such type.
  /// - Parameter code: the `TensorProto.DataType` value.
  public init?(onnxCode code: Int) {
    switch code {
    case 1: self = .float32
    case 2: self = .uint8
    case 3: self = .int8
    case 6: self = .int32
    case 7: self = .int64
    case 9: self = .bool
    case 11: self = .float64
    default: return nil
    }
  }

  /// The ONNX data type code (FLOAT = 1, UINT8 = 2, …).
  public var onnxCode: Int {
    switch self {
    case .float32: 1
    case .uint8: 2
    case .int8: 3
    case .int32: 6
    case .int64: 7
    case .bool: 9
    case .float64: 11
    }
  }
}
