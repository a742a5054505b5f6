/// Errors of a co-design sweep: a bad grid or shard, unreadable result lines.
///
/// Every case prints as a one-line message naming the problem (``description``).
public enum CodesignError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The grid has an empty axis or a bad value (the message names the axis).
  case invalidGrid(String)
  /// A `--shard` that is not `i/n` with 0 ≤ i < n.
  case invalidShard(String)
  /// A results file line that is not a design point (`path`, 1-based `line` or 0 for the whole file, the reason).
  case invalidResults(path: String, line: Int, reason: String)
  /// Two results files disagree about the same design point.
  case conflictingPoints(String)

  /// A one-line human-readable message.
  public var description: String {
    switch self {
    case let .invalidGrid(message): "invalid grid: \(message)"
    case let .invalidShard(message): "invalid --shard \(message)"
    case let .invalidResults(path, line, reason): line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
    case let .conflictingPoints(message): message
    }
  }
}
