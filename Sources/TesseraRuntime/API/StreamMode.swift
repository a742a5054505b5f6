/// How an engine spreads a stream of batch-1 requests over several cores.
public enum StreamMode: String, Sendable, CaseIterable, Codable {
  /// Every worker runs the whole model on its own requests.
  case dataParallel = "data-parallel"
  /// The model's layers are split into one stage per worker (balanced by measured time); each
  /// request passes through the stages in order, so different requests are in different stages
  /// at once.
  case pipeline
}

/// Throughput and latency of a stream of batch-1 requests in one ``StreamMode``.
public struct StreamMeasurement: Sendable, Equatable, Codable {
  /// The mode.
  public var mode: StreamMode
  /// Threads (workers or stages).
  public var workers: Int
  /// Requests run.
  public var requests: Int
  /// Wall time of the whole stream, seconds.
  public var seconds: Double
  /// Requests per second.
  public var requestsPerSecond: Double
  /// Median latency of one request (first stage start to last stage end), µs.
  public var latencyP50Microseconds: Double
  /// 99th-percentile latency, µs.
  public var latencyP99Microseconds: Double
  /// Pipeline stages as step names (`input…pool1 | conv2…output`); nil in data-parallel mode.
  public var stages: [String]?

  enum CodingKeys: String, CodingKey {
    case mode, workers, requests, seconds, stages
    case requestsPerSecond = "requests_per_s"
    case latencyP50Microseconds = "latency_p50_us"
    case latencyP99Microseconds = "latency_p99_us"
  }
}
