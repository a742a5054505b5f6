/// One dimension of a value's shape: a fixed size or a named symbol such as `batch` or
/// `sequence` that is bound when the graph runs.
///
/// In graph JSON a fixed dimension is a number and a symbolic one a string:
/// `"shape": ["batch", 784]`.
public enum Dimension: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral,
  ExpressibleByStringLiteral
{
  /// A known size (≥ 0).
  case fixed(Int)
  /// A size known only at run time, named (values with the same symbol have the same size).
  case symbol(String)

  /// Makes `.fixed`.
  public init(integerLiteral value: Int) { self = .fixed(value) }
  /// Makes `.symbol`.
  public init(stringLiteral value: String) { self = .symbol(value) }

  /// The size when fixed.
  public var value: Int? { if case let .fixed(v) = self { v } else { nil } }

  /// Decodes a number (fixed) or a string (symbol).
  /// - Throws: `DecodingError` for anything else or a negative size.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let v = try? c.decode(Int.self) {
      guard v >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "negative dimension \(v)") }
      self = .fixed(v)
    } else {
      self = .symbol(try c.decode(String.self))
    }
  }

  /// Encodes a number or a string.
  /// - Throws: `EncodingError` from the encoder.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case let .fixed(v): try c.encode(v)
    case let .symbol(s): try c.encode(s)
    }
  }

  /// `784` or `batch`.
  public var description: String {
    switch self {
    case let .fixed(v): "\(v)"
    case let .symbol(s): s
    }
  }
}

/// The type of a graph value: element type and shape (nil when even the rank is unknown).
public struct TensorType: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Element type.
  public var elementType: ElementType
  /// Dimensions, or nil for an unknown rank.
  public var shape: [Dimension]?

  /// Makes a type.
  /// - Parameters:
  ///   - elementType: element type.
  ///   - shape: dimensions, or nil for an unknown rank.
  public init(_ elementType: ElementType, _ shape: [Dimension]?) {
    self.elementType = elementType
    self.shape = shape
  }

  /// Makes a type with fixed dimensions.
  /// - Parameters:
  ///   - elementType: element type.
  ///   - dims: sizes.
  public init(_ elementType: ElementType, fixed dims: [Int]) {
    self.init(elementType, dims.map { .fixed($0) })
  }

  /// The sizes when every dimension is fixed.
  public var fixedShape: [Int]? {
    guard let shape else { return nil }
    let values = shape.compactMap(\.value)
    return values.count == shape.count ? values : nil
  }

  enum CodingKeys: String, CodingKey {
    case elementType = "dtype"
    case shape
  }

  /// `float32[batch, 784]` or `float32[?]`.
  public var description: String {
    "\(elementType)[" + (shape.map { $0.map(\.description).joined(separator: ", ") } ?? "?") + "]"
  }
}
