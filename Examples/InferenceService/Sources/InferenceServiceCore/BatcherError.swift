/// Why the ``DynamicBatcher`` did not run a request.
public enum BatcherError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The queue already holds `limit` samples; the request was refused at once (HTTP 503).
  case queueFull(limit: Int)
  /// The request waited in the queue past its deadline and was dropped unrun (HTTP 504).
  case deadlineExpired(milliseconds: Int)
  /// The batcher is shutting down and takes no new work (HTTP 503).
  case shuttingDown
  /// The batch function returned a number of outputs other than its number of samples.
  case outputCount(expected: Int, got: Int)

  /// A message for the `{"error": …}` body.
  public var description: String {
    switch self {
    case .queueFull(let limit): return "the queue is full (\(limit) samples waiting); retry later"
    case .deadlineExpired(let ms): return "the request waited longer than its deadline of \(ms) ms in the queue"
    case .shuttingDown: return "the service is shutting down"
    case .outputCount(let expected, let got): return "the model returned \(got) outputs for \(expected) samples"
    }
  }
}
