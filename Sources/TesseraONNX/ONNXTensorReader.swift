import Foundation
import TesseraGraph

/// Converts `TensorProto`s (initializers, `Constant` values, backend-test `.pb` files) to
/// `GraphTensor`s, checking the element type, dimensions and data sizes before allocating.
struct ONNXTensorReader {
  /// The folder external data locations are relative to; nil when the bytes came without one.
  var directory: String?

  /// The tensor a `TensorProto` holds.
  /// - Parameters:
  ///   - proto: the message.
  ///   - name: the name used in messages (the tensor's own name, or one given by the caller).
  /// - Throws: ``ONNXError`` naming the tensor: unsupported element type, bad dimensions, data
  ///   of the wrong size, unsafe or missing external data.
  func tensor(_ proto: Onnx_TensorProto, name: String) throws -> GraphTensor {
    guard let type = ElementType(onnxCode: Int(proto.dataType)) else {
      throw ONNXError.unsupportedElementType(tensor: name, type: ElementType.onnxName(ofCode: proto.dataType))
    }
    guard !proto.hasSegment else {
      throw ONNXError.invalidTensor(tensor: name, reason: "segmented tensors (TensorProto.segment) are not supported")
    }
    guard proto.dims.allSatisfy({ $0 >= 0 }) else {
      throw ONNXError.invalidTensor(tensor: name, reason: "negative dimension in \(proto.dims)")
    }
    let shape = proto.dims.map { Int($0) }
    let count: Int
    do {
      count = try GraphTensor.elementCount(shape, what: "tensor '\(name)'")
    } catch {
      throw ONNXError.invalidTensor(tensor: name, reason: "shape \(shape) has more than 2^31 elements")
    }
    if proto.dataLocation == .external {
      let bytes = try externalBytes(of: proto, name: name, byteCount: count * type.byteSize)
      return try make(name) { try GraphTensor(elementType: type, shape: shape, littleEndianBytes: bytes) }
    }
    if proto.hasRawData {
      guard proto.rawData.count == count * type.byteSize else {
        throw ONNXError.invalidTensor(
          tensor: name,
          reason: "raw_data has \(proto.rawData.count) bytes, but \(type) shape \(shape) needs \(count * type.byteSize)")
      }
      return try make(name) { try GraphTensor(elementType: type, shape: shape, littleEndianBytes: proto.rawData) }
    }
    func checked<T>(_ values: [T], _ field: String) throws -> [T] {
      guard values.count == count else {
        throw ONNXError.invalidTensor(
          tensor: name, reason: "\(field) has \(values.count) values, but shape \(shape) needs \(count)")
      }
      return values
    }
    func narrowed<T: FixedWidthInteger>(_: T.Type) throws -> [T] {
      try checked(proto.int32Data, "int32_data").map { v in
        guard let x = T(exactly: v) else {
          throw ONNXError.invalidTensor(tensor: name, reason: "int32_data value \(v) does not fit \(type)")
        }
        return x
      }
    }
    let storage: GraphTensor.Storage =
      switch type {
      case .float32: .float32(try checked(proto.floatData, "float_data"))
      case .float64: .float64(try checked(proto.doubleData, "double_data"))
      case .int64: .int64(try checked(proto.int64Data, "int64_data"))
      case .int32: .int32(try checked(proto.int32Data, "int32_data"))
      case .int8: .int8(try narrowed(Int8.self))
      case .uint8: .uint8(try narrowed(UInt8.self))
      case .bool: .bool(try narrowed(UInt8.self).map { $0 != 0 })
      }
    return try make(name) { try GraphTensor(storage, shape: shape) }
  }

  /// Runs a `GraphTensor` initializer, renaming its error after the tensor.
  private func make(_ name: String, _ body: () throws -> GraphTensor) throws -> GraphTensor {
    do {
      return try body()
    } catch let error as GraphIRError {
      throw ONNXError.invalidTensor(tensor: name, reason: "\(error)")
    }
  }
}
