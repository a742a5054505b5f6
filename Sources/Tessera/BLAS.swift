#if canImport(Accelerate)
import Accelerate
#else
import CSystemBLAS
#endif

/// Thin, unchecked wrappers over the system BLAS (OpenBLAS on Linux, Accelerate on Apple).
///
/// These take raw pointers for hot loops (training, the float engine). Prefer the
/// checked ``matmul(_:_:transposeA:transposeB:)`` on tensors elsewhere.
public enum BLAS {
  /// `C ← alpha · op(A) · op(B) + beta · C`, all row-major.
  ///
  /// - Parameters:
  ///   - transposeA: use Aᵀ (A is stored k × m) instead of A (m × k).
  ///   - transposeB: use Bᵀ (B is stored n × k) instead of B (k × n).
  ///   - m: rows of op(A) and C.
  ///   - n: columns of op(B) and C.
  ///   - k: columns of op(A), rows of op(B).
  ///   - alpha: scale of the product.
  ///   - a: A's first element.
  ///   - lda: A's row stride in elements.
  ///   - b: B's first element.
  ///   - ldb: B's row stride in elements.
  ///   - beta: scale of C's old values (0 ignores them).
  ///   - c: C's first element.
  ///   - ldc: C's row stride in elements.
  /// - Complexity: O(m·n·k).
  @inlinable
  public static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
  }

  /// `y ← alpha · op(A) · x + beta · y`, A row-major m × n.
  /// - Complexity: O(m·n).
  @inlinable
  public static func sgemv(
    transposeA: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, incx: Int = 1, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int = 1
  ) {
    guard m > 0, n > 0 else { return }
    cblas_sgemv(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, blasInt(m), blasInt(n), alpha, a,
      blasInt(lda), x, blasInt(incx), beta, y, blasInt(incy))
  }

  /// `y ← alpha · x + y`.
  @inlinable
  public static func saxpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    guard count > 0 else { return }
    cblas_saxpy(blasInt(count), alpha, x, 1, y, 1)
  }

  @usableFromInline
  static func blasInt(_ value: Int) -> Int32 { Int32(truncatingIfNeeded: value) }
}
