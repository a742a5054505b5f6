#if canImport(Accelerate)
import Accelerate
#else
import CSystemBLAS
#endif

/// The system BLAS behind ``BLAS`` and ``LAPACK``: name, build and threading.
///
/// For example:
/// ```swift
/// BLASInfo.summary        // "OpenBLAS 0.3.21 (Zen)"
/// BLASInfo.setThreads(1)  // single-threaded baselines in benchmarks
/// ```
public enum BLASInfo {
  /// `"OpenBLAS"` on Linux, `"Accelerate"` on Apple platforms.
  public static var vendor: String {
    #if canImport(Accelerate)
    "Accelerate"
    #else
    "OpenBLAS"
    #endif
  }

  /// The build description (`openblas_get_config()`, e.g.
  /// `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"`); `"Accelerate"` on Apple.
  public static var version: String {
    #if canImport(Accelerate)
    "Accelerate"
    #else
    guard let config = openblas_get_config() else { return "OpenBLAS" }
    return String(cString: config).trimmingSpaces
    #endif
  }

  /// The release number parsed from ``version`` (e.g. `"0.3.21"`), or empty when unknown.
  public static var versionNumber: String {
    let words = version.split(separator: " ")
    return words.first { $0.first?.isNumber == true && $0.contains(".") }.map(String.init) ?? ""
  }

  /// The kernel family OpenBLAS chose for this CPU (`openblas_get_corename()`, e.g. `"Zen"`);
  /// empty on Apple platforms.
  public static var coreName: String {
    #if canImport(Accelerate)
    ""
    #else
    guard let name = openblas_get_corename() else { return "" }
    return String(cString: name).trimmingSpaces
    #endif
  }

  /// Threads BLAS calls may use (`openblas_get_num_threads()`; 0 when not controllable).
  public static var threads: Int {
    #if canImport(Accelerate)
    0
    #else
    Int(openblas_get_num_threads())
    #endif
  }

  /// A one-line description for reports: vendor, release and core, e.g. `"OpenBLAS 0.3.21 (Zen)"`.
  public static var summary: String {
    var text = vendor
    if !versionNumber.isEmpty { text += " " + versionNumber }
    if !coreName.isEmpty { text += " (\(coreName))" }
    return text
  }

  /// Sets the number of BLAS threads (`openblas_set_num_threads`); no-op on Apple platforms.
  /// - Parameter count: threads (values below 1 are treated as 1).
  public static func setThreads(_ count: Int) {
    #if !canImport(Accelerate)
    openblas_set_num_threads(Int32(clamping: Swift.max(count, 1)))
    #endif
  }
}

extension String {
  /// The string without leading and trailing spaces or newlines (no Foundation needed).
  fileprivate var trimmingSpaces: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
