/// The element type of a graph value or initializer.
///
/// The names follow ONNX's `TensorProto.DataType` (lower-cased), so import and export are a table.
/// Float models use `float32`; int8 models add `int8`/`uint8` codes and `int32` biases; shape
/// arithmetic (Reshape targets, Gather indices) uses `int64`; masks and comparisons use `bool`.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// IEEE 754 single precision.
  case float32
  /// IEEE 754 double precision (imported models only; computed in float64).
  case float64
  /// Signed 8-bit integer.
  case int8
  /// Unsigned 8-bit integer.
  case uint8
  /// Signed 32-bit integer.
  case int32
  /// Signed 64-bit integer.
  case int64
  /// Boolean (one byte per element on disk).
  case bool

  /// Bytes per element in the little-endian raw form.
  public var byteSize: Int {
    switch self {
    case .float64, .int64: 8
    case .float32, .int32: 4
    case .int8, .uint8, .bool: 1
    }
  }

  /// True for `float32` and `float64`.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

  /// The safetensors dtype name (`F32`, `F64`, `I8`, `U8`, `I32`, `I64`, `BOOL`).
  public var safetensorsName: String {
    switch self {
    case .float32: "F32"
    case .float64: "F64"
    case .int8: "I8"
    case .uint8: "U8"
    case .int32: "I32"
    case .int64: "I64"
    case .bool: "BOOL"
    }
  }

  /// The type for a safetensors dtype name, or nil when the IR does not support it.
  /// - Parameter safetensorsName: e.g. `"F32"`.
  public init?(safetensorsName: String) {
    guard let match = Self.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
    self = match
  }

  /// The name, e.g. `float32`.
  public var description: String { rawValue }
}
