extension LAPACK {
  /// Solves `a · x = b` for a symmetric (possibly indefinite) `a` with Bunch–Kaufman
  /// pivoting (`ssysv`). Only the lower triangle of `a` is read.
  ///
  /// For example:
  /// ```swift
  /// let x = try LAPACK.solveSymmetric(h, g)   // g: [n] or [n, r]
  /// ```
  /// - Parameters:
  ///   - a: `[n, n]` symmetric matrix.
  ///   - b: right-hand side `[n]` or `[n, r]`.
  /// - Returns: `x` with the shape of `b`.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for a non-square, empty or
  ///   wrong-rank operand, ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` naming both shapes
  ///   when `b` has not n rows, ``TesseraError/invalidArgument(_:)`` for NaN/infinite entries,
  ///   and ``TesseraError/lapackFailure(routine:info:)`` (`ssysv`, info = zero pivot) when `a` is singular.
  /// - Complexity: O(n³ + n²·r).
  public static func solveSymmetric(_ a: Tensor<Float>, _ b: Tensor<Float>) throws -> Tensor<Float> {
    let operation = "LAPACK.solveSymmetric"
    let n = try checkSquare(a, operation)
    guard b.rank == 1 || b.rank == 2 else {
      throw TesseraError.invalidShape(operation: operation, shape: b.shape, reason: "expected [n] or [n, r]")
    }
    guard b.shape[0] == n else {
      throw TesseraError.shapeMismatch(operation: operation, lhs: a.shape, rhs: b.shape)
    }
    let columns = b.rank == 2 ? b.shape[1] : 1
    guard columns > 0 else {
      throw TesseraError.invalidShape(operation: operation, shape: b.shape, reason: "no right-hand sides")
    }
    guard b.allFinite else {
      throw TesseraError.invalidArgument("\(operation): right-hand side of shape \(b.shape) contains NaN or infinity")
    }
    // Row-major lower triangle of a = column-major upper triangle; b goes column-major.
    var matrix = a.scalars
    let rowMajor = b.scalars
    var columnMajor = [Float](repeating: 0, count: n * columns)
    for row in 0..<n {
      for column in 0..<columns { columnMajor[column * n + row] = rowMajor[row * columns + column] }
    }
    let info = matrix.withUnsafeMutableBufferPointer { aBuf in
      columnMajor.withUnsafeMutableBufferPointer { bBuf in
        LAPACKBackend.sysv(
          upper: true, n: n, nrhs: columns, a: aBuf.baseAddress!, lda: n, b: bBuf.baseAddress!, ldb: n)
      }
    }
    guard info == 0 else { throw TesseraError.lapackFailure(routine: "ssysv", info: info) }
    var solution = [Float](repeating: 0, count: n * columns)
    for row in 0..<n {
      for column in 0..<columns { solution[row * columns + column] = columnMajor[column * n + row] }
    }
    return try Tensor(shape: b.shape, scalars: solution)
  }
}
