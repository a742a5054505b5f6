/// Checked LAPACK routines on row-major float tensors (LAPACKE on Linux, Accelerate on Apple).
///
/// Every routine copies its inputs, validates them first — rank 2, square where needed,
/// non-empty, finite, sizes within LAPACK's 32-bit integers — and turns a non-zero LAPACK
/// `info` into ``TesseraError/lapackFailure(routine:info:)``.
///
/// For example:
/// ```swift
/// let l = try LAPACK.choleskyFactor(h)          // h = l · lᵀ
/// let hInv = try LAPACK.choleskyInverse(h)      // GPTQ's inverse Hessian
/// let (u, s, vt) = try LAPACK.svd(w)            // low-rank factorization
/// ```
public enum LAPACK {
  /// Cholesky factor of a symmetric positive-definite matrix (`spotrf`).
  ///
  /// Only the `lower` (or upper) triangle of `a` is read; the returned factor has the other
  /// triangle set to zero, so `l · lᵀ = a` (or `uᵀ · u = a`).
  /// - Parameters:
  ///   - a: `[n, n]` symmetric positive-definite matrix.
  ///   - lower: return the lower factor L (default) or the upper factor U.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for a non-square or empty
  ///   matrix, ``TesseraError/invalidArgument(_:)`` for NaN/infinite entries, and
  ///   ``TesseraError/lapackFailure(routine:info:)`` (`spotrf`, info = order of the first
  ///   non-positive leading minor) when `a` is not positive definite.
  /// - Complexity: O(n³).
  public static func choleskyFactor(_ a: Tensor<Float>, lower: Bool = true) throws -> Tensor<Float> {
    let n = try checkSquare(a, "LAPACK.choleskyFactor")
    var values = a.scalars
    // Row-major lower = column-major upper.
    let info = values.withUnsafeMutableBufferPointer {
      LAPACKBackend.potrf(upper: lower, n: n, a: $0.baseAddress!, lda: n)
    }
    guard info == 0 else { throw TesseraError.lapackFailure(routine: "spotrf", info: info) }
    for row in 0..<n {
      for column in 0..<n where lower ? column > row : column < row { values[row * n + column] = 0 }
    }
    return try Tensor(shape: [n, n], scalars: values)
  }

  /// Inverse of a symmetric positive-definite matrix through its Cholesky factor
  /// (`spotrf` then `spotri`), returned as a full symmetric matrix.
  /// - Parameter a: `[n, n]` symmetric positive-definite matrix (its lower triangle is read).
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for a non-square or empty
  ///   matrix, ``TesseraError/invalidArgument(_:)`` for NaN/infinite entries, and
  ///   ``TesseraError/lapackFailure(routine:info:)`` naming `spotrf` (not positive definite)
  ///   or `spotri` (singular factor).
  /// - Complexity: O(n³).
  public static func choleskyInverse(_ a: Tensor<Float>) throws -> Tensor<Float> {
    let n = try checkSquare(a, "LAPACK.choleskyInverse")
    var values = a.scalars
    try values.withUnsafeMutableBufferPointer { buffer in
      let info = LAPACKBackend.potrf(upper: true, n: n, a: buffer.baseAddress!, lda: n)
      guard info == 0 else { throw TesseraError.lapackFailure(routine: "spotrf", info: info) }
      let inverseInfo = LAPACKBackend.potri(upper: true, n: n, a: buffer.baseAddress!, lda: n)
      guard inverseInfo == 0 else { throw TesseraError.lapackFailure(routine: "spotri", info: inverseInfo) }
    }
    // The result is in the row-major lower triangle; mirror it.
    for row in 0..<n {
      for column in (row + 1)..<n { values[row * n + column] = values[column * n + row] }
    }
    return try Tensor(shape: [n, n], scalars: values)
  }

  /// Validates a non-empty, finite, square rank-2 matrix; returns its order.
  static func checkSquare(_ a: Tensor<Float>, _ operation: String) throws -> Int {
    let (rows, columns) = try checkMatrix(a, operation)
    guard rows == columns else {
      throw TesseraError.invalidShape(operation: operation, shape: a.shape, reason: "expected a square matrix")
    }
    return rows
  }

  /// Validates a non-empty, finite rank-2 matrix that fits LAPACK's integers; returns (rows, columns).
  static func checkMatrix(_ a: Tensor<Float>, _ operation: String) throws -> (Int, Int) {
    guard a.rank == 2 else {
      throw TesseraError.invalidShape(operation: operation, shape: a.shape, reason: "expected a rank-2 matrix")
    }
    guard a.shape[0] > 0, a.shape[1] > 0 else {
      throw TesseraError.invalidShape(operation: operation, shape: a.shape, reason: "matrix is empty")
    }
    guard a.shape[0] * a.shape[1] <= Int(Int32.max) else {
      throw TesseraError.invalidShape(
        operation: operation, shape: a.shape, reason: "too large for 32-bit LAPACK indices")
    }
    guard a.allFinite else {
      throw TesseraError.invalidArgument("\(operation): input of shape \(a.shape) contains NaN or infinity")
    }
    return (a.shape[0], a.shape[1])
  }
}
