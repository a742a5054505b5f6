extension Tensor {
  /// A new contiguous tensor of the same shape with `transform` applied to every element
  /// in row-major order.
  ///
  /// For example:
  /// ```swift
  /// let relu = x.map { Swift.max($0, 0) }
  /// let q: Tensor<Int8> = x.map { Int8(clamping: Int(($0 / scale).rounded())) }
  /// ```
  /// - Parameter transform: maps one element; may change the scalar type.
  /// - Throws: rethrows what `transform` throws.
  /// - Complexity: O(count).
  public func map<Result: TensorScalar>(_ transform: (Scalar) throws -> Result) rethrows -> Tensor<Result> {
    let values = try withUnsafeBufferPointer { try $0.map(transform) }
    return Tensor<Result>(
      storage: values, shape: shape, strides: Tensor<Result>.rowMajorStrides(shape), offset: 0)
  }

  /// Applies `transform` to every element in place (the tensor becomes contiguous).
  /// - Parameter transform: maps one element to a new value of the same type.
  /// - Throws: rethrows what `transform` throws.
  /// - Complexity: O(count).
  public mutating func mapInPlace(_ transform: (Scalar) throws -> Scalar) rethrows {
    try withUnsafeMutableBufferPointer { buffer in
      for index in buffer.indices { buffer[index] = try transform(buffer[index]) }
    }
  }
}
