import Tessera

/// A tensor of any dtype a model file can hold: float32 (float models), int8 (quantized
/// weights and activations), uint8 (asymmetric activations, raw pixels) and int32 (quantized
/// biases, accumulators).
///
/// For example:
/// ```swift
/// let scale = StoredTensor.float32(try Tensor(shape: [256], scalars: scales))
/// scale.dtype          // .float32
/// scale.shape          // [256]
/// ```
public enum StoredTensor: Sendable, Equatable {
  /// float32 (`F32` in safetensors).
  case float32(Tensor<Float>)
  /// int8 (`I8`).
  case int8(Tensor<Int8>)
  /// uint8 (`U8`).
  case uint8(Tensor<UInt8>)
  /// int32 (`I32`).
  case int32(Tensor<Int32>)

  /// The element type.
  public var dtype: DType {
    switch self {
    case .float32: .float32
    case .int8: .int8
    case .uint8: .uint8
    case .int32: .int32
    }
  }

  /// The shape.
  public var shape: [Int] {
    switch self {
    case let .float32(t): t.shape
    case let .int8(t): t.shape
    case let .uint8(t): t.shape
    case let .int32(t): t.shape
    }
  }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
  /// Bytes of the raw data.
  public var byteCount: Int { count * dtype.byteSize }

  /// The float32 tensor, or nil for another dtype.
  public var float32: Tensor<Float>? { if case let .float32(t) = self { t } else { nil } }
  /// The int8 tensor, or nil for another dtype.
  public var int8: Tensor<Int8>? { if case let .int8(t) = self { t } else { nil } }
  /// The uint8 tensor, or nil for another dtype.
  public var uint8: Tensor<UInt8>? { if case let .uint8(t) = self { t } else { nil } }
  /// The int32 tensor, or nil for another dtype.
  public var int32: Tensor<Int32>? { if case let .int32(t) = self { t } else { nil } }

  /// Little-endian raw bytes, row-major.
  public var littleEndianBytes: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(byteCount)
    switch self {
    case let .float32(t): for v in t.scalars { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
    case let .int8(t): for v in t.scalars { out.append(UInt8(bitPattern: v)) }
    case let .uint8(t): out = t.scalars
    case let .int32(t): for v in t.scalars { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    }
    return out
  }

  /// Decodes little-endian raw bytes.
  /// - Parameters:
  ///   - dtype: element type.
  ///   - shape: shape (the byte count must be `count × dtype.byteSize`).
  ///   - bytes: the raw data.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when sizes disagree.
  public init(dtype: DType, shape: [Int], littleEndianBytes bytes: ArraySlice<UInt8>) throws {
    guard let count = Tensor<Float>.elementCount(shape), bytes.count / dtype.byteSize == count,
      bytes.count % dtype.byteSize == 0
    else {
      let needed = Tensor<Float>.elementCount(shape).map { "\($0) elements" } ?? "too many elements"
      throw TesseraError.invalidShape(
        operation: "StoredTensor", shape: shape, reason: "needs \(needed) of \(dtype.byteSize) bytes, got \(bytes.count) bytes")
    }
    switch dtype {
    case .float32:
      let values = bytes.withUnsafeBytes { raw in
        (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
      }
      self = .float32(try Tensor(shape: shape, scalars: values))
    case .int32:
      let values = bytes.withUnsafeBytes { raw in
        (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
      }
      self = .int32(try Tensor(shape: shape, scalars: values))
    case .int8:
      self = .int8(try Tensor(shape: shape, scalars: bytes.map { Int8(bitPattern: $0) }))
    case .uint8:
      self = .uint8(try Tensor(shape: shape, scalars: Array(bytes)))
    }
  }
}

extension DType {
  /// The safetensors dtype name (`"F32"`, `"I8"`, `"U8"`, `"I32"`).
  public var safetensorsName: String {
    switch self {
    case .float32: "F32"
    case .int8: "I8"
    case .uint8: "U8"
    case .int32: "I32"
    }
  }

  /// The dtype for a safetensors name, or nil when Tessera does not support it.
  /// - Parameter safetensorsName: e.g. `"F32"`.
  public init?(safetensorsName: String) {
    guard let match = DType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
    self = match
  }
}
