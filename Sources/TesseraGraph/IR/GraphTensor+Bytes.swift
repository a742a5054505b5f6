extension GraphTensor {
  /// Little-endian raw bytes, row-major (booleans one byte each, 0 or 1).
  public var littleEndianBytes: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(byteCount)
    switch storage {
    case let .float32(v): for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
    case let .float64(v): for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
    case let .int8(v): for x in v { out.append(UInt8(bitPattern: x)) }
    case let .uint8(v): out = v
    case let .int32(v): for x in v { withUnsafeBytes(of: x.littleEndian) { out += $0 } }
    case let .int64(v): for x in v { withUnsafeBytes(of: x.littleEndian) { out += $0 } }
    case let .bool(v): out = v.map { $0 ? 1 : 0 }
    }
    return out
  }

  /// Decodes little-endian raw bytes.
  /// - Parameters:
  ///   - elementType: element type.
  ///   - shape: the shape.
  ///   - bytes: exactly `count × elementType.byteSize` bytes.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` when the byte count is wrong or the shape too large.
  public init<Bytes: Collection>(elementType: ElementType, shape: [Int], littleEndianBytes bytes: Bytes) throws
  where Bytes.Element == UInt8 {
    let n = try Self.elementCount(shape, what: "tensor")
    guard bytes.count == n * elementType.byteSize else {
      throw GraphIRError.invalidTensor(
        "\(elementType) shape \(shape) needs \(n * elementType.byteSize) bytes, got \(bytes.count)")
    }
    let raw = Array(bytes)
    func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
      raw.withUnsafeBytes { p in (0..<n).map { T(littleEndian: p.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
    }
    let storage: Storage =
      switch elementType {
      case .float32: .float32(load(UInt32.self).map(Float.init(bitPattern:)))
      case .float64: .float64(load(UInt64.self).map(Double.init(bitPattern:)))
      case .int8: .int8(raw.map { Int8(bitPattern: $0) })
      case .uint8: .uint8(raw)
      case .int32: .int32(load(Int32.self))
      case .int64: .int64(load(Int64.self))
      case .bool: .bool(raw.map { $0 != 0 })
      }
    try self.init(storage, shape: shape)
  }
}
