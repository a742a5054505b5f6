/// A JSON value: the attributes of a layer in the model graph.
///
/// For example:
/// ```swift
/// let attributes: [String: GraphValue] = ["kernel": [5, 5], "stride": [1, 1]]
/// attributes["kernel"]?.intArray    // [5, 5]
/// ```
public enum GraphValue: Sendable, Hashable, Codable, CustomStringConvertible,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  /// An integer.
  case int(Int)
  /// A floating-point number.
  case double(Double)
  /// A string.
  case string(String)
  /// A boolean.
  case bool(Bool)
  /// An array.
  case array([GraphValue])
  /// An object.
  case object([String: GraphValue])
  /// JSON null.
  case null

  /// Makes `.int`.
  public init(integerLiteral value: Int) { self = .int(value) }
  /// Makes `.double`.
  public init(floatLiteral value: Double) { self = .double(value) }
  /// Makes `.string`.
  public init(stringLiteral value: String) { self = .string(value) }
  /// Makes `.bool`.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// Makes `.array`.
  public init(arrayLiteral elements: GraphValue...) { self = .array(elements) }
  /// Makes `.object`.
  public init(dictionaryLiteral elements: (String, GraphValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
  /// Makes an array of integers.
  public init(_ values: [Int]) { self = .array(values.map { .int($0) }) }
  /// Makes an array of numbers.
  public init(_ values: [Float]) { self = .array(values.map { .double(Double($0)) }) }

  /// The integer, when this is an integral number.
  public var int: Int? {
    switch self {
    case let .int(v): v
    case let .double(v): v.rounded() == v && abs(v) < 1e15 ? Int(v) : nil
    default: nil
    }
  }
  /// The number, when this is a number.
  public var double: Double? {
    switch self {
    case let .int(v): Double(v)
    case let .double(v): v
    default: nil
    }
  }
  /// The string, when this is a string.
  public var string: String? { if case let .string(v) = self { v } else { nil } }
  /// The boolean, when this is a boolean.
  public var bool: Bool? { if case let .bool(v) = self { v } else { nil } }
  /// The elements, when this is an array.
  public var array: [GraphValue]? { if case let .array(v) = self { v } else { nil } }
  /// The members, when this is an object.
  public var object: [String: GraphValue]? { if case let .object(v) = self { v } else { nil } }
  /// The integers, when this is an array of integers.
  public var intArray: [Int]? {
    guard let items = array else { return nil }
    let ints = items.compactMap(\.int)
    return ints.count == items.count ? ints : nil
  }
  /// The numbers, when this is an array of numbers.
  public var doubleArray: [Double]? {
    guard let items = array else { return nil }
    let values = items.compactMap(\.double)
    return values.count == items.count ? values : nil
  }

  /// Decodes any JSON value.
  /// - Throws: `DecodingError` for malformed input.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let v = try? c.decode(Bool.self) { self = .bool(v) }
    else if let v = try? c.decode(Int.self) { self = .int(v) }
    else if let v = try? c.decode(Double.self) { self = .double(v) }
    else if let v = try? c.decode(String.self) { self = .string(v) }
    else if let v = try? c.decode([GraphValue].self) { self = .array(v) }
    else { self = .object(try c.decode([String: GraphValue].self)) }
  }

  /// Encodes the value as JSON.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case let .int(v): try c.encode(v)
    case let .double(v): try c.encode(v)
    case let .string(v): try c.encode(v)
    case let .bool(v): try c.encode(v)
    case let .array(v): try c.encode(v)
    case let .object(v): try c.encode(v)
    case .null: try c.encodeNil()
    }
  }

  /// Compact text form (`[5, 5]`, `0.5`, `"x"`), for tables.
  public var description: String {
    switch self {
    case let .int(v): "\(v)"
    case let .double(v): "\(v)"
    case let .string(v): v
    case let .bool(v): "\(v)"
    case let .array(v): "[" + v.map(\.description).joined(separator: ", ") + "]"
    case let .object(v): "{" + v.keys.sorted().map { "\($0): \(v[$0]!)" }.joined(separator: ", ") + "}"
    case .null: "null"
    }
  }
}
