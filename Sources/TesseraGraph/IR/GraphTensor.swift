/// A constant tensor of the graph (an initializer, a `Constant` node's value) or a value computed by
/// the reference interpreter: a row-major array of one ``ElementType`` and its shape.
///
/// For example:
/// ```swift
/// let shape = try GraphTensor(int64: [1, -1], shape: [2])
/// let weight = try GraphTensor(float32: Array(repeating: 0.5, count: 6), shape: [2, 3])
/// weight.elementType          // .float32
/// weight.littleEndianBytes    // 24 bytes
/// ```
public struct GraphTensor: Sendable, Equatable {
  /// The largest element count a tensor may have (2³¹), so a malformed file cannot exhaust memory.
  public static let maximumElementCount = 1 << 31

  /// The elements, typed.
  public enum Storage: Sendable, Equatable {
    /// float32 elements.
    case float32([Float])
    /// float64 elements.
    case float64([Double])
    /// int8 elements.
    case int8([Int8])
    /// uint8 elements.
    case uint8([UInt8])
    /// int32 elements.
    case int32([Int32])
    /// int64 elements.
    case int64([Int64])
    /// bool elements.
    case bool([Bool])

    /// Number of elements.
    public var count: Int {
      switch self {
      case let .float32(v): v.count
      case let .float64(v): v.count
      case let .int8(v): v.count
      case let .uint8(v): v.count
      case let .int32(v): v.count
      case let .int64(v): v.count
      case let .bool(v): v.count
      }
    }

    /// The element type.
    public var elementType: ElementType {
      switch self {
      case .float32: .float32
      case .float64: .float64
      case .int8: .int8
      case .uint8: .uint8
      case .int32: .int32
      case .int64: .int64
      case .bool: .bool
      }
    }
  }

  /// The shape (empty for a scalar).
  public private(set) var shape: [Int]
  /// The elements in row-major order.
  public private(set) var storage: Storage

  /// Makes a tensor.
  /// - Parameters:
  ///   - storage: the elements.
  ///   - shape: the shape; its element count must equal `storage.count`.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the sizes disagree or exceed the limit.
  public init(_ storage: Storage, shape: [Int]) throws {
    let count = try Self.elementCount(shape, what: "tensor")
    guard count == storage.count else {
      throw GraphIRError.invalidTensor("shape \(shape) needs \(count) elements, got \(storage.count)")
    }
    self.shape = shape
    self.storage = storage
  }

  /// Makes a float32 tensor.
  /// - Parameters:
  ///   - values: the elements.
  ///   - shape: the shape.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the sizes disagree.
  public init(float32 values: [Float], shape: [Int]) throws { try self.init(.float32(values), shape: shape) }
  /// Makes an int64 tensor.
  /// - Parameters:
  ///   - values: the elements.
  ///   - shape: the shape.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the sizes disagree.
  public init(int64 values: [Int64], shape: [Int]) throws { try self.init(.int64(values), shape: shape) }

  /// A tensor of zeros.
  /// - Parameters:
  ///   - elementType: element type.
  ///   - shape: the shape.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the shape is too large.
  public init(zeros elementType: ElementType, shape: [Int]) throws {
    let n = try Self.elementCount(shape, what: "tensor")
    let storage: Storage =
      switch elementType {
      case .float32: .float32(Array(repeating: 0, count: n))
      case .float64: .float64(Array(repeating: 0, count: n))
      case .int8: .int8(Array(repeating: 0, count: n))
      case .uint8: .uint8(Array(repeating: 0, count: n))
      case .int32: .int32(Array(repeating: 0, count: n))
      case .int64: .int64(Array(repeating: 0, count: n))
      case .bool: .bool(Array(repeating: false, count: n))
      }
    try self.init(storage, shape: shape)
  }

  /// The element type.
  public var elementType: ElementType { storage.elementType }
  /// Number of elements.
  public var count: Int { storage.count }
  /// Bytes of the raw little-endian form.
  public var byteCount: Int { count * elementType.byteSize }
  /// The type (fixed shape).
  public var type: TensorType { TensorType(elementType, fixed: shape) }

  /// The float32 elements, or nil for another type.
  public var float32: [Float]? { if case let .float32(v) = storage { v } else { nil } }
  /// The int64 elements, or nil for another type.
  public var int64: [Int64]? { if case let .int64(v) = storage { v } else { nil } }

  /// The elements converted to `Double` (booleans as 0/1), for any type.
  public var doubles: [Double] {
    switch storage {
    case let .float32(v): v.map(Double.init)
    case let .float64(v): v
    case let .int8(v): v.map(Double.init)
    case let .uint8(v): v.map(Double.init)
    case let .int32(v): v.map(Double.init)
    case let .int64(v): v.map(Double.init)
    case let .bool(v): v.map { $0 ? 1 : 0 }
    }
  }

  /// The elements as integers, for integer and boolean types (nil for floating point).
  public var integers: [Int]? {
    switch storage {
    case .float32, .float64: nil
    case let .int8(v): v.map(Int.init)
    case let .uint8(v): v.map(Int.init)
    case let .int32(v): v.map(Int.init)
    case let .int64(v): v.map(Int.init)
    case let .bool(v): v.map { $0 ? 1 : 0 }
    }
  }

  /// The same elements with another shape of equal element count.
  /// - Parameter newShape: the shape.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the counts differ.
  public func reshaped(_ newShape: [Int]) throws -> GraphTensor { try GraphTensor(storage, shape: newShape) }

  /// The element count of `shape`, checked: no negative dimension, at most ``maximumElementCount``.
  /// - Parameters:
  ///   - shape: dimensions.
  ///   - what: a name for the message.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` naming `what`.
  public static func elementCount(_ shape: [Int], what: String) throws -> Int {
    var n = 1
    for d in shape {
      guard d >= 0 else { throw GraphIRError.invalidTensor("\(what) has a negative dimension in \(shape)") }
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      guard !overflow, p <= maximumElementCount || shape.contains(0) else {
        throw GraphIRError.invalidTensor("\(what) shape \(shape) has more than 2^31 elements")
      }
      n = p
    }
    return shape.contains(0) ? 0 : n
  }
}
