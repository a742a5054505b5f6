import TesseraGraph

/// A value during one call of a ``DynamicGraphPlan``.
enum DynamicValue {
  /// Not computed yet, or freed.
  case empty
  /// A tensor of any element type (graph inputs, constants, fallback outputs).
  case tensor(GraphTensor)
  /// A float32 tensor in a pooled buffer (fast-step outputs and views of them).
  case buffer(PooledBuffer, shape: [Int])

  /// The shape.
  var shape: [Int] {
    switch self {
    case .empty: []
    case let .tensor(t): t.shape
    case let .buffer(_, shape): shape
    }
  }

  /// The value as a tensor (copies a buffer).
  func graphTensor() throws -> GraphTensor? {
    switch self {
    case .empty: return nil
    case let .tensor(t): return t
    case let .buffer(b, shape):
      let n = shape.reduce(1, *)
      return try GraphTensor(float32: Array(UnsafeBufferPointer(start: b.pointer, count: n)), shape: shape)
    }
  }

  /// Calls `body` with a pointer to the float32 elements and the shape.
  /// - Throws: ``EngineError/invalidInput(_:)`` when the value is not float32.
  func withFloats<R>(_ what: String, _ body: (UnsafePointer<Float>, [Int]) throws -> R) throws -> R {
    switch self {
    case let .buffer(b, shape): return try body(b.pointer, shape)
    case let .tensor(t):
      guard let f = t.float32 else { throw EngineError.invalidInput("\(what): expected float32, got \(t.elementType)") }
      return try f.withUnsafeBufferPointer { try body($0.baseAddress ?? UnsafePointer(bitPattern: 64)!, t.shape) }
    case .empty: throw EngineError.invalidInput("\(what): value not computed")
    }
  }
}
