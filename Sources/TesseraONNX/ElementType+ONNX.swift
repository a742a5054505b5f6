import TesseraGraph

// The table between ONNX `TensorProto.DataType` codes and the IR's element types.
extension ElementType {
  /// The element type for an ONNX data type code, or nil when the IR has no such type.
  init?(onnxCode code: Int32) {
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
  var onnxCode: Int32 {
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

  /// ONNX's name for a data type code (`FLOAT16`), for messages; unknown codes print as numbers.
  static func onnxName(ofCode code: Int32) -> String {
    let names = [
      "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
      "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
      "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2",
      "FLOAT6E2M3", "FLOAT6E3M2",
    ]
    return code >= 0 && Int(code) < names.count ? names[Int(code)] : "code \(code)"
  }
}
