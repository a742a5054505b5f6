import Foundation

extension Attribute: Codable {
  private enum Key: String, CodingKey { case int, float, string, ints, floats, strings, tensor }

  /// Decodes a one-key object naming the type (`{"ints": [1, 1]}`).
  /// - Throws: `DecodingError` for an unknown key or a malformed value.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    guard c.allKeys.count == 1, let key = c.allKeys.first else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: c.codingPath, debugDescription: "an attribute is one of {int, float, string, ints, floats, strings, tensor}"))
    }
    switch key {
    case .int: self = .int(try c.decode(Int.self, forKey: key))
    case .float: self = .float(Float(try c.decode(Double.self, forKey: key)))
    case .string: self = .string(try c.decode(String.self, forKey: key))
    case .ints: self = .ints(try c.decode([Int].self, forKey: key))
    case .floats: self = .floats(try c.decode([Double].self, forKey: key).map { Float($0) })
    case .strings: self = .strings(try c.decode([String].self, forKey: key))
    case .tensor: self = .tensor(try c.decode(InlineTensor.self, forKey: key).tensor)
    }
  }

  /// Encodes a one-key object naming the type.
  /// - Throws: `EncodingError` for non-finite floats.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    switch self {
    case let .int(v): try c.encode(v, forKey: .int)
    case let .float(v): try c.encode(Double(v), forKey: .float)
    case let .string(v): try c.encode(v, forKey: .string)
    case let .ints(v): try c.encode(v, forKey: .ints)
    case let .floats(v): try c.encode(v.map(Double.init), forKey: .floats)
    case let .strings(v): try c.encode(v, forKey: .strings)
    case let .tensor(t): try c.encode(InlineTensor(tensor: t), forKey: .tensor)
    }
  }
}

/// A tensor written inside graph JSON: `{"dtype", "shape", "base64"}` (little-endian bytes).
struct InlineTensor: Codable {
  var tensor: GraphTensor

  init(tensor: GraphTensor) { self.tensor = tensor }

  enum CodingKeys: String, CodingKey { case dtype, shape, base64 }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let text = try c.decode(String.self, forKey: .base64)
    guard let bytes = Data(base64Encoded: text) else {
      throw DecodingError.dataCorruptedError(forKey: .base64, in: c, debugDescription: "not base64")
    }
    do {
      tensor = try GraphTensor(
        elementType: try c.decode(ElementType.self, forKey: .dtype), shape: try c.decode([Int].self, forKey: .shape),
        littleEndianBytes: bytes)
    } catch let error as GraphIRError {
      throw DecodingError.dataCorruptedError(forKey: .shape, in: c, debugDescription: error.description)
    }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(tensor.elementType, forKey: .dtype)
    try c.encode(tensor.shape, forKey: .shape)
    try c.encode(Data(tensor.littleEndianBytes).base64EncodedString(), forKey: .base64)
  }
}
