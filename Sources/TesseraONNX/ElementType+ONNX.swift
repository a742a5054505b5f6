import TesseraGraph

// ONNX data type names for messages (the code table itself is TesseraGraph's
// `ElementType(onnxCode:)` / `onnxCode`).
extension ElementType {
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
