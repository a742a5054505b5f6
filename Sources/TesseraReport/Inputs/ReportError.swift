/// A report input that cannot be used; the description is one line naming the file and the problem.
public struct ReportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public var file: String
  /// What is wrong with it.
  public var problem: String

  /// Makes an error.
  /// - Parameters:
  ///   - file: the file.
  ///   - problem: what is wrong.
  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }

  /// `<file>: <problem>` on one line.
  public var description: String {
    "\(file): \(problem)".split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}
