import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accumulates the wall time spent inside BLAS `sgemm` calls made by layers.
///
/// Attach one to a model with ``Sequential/gemmTimer``; `tessera bench train` uses it to report
/// the share of training time spent in sgemm.
public final class GEMMTimer {
  /// Total seconds inside sgemm since the last ``reset()``.
  public private(set) var seconds: Double = 0
  /// Number of sgemm calls since the last ``reset()``.
  public private(set) var calls: Int = 0
  /// Multiply-accumulates performed by those calls.
  public private(set) var multiplyAccumulates: Int = 0

  /// Makes a zeroed timer.
  public init() {}

  /// Zeroes the counters.
  public func reset() {
    seconds = 0
    calls = 0
    multiplyAccumulates = 0
  }

  func add(seconds: Double, macs: Int) {
    self.seconds += seconds
    calls += 1
    multiplyAccumulates += macs
  }
}

/// Monotonic seconds (CLOCK_MONOTONIC), for timing.
@inline(__always)
func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// `BLAS.sgemm`, timed when a timer is attached.
@inline(__always)
func timedSGEMM(
  _ timer: GEMMTimer?, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let start = timer == nil ? 0 : monotonicSeconds()
  BLAS.sgemm(
    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
    a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  if let timer { timer.add(seconds: monotonicSeconds() - start, macs: m * n * k) }
}
