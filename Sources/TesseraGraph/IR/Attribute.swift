/// A node attribute, typed as ONNX types them (`AttributeProto.AttributeType`).
///
/// In graph JSON each attribute is a one-key object naming its type:
/// `{"int": 1}`, `{"float": 0.01}`, `{"ints": [3, 3]}`, `{"floats": []}`, `{"string": "NOTSET"}`,
/// `{"strings": ["a"]}`, `{"tensor": {"dtype": "float32", "shape": [2], "base64": "…"}}`.
public enum Attribute: Sendable, Equatable, CustomStringConvertible {
  /// An integer (ONNX `INT`).
  case int(Int)
  /// A float (ONNX `FLOAT`).
  case float(Float)
  /// A string (ONNX `STRING`, UTF-8).
  case string(String)
  /// Integers (ONNX `INTS`).
  case ints([Int])
  /// Floats (ONNX `FLOATS`).
  case floats([Float])
  /// Strings (ONNX `STRINGS`).
  case strings([String])
  /// A tensor (ONNX `TENSOR`), e.g. a `Constant` node's value.
  case tensor(GraphTensor)

  /// The integer, when this is `.int`.
  public var int: Int? { if case let .int(v) = self { v } else { nil } }
  /// The number, when this is `.float` or `.int`.
  public var float: Float? {
    switch self {
    case let .float(v): v
    case let .int(v): Float(v)
    default: nil
    }
  }
  /// The string, when this is `.string`.
  public var string: String? { if case let .string(v) = self { v } else { nil } }
  /// The integers, when this is `.ints`.
  public var ints: [Int]? { if case let .ints(v) = self { v } else { nil } }
  /// The floats, when this is `.floats`.
  public var floats: [Float]? { if case let .floats(v) = self { v } else { nil } }
  /// The tensor, when this is `.tensor`.
  public var tensor: GraphTensor? { if case let .tensor(v) = self { v } else { nil } }

  /// Compact text (`3`, `[1, 1]`, `"SAME_UPPER"`, `tensor float32[2]`).
  public var description: String {
    switch self {
    case let .int(v): "\(v)"
    case let .float(v): "\(v)"
    case let .string(v): "\"\(v)\""
    case let .ints(v): "\(v)"
    case let .floats(v): "\(v)"
    case let .strings(v): "\(v)"
    case let .tensor(t): "tensor \(t.type)"
    }
  }
}
