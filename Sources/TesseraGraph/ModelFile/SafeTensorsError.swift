/// Errors reading or writing `.safetensors` and model files; messages name the file.
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read or written.
  case io(path: String, reason: String)
  /// The 8-byte length or the JSON header is malformed.
  case header(path: String, reason: String)
  /// One tensor's entry is malformed (bad dtype, shape, offsets).
  case tensor(path: String, name: String, reason: String)
  /// The graph in `__metadata__` is malformed or disagrees with the tensors.
  case graph(path: String, reason: String)

  /// A one-line message.
  public var description: String {
    switch self {
    case let .io(path, reason): "\(path): \(reason)"
    case let .header(path, reason): "\(path): invalid safetensors header: \(reason)"
    case let .tensor(path, name, reason): "\(path): tensor '\(name)': \(reason)"
    case let .graph(path, reason): "\(path): model graph: \(reason)"
    }
  }
}
