#if canImport(Accelerate)
import Accelerate
/// LAPACK's integer type on this platform.
typealias LAPACKInt = __CLPK_integer
#else
import CSystemBLAS
/// LAPACK's integer type on this platform.
typealias LAPACKInt = Int32  // lapack_int (a macro, so not imported)
#endif

/// Column-major LAPACK calls, one per routine, hiding the platform interface
/// (LAPACKE on Linux, CLAPACK in Accelerate on Apple). Each returns LAPACK's `info`.
///
/// The public ``LAPACK`` works on row-major tensors and maps them onto these calls by
/// transposition (a row-major matrix is the column-major storage of its transpose), so
/// the same row/column bookkeeping runs on every platform.
enum LAPACKBackend {
  static func ascii(_ letter: Unicode.Scalar) -> CChar { CChar(truncatingIfNeeded: letter.value) }

  /// Cholesky factorization (`spotrf`) of the `upper` or lower triangle.
  static func potrf(upper: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
    #if canImport(Accelerate)
    var uplo = ascii(upper ? "U" : "L"), nn = LAPACKInt(n), ld = LAPACKInt(lda), info = LAPACKInt(0)
    _ = spotrf_(&uplo, &nn, a, &ld, &info)
    return Int(info)
    #else
    return Int(LAPACKE_spotrf(LAPACK_COL_MAJOR, ascii(upper ? "U" : "L"), LAPACKInt(n), a, LAPACKInt(lda)))
    #endif
  }

  /// Inverse from a Cholesky factor (`spotri`); writes the same triangle.
  static func potri(upper: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
    #if canImport(Accelerate)
    var uplo = ascii(upper ? "U" : "L"), nn = LAPACKInt(n), ld = LAPACKInt(lda), info = LAPACKInt(0)
    _ = spotri_(&uplo, &nn, a, &ld, &info)
    return Int(info)
    #else
    return Int(LAPACKE_spotri(LAPACK_COL_MAJOR, ascii(upper ? "U" : "L"), LAPACKInt(n), a, LAPACKInt(lda)))
    #endif
  }

  /// Divide-and-conquer SVD (`sgesdd`) of the m × n matrix `a` (destroyed);
  /// `full` selects `jobz = "A"`, otherwise `"S"`.
  static func gesdd(
    full: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
    vt: UnsafeMutablePointer<Float>, ldvt: Int
  ) -> Int {
    #if canImport(Accelerate)
    var jobz = ascii(full ? "A" : "S"), mm = LAPACKInt(m), nn = LAPACKInt(n), ld = LAPACKInt(lda)
    var ldu = LAPACKInt(ldu), ldvt = LAPACKInt(ldvt), info = LAPACKInt(0), lwork = LAPACKInt(-1)
    var query: Float = 0
    var iwork = [LAPACKInt](repeating: 0, count: 8 * Swift.max(1, Swift.min(m, n)))
    _ = sgesdd_(&jobz, &mm, &nn, a, &ld, s, u, &ldu, vt, &ldvt, &query, &lwork, &iwork, &info)
    guard info == 0 else { return Int(info) }
    lwork = LAPACKInt(query)
    var work = [Float](repeating: 0, count: Swift.max(1, Int(lwork)))
    _ = sgesdd_(&jobz, &mm, &nn, a, &ld, s, u, &ldu, vt, &ldvt, &work, &lwork, &iwork, &info)
    return Int(info)
    #else
    return Int(LAPACKE_sgesdd(
      LAPACK_COL_MAJOR, ascii(full ? "A" : "S"), LAPACKInt(m), LAPACKInt(n), a, LAPACKInt(lda),
      s, u, LAPACKInt(ldu), vt, LAPACKInt(ldvt)))
    #endif
  }

  /// Symmetric indefinite solve (`ssysv`, Bunch–Kaufman) of `A · X = B` reading the
  /// `upper` or lower triangle of A; X overwrites B (n × nrhs).
  static func sysv(
    upper: Bool, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    b: UnsafeMutablePointer<Float>, ldb: Int
  ) -> Int {
    var pivots = [LAPACKInt](repeating: 0, count: n)
    #if canImport(Accelerate)
    var uplo = ascii(upper ? "U" : "L"), nn = LAPACKInt(n), nr = LAPACKInt(nrhs)
    var ld = LAPACKInt(lda), ldb = LAPACKInt(ldb), info = LAPACKInt(0), lwork = LAPACKInt(-1)
    var query: Float = 0
    _ = ssysv_(&uplo, &nn, &nr, a, &ld, &pivots, b, &ldb, &query, &lwork, &info)
    guard info == 0 else { return Int(info) }
    lwork = LAPACKInt(query)
    var work = [Float](repeating: 0, count: Swift.max(1, Int(lwork)))
    _ = ssysv_(&uplo, &nn, &nr, a, &ld, &pivots, b, &ldb, &work, &lwork, &info)
    return Int(info)
    #else
    return Int(LAPACKE_ssysv(
      LAPACK_COL_MAJOR, ascii(upper ? "U" : "L"), LAPACKInt(n), LAPACKInt(nrhs), a, LAPACKInt(lda),
      &pivots, b, LAPACKInt(ldb)))
    #endif
  }
}
