/// An integer from a float: truncated toward zero; NaN becomes 0 and magnitudes beyond 2⁶³
/// saturate (the caller then wraps to its width, as C casts through int64 do).
@inline(__always) func truncatedInt64(_ x: Double) -> Int64 {
  if x.isNaN { return 0 }
  if x >= 9.223372036854775807e18 { return .max }
  if x <= -9.223372036854775808e18 { return .min }
  return Int64(x.rounded(.towardZero))
}

extension OperatorKernels {
  /// The elements converted to `Double` (booleans as 0/1).
  private static func doubles(_ storage: GraphTensor.Storage) -> [Double] {
    switch storage {
    case let .float32(v): v.map { Double($0) }
    case let .float64(v): v
    case let .int8(v): v.map { Double($0) }
    case let .uint8(v): v.map { Double($0) }
    case let .int32(v): v.map { Double($0) }
    case let .int64(v): v.map { Double($0) }
    case let .bool(v): v.map { $0 ? 1 : 0 }
    }
  }

  /// Converts `storage` to `type`: float→integer truncates toward zero (then wraps to the width;
  /// NaN → 0), integer→integer wraps, anything→bool is `x != 0`, bool→number is 0/1.
  static func converted(_ storage: GraphTensor.Storage, to type: ElementType) -> GraphTensor.Storage {
    if storage.elementType == type { return storage }
    func integers<T: FixedWidthInteger>(_: T.Type) -> [T] {
      switch storage {
      case let .float32(v): v.map { T(truncatingIfNeeded: truncatedInt64(Double($0))) }
      case let .float64(v): v.map { T(truncatingIfNeeded: truncatedInt64($0)) }
      case let .int8(v): v.map { T(truncatingIfNeeded: $0) }
      case let .uint8(v): v.map { T(truncatingIfNeeded: $0) }
      case let .int32(v): v.map { T(truncatingIfNeeded: $0) }
      case let .int64(v): v.map { T(truncatingIfNeeded: $0) }
      case let .bool(v): v.map { $0 ? 1 : 0 }
      }
    }
    switch type {
    case .float32:
      if case let .float64(v) = storage { return .float32(v.map { Float($0) }) }
      if case let .int64(v) = storage { return .float32(v.map { Float($0) }) }
      return .float32(doubles(storage).map { Float($0) })
    case .float64:
      if case let .int64(v) = storage { return .float64(v.map { Double($0) }) }
      return .float64(doubles(storage))
    case .int8: return .int8(integers(Int8.self))
    case .uint8: return .uint8(integers(UInt8.self))
    case .int32: return .int32(integers(Int32.self))
    case .int64: return .int64(integers(Int64.self))
    case .bool:
      switch storage {
      case let .float32(v): return .bool(v.map { $0 != 0 })
      case let .float64(v): return .bool(v.map { $0 != 0 })
      default: return .bool(integers(Int64.self).map { $0 != 0 })
      }
    }
  }

  /// Cast to the `to` type (an ONNX data-type code). `saturate` only concerns float8 targets,
  /// which the IR does not have, so it is ignored.
  static func cast(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let code = try c.node.int("to")
    guard let type = ElementType(onnxCode: code) else { throw c.error("cast to ONNX data type \(code) is not supported") }
    return try c.tensor(converted(x.storage, to: type), x.shape)
  }

  /// CastLike (opset 15): Cast to the element type of the second input, `target_type` (only its
  /// type is read).
  static func castLike(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input"), target = try c.input(1, "target_type")
    return try c.tensor(converted(x.storage, to: target.elementType), x.shape)
  }

  /// Constant: `value` (a tensor), `value_float`/`value_int` (scalars), `value_floats`/`value_ints`
  /// (1-D). String and sparse values are not supported.
  static func constant(_ c: KernelContext) throws -> GraphTensor {
    let keys = c.node.attributes.keys.filter { $0.hasPrefix("value") || $0 == "sparse_value" }
    guard keys.count == 1, let key = keys.first, let attribute = c.node.attributes[key] else {
      throw c.error("exactly one value attribute is required, got \(keys.sorted())")
    }
    switch (key, attribute) {
    case let ("value", .tensor(t)): return t
    case let ("value_float", .float(v)): return try c.tensor(.float32([v]), [])
    case let ("value_float", .int(v)): return try c.tensor(.float32([Float(v)]), [])
    case let ("value_floats", .floats(v)): return try c.tensor(.float32(v), [v.count])
    case let ("value_floats", .ints(v)): return try c.tensor(.float32(v.map { Float($0) }), [v.count])
    case let ("value_int", .int(v)): return try c.tensor(.int64([Int64(v)]), [])
    case let ("value_ints", .ints(v)): return try c.tensor(.int64(v.map { Int64($0) }), [v.count])
    default: throw c.error("attribute '\(key)' = \(attribute) is not a supported constant")
    }
  }
}
