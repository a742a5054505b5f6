import Prometheus

/// The service's Prometheus metrics, served as text by `GET /metrics`:
///
/// - `inference_requests_total{model,endpoint,status}`: requests answered;
/// - `inference_request_duration_seconds{model,endpoint}`: latency histogram;
/// - `inference_queue_depth{model}`: samples waiting for a batch;
/// - `inference_batch_size{model}`: samples per engine call (histogram).
public final class ServiceMetrics: Sendable {
  /// The registry the metrics live in.
  public let registry = PrometheusCollectorRegistry()
  private static let latencyBuckets: [Duration] = [
    .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
    .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    .microseconds(2_500_000), .seconds(5), .seconds(10),
  ]
  private static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

  /// Makes an empty registry.
  public init() {}

  /// Counts one answered request and its latency.
  /// - Parameters:
  ///   - model: the model's name (`""` for endpoints without one).
  ///   - endpoint: `predict`, `embed`, `models`, `healthz`, `metrics` or `other`.
  ///   - status: the HTTP status code.
  ///   - duration: time from receiving the head to producing the response.
  public func recordRequest(model: String, endpoint: String, status: Int, duration: Duration) {
    registry.makeCounter(
      name: "inference_requests_total", labels: [("model", model), ("endpoint", endpoint), ("status", String(status))],
      help: "Requests answered, by model, endpoint and HTTP status."
    ).increment()
    registry.makeDurationHistogram(
      name: "inference_request_duration_seconds", labels: [("model", model), ("endpoint", endpoint)],
      buckets: Self.latencyBuckets, help: "Request latency in seconds, by model and endpoint."
    ).record(duration)
  }

  /// A batch observer for one model's batcher (records `inference_batch_size`).
  /// - Parameter model: the model's name.
  public func batchObserver(model: String) -> DynamicBatcher<Int, Int>.BatchObserver {
    let histogram = registry.makeValueHistogram(
      name: "inference_batch_size", labels: [("model", model)], buckets: Self.batchBuckets,
      help: "Samples per engine call, by model.")
    return { histogram.record(Double($0)) }
  }

  /// A queue observer for one model's batcher (sets `inference_queue_depth`).
  /// - Parameter model: the model's name.
  public func queueObserver(model: String) -> DynamicBatcher<Int, Int>.QueueObserver {
    let gauge = registry.makeGauge(
      name: "inference_queue_depth", labels: [("model", model)], help: "Samples waiting for a batch, by model.")
    gauge.set(0)
    return { gauge.set(Double($0)) }
  }

  /// The metrics in Prometheus text format.
  public func render() -> [UInt8] { registry.emitToBuffer() }
}
