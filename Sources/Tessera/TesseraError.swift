/// Errors thrown by Tessera's core types. Every case carries what is needed to
/// print a one-line message naming the problem.
public enum TesseraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Two shapes that had to agree did not (`operation` names where).
  case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
  /// A shape had a negative dimension, or a zero one where that is not allowed.
  case invalidShape(operation: String, shape: [Int], reason: String)
  /// An argument was out of its valid range.
  case invalidArgument(String)
  /// A LAPACK routine reported failure (`info` is its return code).
  case lapackFailure(routine: String, info: Int)
  /// The requested instruction set or kernel is unavailable on this CPU or build.
  case unsupportedISA(String)

  /// A one-line human-readable message.
  public var description: String {
    switch self {
    case let .shapeMismatch(op, lhs, rhs):
      "\(op): shape mismatch between \(lhs) and \(rhs)"
    case let .invalidShape(op, shape, reason):
      "\(op): invalid shape \(shape): \(reason)"
    case let .invalidArgument(message):
      message
    case let .lapackFailure(routine, info):
      "LAPACK \(routine) failed with info = \(info)" + Self.lapackReason(routine, info)
    case let .unsupportedISA(message):
      message
    }
  }

  /// A short explanation of common LAPACK failure codes (empty when none applies).
  static func lapackReason(_ routine: String, _ info: Int) -> String {
    if info < 0 { return " (argument \(-info) was invalid)" }
    switch routine {
    case "spotrf": return " (the matrix is not positive definite: leading minor of order \(info))"
    case "spotri": return " (the Cholesky factor is singular at diagonal \(info))"
    case "sgesdd": return " (the SVD did not converge)"
    case "ssysv": return " (the matrix is singular: zero pivot at \(info))"
    default: return ""
    }
  }
}
