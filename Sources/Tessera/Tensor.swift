/// A dense n-dimensional array with owned, copy-on-write storage.
///
/// A tensor is a view (`shape`, `strides`, `offset`) over a flat storage array.
/// Freshly made tensors are row-major and contiguous; views such as
/// ``transposed()`` share storage and change only the strides.
///
/// For example:
/// ```swift
/// let a = try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// a[1, 2]            // 6
/// a.transposed()[2, 1] // 6
/// ```
public struct Tensor<Scalar: TensorScalar>: Sendable {
  /// Extent of each dimension.
  public private(set) var shape: [Int]
  /// Element step of each dimension in `storage`.
  public private(set) var strides: [Int]
  /// Index in `storage` of the first element.
  public private(set) var offset: Int
  /// The flat backing storage (may be larger than the view).
  public private(set) var storage: [Scalar]

  /// The element type tag.
  public var dtype: DType { Scalar.dtype }
  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Number of elements in the view.
  public var count: Int { shape.reduce(1, *) }

  /// Row-major strides for `shape`.
  public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
      strides[axis] = step
      step *= Swift.max(shape[axis], 1)
    }
    return strides
  }

  /// The element count of `shape`, or nil when a dimension is negative or the product of the
  /// dimensions (zeros counted as 1, as the strides are) overflows `Int`, so shapes read from
  /// files never trap.
  public static func elementCount(_ shape: [Int]) -> Int? {
    var span = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = span.multipliedReportingOverflow(by: Swift.max(dimension, 1))
      guard !overflow else { return nil }
      span = product
    }
    return shape.contains(0) ? 0 : span
  }

  static func checkShape(_ shape: [Int], _ operation: String) throws {
    if let bad = shape.first(where: { $0 < 0 }) {
      throw TesseraError.invalidShape(
        operation: operation, shape: shape, reason: "dimension \(bad) is negative")
    }
    guard elementCount(shape) != nil else {
      throw TesseraError.invalidShape(
        operation: operation, shape: shape, reason: "element count overflows")
    }
  }

  /// Makes a contiguous row-major tensor from `scalars`.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` when a
  ///   dimension is negative or the element count does not match.
  public init(shape: [Int], scalars: [Scalar]) throws {
    try Self.checkShape(shape, "Tensor(shape:scalars:)")
    let expected = shape.reduce(1, *)
    guard expected == scalars.count else {
      throw TesseraError.invalidShape(
        operation: "Tensor(shape:scalars:)", shape: shape,
        reason: "needs \(expected) elements, got \(scalars.count)")
    }
    self.shape = shape
    self.strides = Self.rowMajorStrides(shape)
    self.offset = 0
    self.storage = scalars
  }

  /// Makes a tensor of `shape` filled with `value`.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions.
  public init(repeating value: Scalar, shape: [Int]) throws {
    try Self.checkShape(shape, "Tensor(repeating:shape:)")
    self.shape = shape
    self.strides = Self.rowMajorStrides(shape)
    self.offset = 0
    self.storage = [Scalar](repeating: value, count: shape.reduce(1, *))
  }

  /// Makes a zero-filled tensor of `shape`.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions.
  public init(zeros shape: [Int]) throws {
    try self.init(repeating: .zero, shape: shape)
  }

  /// Makes a view over existing storage. Internal: callers guarantee bounds.
  init(storage: [Scalar], shape: [Int], strides: [Int], offset: Int) {
    self.storage = storage
    self.shape = shape
    self.strides = strides
    self.offset = offset
  }

  /// True when the view is row-major with no gaps (strides of a fresh tensor).
  public var isContiguous: Bool {
    var step = 1
    for axis in shape.indices.reversed() where shape[axis] != 1 {
      if strides[axis] != step { return false }
      step *= shape[axis]
    }
    return true
  }

  /// Storage index of the element at `indices` (bounds-checked with a precondition).
  @inlinable
  func storageIndex(_ indices: [Int]) -> Int {
    precondition(indices.count == shape.count, "expected \(shape.count) indices, got \(indices.count)")
    var index = offset
    for axis in indices.indices {
      precondition(indices[axis] >= 0 && indices[axis] < shape[axis],
                   "index \(indices[axis]) out of range 0..<\(shape[axis]) on axis \(axis)")
      index += indices[axis] * strides[axis]
    }
    return index
  }

  /// The element at `indices` (one index per dimension).
  public subscript(_ indices: Int...) -> Scalar {
    get { storage[storageIndex(indices)] }
    set { storage[storageIndex(indices)] = newValue }
  }

  /// The elements of the view in row-major order.
  public var scalars: [Scalar] {
    if isContiguous && offset == 0 && storage.count == count { return storage }
    return contiguous().storage
  }

  /// A contiguous row-major copy (or `self` when already contiguous and unshared by offset).
  public func contiguous() -> Tensor {
    if isContiguous && offset == 0 && storage.count == count { return self }
    var out = [Scalar]()
    out.reserveCapacity(count)
    if count > 0 {
      var index = [Int](repeating: 0, count: rank)
      for _ in 0..<count {
        var position = offset
        for axis in 0..<rank { position += index[axis] * strides[axis] }
        out.append(storage[position])
        var axis = rank - 1
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < shape[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
    }
    return Tensor(storage: out, shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
  }

  /// The same elements with a new shape (copies when the view is not contiguous).
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` when counts differ.
  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    try Self.checkShape(newShape, "reshaped")
    guard newShape.reduce(1, *) == count else {
      throw TesseraError.invalidShape(
        operation: "reshaped", shape: newShape, reason: "cannot hold the \(count) elements of \(shape)")
    }
    let base = contiguous()
    return Tensor(storage: base.storage, shape: newShape,
                  strides: Self.rowMajorStrides(newShape), offset: base.offset)
  }

  /// A view with the last two dimensions swapped (no copy).
  /// - Precondition: rank ≥ 2.
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed() needs rank ≥ 2, got shape \(shape)")
    var s = shape, t = strides
    s.swapAt(rank - 1, rank - 2)
    t.swapAt(rank - 1, rank - 2)
    return Tensor(storage: storage, shape: s, strides: t, offset: offset)
  }

  /// Calls `body` with the contiguous elements of the view.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
    let base = contiguous()
    return try base.storage.withUnsafeBufferPointer { buffer in
      try body(UnsafeBufferPointer(rebasing: buffer[base.offset..<(base.offset + base.count)]))
    }
  }

  /// Calls `body` with the mutable contiguous elements (makes the tensor contiguous first).
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    if !(isContiguous && offset == 0 && storage.count == count) { self = contiguous() }
    return try storage.withUnsafeMutableBufferPointer { try body(&$0) }
  }

  /// Calls `body` with the raw storage, offset and strides, for strided BLAS calls.
  public func withUnsafeStorage<R>(
    _ body: (UnsafeBufferPointer<Scalar>, _ offset: Int, _ strides: [Int]) throws -> R
  ) rethrows -> R {
    try storage.withUnsafeBufferPointer { try body($0, offset, strides) }
  }
}

extension Tensor: Equatable {
  /// Equal when shapes and elements (in row-major order) are equal.
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
  }
}
