extension LAPACK {
  /// Singular value decomposition `a = u · diag(s) · vt` (divide and conquer, `sgesdd`).
  ///
  /// With `k = min(m, n)`, the thin form (`full == false`) returns `u: [m, k]`, `s: k`
  /// values in descending order and `vt: [k, n]`; the full form returns `u: [m, m]` and
  /// `vt: [n, n]`.
  ///
  /// For example:
  /// ```swift
  /// let (u, s, vt) = try LAPACK.svd(w)   // rank-r approximation: first r columns / rows
  /// ```
  /// - Parameters:
  ///   - a: `[m, n]` matrix.
  ///   - full: return the square orthogonal factors instead of the thin ones.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for a non-matrix or empty
  ///   input, ``TesseraError/invalidArgument(_:)`` for NaN/infinite entries, and
  ///   ``TesseraError/lapackFailure(routine:info:)`` (`sgesdd`) when the iteration does not converge.
  /// - Complexity: O(m·n·min(m, n)).
  public static func svd(
    _ a: Tensor<Float>, full: Bool = false
  ) throws -> (u: Tensor<Float>, s: [Float], vt: Tensor<Float>) {
    let (m, n) = try checkMatrix(a, "LAPACK.svd")
    let k = Swift.min(m, n)
    let uColumns = full ? m : k, vtRows = full ? n : k
    // Row-major A (m × n) is column-major B = Aᵀ (n × m). With B = U_B · Σ · VT_B:
    // A = VT_Bᵀ · Σ · U_Bᵀ, and the column-major storage of VT_B (resp. U_B) is the
    // row-major storage of u (resp. vt). So LAPACK writes u into `vt` and vice versa.
    var values = a.scalars
    var s = [Float](repeating: 0, count: k)
    var u = [Float](repeating: 0, count: m * uColumns)
    var vt = [Float](repeating: 0, count: vtRows * n)
    let info = values.withUnsafeMutableBufferPointer { aBuf in
      s.withUnsafeMutableBufferPointer { sBuf in
        u.withUnsafeMutableBufferPointer { uBuf in
          vt.withUnsafeMutableBufferPointer { vtBuf in
            LAPACKBackend.gesdd(
              full: full, m: n, n: m, a: aBuf.baseAddress!, lda: n, s: sBuf.baseAddress!,
              u: vtBuf.baseAddress!, ldu: n, vt: uBuf.baseAddress!, ldvt: uColumns)
          }
        }
      }
    }
    guard info == 0 else { throw TesseraError.lapackFailure(routine: "sgesdd", info: info) }
    return (try Tensor(shape: [m, uColumns], scalars: u), s, try Tensor(shape: [vtRows, n], scalars: vt))
  }
}
