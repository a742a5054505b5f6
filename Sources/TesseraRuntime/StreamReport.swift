import Tessera

/// `tessera run --pipeline`: a stream of batch-1 requests run data-parallel and/or pipelined on
/// the same cores, with the mode that won (or was asked for).
public struct StreamReport: TabularReport, Sendable {
  /// The model file.
  public var model: String
  /// What was asked: `auto`, `pipeline` or `data-parallel`.
  public var requested: String
  /// The mode used for the answers (the faster one under `auto`).
  public var chosen: StreamMode
  /// Every mode measured, in the order run.
  public var measurements: [StreamMeasurement]
  /// Top-1 of the chosen mode's outputs against the labels.
  public var top1: Double

  /// Makes a report.
  public init(model: String, requested: String, chosen: StreamMode, measurements: [StreamMeasurement], top1: Double) {
    self.model = model
    self.requested = requested
    self.chosen = chosen
    self.measurements = measurements
    self.top1 = top1
  }

  enum CodingKeys: String, CodingKey {
    case model, requested, chosen, measurements, top1
  }

  /// One line naming the model and the request.
  public var title: String? { "tessera run --pipeline \(requested): \(model), \(measurements.first?.requests ?? 0) batch-1 requests" }

  /// One row per measured mode.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    func num(_ v: Double) -> String { human ? ReportNumber.format(v) : ReportNumber.csv(v) }
    var table = ReportTable(columns: [
      .init("mode"), .init("workers", alignment: .right), .init(human ? "requests/s" : "requests_per_s", alignment: .right),
      .init(human ? "p50 µs" : "latency_p50_us", alignment: .right), .init(human ? "p99 µs" : "latency_p99_us", alignment: .right),
      .init("stages"), .init("chosen"),
    ])
    for m in measurements {
      try? table.append([
        m.mode.rawValue, "\(m.workers)", num(m.requestsPerSecond), num(m.latencyP50Microseconds), num(m.latencyP99Microseconds),
        m.stages?.joined(separator: " | ") ?? "-", m.mode == chosen ? (human ? "*" : "true") : (human ? "" : "false"),
      ])
    }
    return table
  }

  /// The ratio of the two modes when both ran, and the answers' top-1.
  public var notes: [String] {
    var lines = [String]()
    if let pipe = measurements.first(where: { $0.mode == .pipeline }),
      let data = measurements.first(where: { $0.mode == .dataParallel })
    {
      lines.append(
        "pipeline / data-parallel: \(ReportNumber.format(pipe.requestsPerSecond / data.requestsPerSecond))× requests/s, "
          + "\(ReportNumber.format(pipe.latencyP50Microseconds / data.latencyP50Microseconds))× median latency (same run, same cores)")
    }
    lines.append("top-1 of the \(chosen.rawValue) answers: \(ReportNumber.format(100 * top1)) %")
    return lines
  }
}
