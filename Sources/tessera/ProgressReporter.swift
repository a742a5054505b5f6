import Foundation

/// Progress lines on standard error, so standard output stays clean for JSON and CSV.
///
/// On a terminal each step overwrites the previous one on a single line; when standard
/// error is a file or pipe every step is its own line. `--quiet` silences it.
///
/// For example:
/// ```swift
/// let progress = output.progress()
/// for (index, shape) in shapes.enumerated() {
///   progress.step("gemm \(shape)", index: index + 1, of: shapes.count)
/// }
/// progress.finish()
/// ```
struct ProgressReporter: Sendable {
  /// False with `--quiet`.
  let enabled: Bool
  /// True when standard error is a terminal (steps overwrite one line).
  let interactive: Bool

  /// Makes a reporter.
  /// - Parameter enabled: whether anything is printed.
  init(enabled: Bool) {
    self.enabled = enabled
    interactive = isatty(STDERR_FILENO) != 0
  }

  /// Reports one step, such as `[3/12] gemm 64x256x784 openblas-sgemm`.
  /// - Parameters:
  ///   - message: what is happening now.
  ///   - index: 1-based position of this step, or nil for an unnumbered step.
  ///   - total: number of steps.
  func step(_ message: String, index: Int? = nil, of total: Int? = nil) {
    guard enabled else { return }
    var line = message
    if let index, let total { line = "[\(index)/\(total)] " + message }
    write(interactive ? "\r\u{1B}[K" + line : line + "\n")
  }

  /// A line that stays on screen (for example a warning), on its own line.
  /// - Parameter message: the text.
  func note(_ message: String) {
    guard enabled else { return }
    write((interactive ? "\r\u{1B}[K" : "") + message + "\n")
  }

  /// Clears the progress line on a terminal; call before printing the report.
  func finish() {
    guard enabled, interactive else { return }
    write("\r\u{1B}[K")
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
