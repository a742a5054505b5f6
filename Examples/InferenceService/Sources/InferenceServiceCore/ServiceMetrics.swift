import Prometheus
import Synchronization

/// The service's Prometheus metrics, served as text by `GET /metrics`:
///
/// - `inference_requests_total{model,endpoint,status}`: requests answered;
/// - `inference_request_duration_seconds{model,endpoint}`: latency histogram;
/// - `inference_queue_depth{model}`: samples waiting for a batch;
/// - `inference_batch_size{model}`: samples per engine call (histogram).
public final class ServiceMetrics: Sendable {
  /// The registry the metrics live in.
  public let registry = PrometheusCollectorRegistry()
  private struct RequestKey: Hashable {
    var model: String
    var endpoint: String
    var status: Int
  }
  /// Counters and histograms by label set, so a request costs one dictionary lookup.
  private let requestMetrics = Mutex<[RequestKey: (Counter, DurationHistogram)]>([:])
  private static var requests: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "inference", metricName: "requests", unitName: "total",
    helpText: "Requests answered, by model, endpoint and HTTP status.")
  }
  private static var latency: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "inference", metricName: "request_duration", unitName: "seconds",
    helpText: "Request latency in seconds, by model and endpoint.")
  }
  private static var queueDepth: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "inference", metricName: "queue", unitName: "depth", helpText: "Samples waiting for a batch, by model.")
  }
  private static var batchSize: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "inference", metricName: "batch", unitName: "size", helpText: "Samples per engine call, by model.")
  }
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
    let key = RequestKey(model: model, endpoint: endpoint, status: status)
    let (counter, histogram) = requestMetrics.withLock { cache in
      if let found = cache[key] { return found }
      let made = (
        registry.makeCounter(
          descriptor: Self.requests, labels: [("model", model), ("endpoint", endpoint), ("status", String(status))]),
        registry.makeDurationHistogram(
          descriptor: Self.latency, labels: [("model", model), ("endpoint", endpoint)], buckets: Self.latencyBuckets)
      )
      cache[key] = made
      return made
    }
    counter.increment()
    histogram.record(duration)
  }

  /// A batch observer for one model's batcher (records `inference_batch_size`).
  /// - Parameter model: the model's name.
  public func batchObserver(model: String) -> @Sendable (Int) -> Void {
    let histogram = registry.makeValueHistogram(
      descriptor: Self.batchSize, labels: [("model", model)], buckets: Self.batchBuckets)
    return { histogram.record(Double($0)) }
  }

  /// A queue observer for one model's batcher (sets `inference_queue_depth`).
  /// - Parameter model: the model's name.
  public func queueObserver(model: String) -> @Sendable (Int) -> Void {
    let gauge = registry.makeGauge(descriptor: Self.queueDepth, labels: [("model", model)])
    gauge.set(to: 0)
    return { gauge.set(to: Double($0)) }
  }

  /// The metrics in Prometheus text format.
  public func render() -> [UInt8] { registry.emitToBuffer() }
}
