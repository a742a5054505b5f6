/// Errors reading a dataset; each message names the file and the line or byte offset.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened.
  case cannotOpen(path: String, reason: String)
  /// The gzip stream is corrupt or truncated.
  case compression(path: String, offset: Int, reason: String)
  /// A CSV line is malformed (`line` is 1-based).
  case csv(path: String, line: Int, reason: String)
  /// An IDX file is malformed (`offset` is the byte offset in the uncompressed stream).
  case idx(path: String, offset: Int, reason: String)
  /// The images and labels files disagree, or the data is unusable as a whole.
  case mismatch(path: String, reason: String)

  /// A one-line message naming the file and where it went wrong.
  public var description: String {
    switch self {
    case let .cannotOpen(path, reason): "\(path): cannot open: \(reason)"
    case let .compression(path, offset, reason): "\(path): corrupt gzip data after \(offset) decompressed bytes: \(reason)"
    case let .csv(path, line, reason): "\(path):\(line): \(reason)"
    case let .idx(path, offset, reason): "\(path): byte \(offset): \(reason)"
    case let .mismatch(path, reason): "\(path): \(reason)"
    }
  }
}
