import Tessera

extension GraphTensor {
  /// The same elements as a graph tensor.
  /// - Parameter stored: a model-file tensor.
  public init(_ stored: StoredTensor) {
    // Shapes of stored tensors were checked when they were made; the element counts agree.
    switch stored {
    case let .float32(t): self = try! GraphTensor(.float32(t.scalars), shape: t.shape)
    case let .int8(t): self = try! GraphTensor(.int8(t.scalars), shape: t.shape)
    case let .uint8(t): self = try! GraphTensor(.uint8(t.scalars), shape: t.shape)
    case let .int32(t): self = try! GraphTensor(.int32(t.scalars), shape: t.shape)
    }
  }
}

extension StoredTensor {
  /// The same elements as a model-file tensor.
  /// - Parameter tensor: a float32, int8, uint8 or int32 graph tensor.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` for other element types.
  public init(_ tensor: GraphTensor) throws {
    do {
      switch tensor.storage {
      case let .float32(v): self = .float32(try Tensor(shape: tensor.shape, scalars: v))
      case let .int8(v): self = .int8(try Tensor(shape: tensor.shape, scalars: v))
      case let .uint8(v): self = .uint8(try Tensor(shape: tensor.shape, scalars: v))
      case let .int32(v): self = .int32(try Tensor(shape: tensor.shape, scalars: v))
      default: throw GraphIRError.invalidTensor("\(tensor.elementType) has no model-file tensor case")
      }
    } catch let error as TesseraError {
      throw GraphIRError.invalidTensor(error.description)
    }
  }
}
