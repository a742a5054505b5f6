/// The element types a ``Tensor`` can hold.
///
/// The raw value is the name used in model files and reports (`"float32"`, `"int8"`, …).
public enum DType: String, Sendable, Hashable, Codable, CaseIterable {
  /// IEEE-754 binary32.
  case float32
  /// Signed 8-bit integer (quantized activations and weights).
  case int8
  /// Unsigned 8-bit integer (asymmetric activations, raw pixels).
  case uint8
  /// Signed 32-bit integer (accumulators and quantized biases).
  case int32

  /// Size of one element in bytes.
  public var byteSize: Int {
    switch self {
    case .float32, .int32: 4
    case .int8, .uint8: 1
    }
  }
}

/// A scalar type that can be stored in a ``Tensor``.
public protocol TensorScalar: Numeric, Sendable, Hashable, Comparable {
  /// The ``DType`` tag of this scalar type.
  static var dtype: DType { get }
}

extension Float: TensorScalar {
  /// `.float32`
  public static var dtype: DType { .float32 }
}

extension Int8: TensorScalar {
  /// `.int8`
  public static var dtype: DType { .int8 }
}

extension UInt8: TensorScalar {
  /// `.uint8`
  public static var dtype: DType { .uint8 }
}

extension Int32: TensorScalar {
  /// `.int32`
  public static var dtype: DType { .int32 }
}
