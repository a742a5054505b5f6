import Foundation
import Tessera

/// The result of `tessera run`: the top-k classes of one sample, the timing of the calls, and
/// (with `--profile`) time, GOP/s and bytes per step.
public struct RunReport: TabularReport, Sendable, Equatable {
  /// One ranked class.
  public struct Prediction: Sendable, Equatable, Encodable {
    /// Class index.
    public var `class`: Int
    /// Softmax probability.
    public var probability: Double
    /// The logit.
    public var logit: Double
  }

  /// One plan step's profile, per call.
  public struct Step: Sendable, Equatable, Encodable {
    /// Layer or step name.
    public var name: String
    /// Step kind.
    public var kind: String
    /// Mean microseconds per call.
    public var microseconds: Double
    /// Giga-operations per second (2 per MAC).
    public var gops: Double
    /// Bytes read and written per call.
    public var bytes: Int
    /// Share of the total step time.
    public var share: Double
    /// The int8 kernel that ran the step (nil for other steps).
    public var kernel: String?

    enum CodingKeys: String, CodingKey {
      case name, kind, gops, bytes, share, kernel
      case microseconds = "us"
    }
  }

  /// Model file.
  public var model: String
  /// `int8` or `float`.
  public var engine: String
  /// Which engine ran it: `compiled-chain`, `compiled-graph` or `interpreter` (``EngineKind``).
  public var engineKind: String?
  /// Int8 GEMM kernel (nil for float).
  public var kernel: String?
  /// Sample index in the chosen split.
  public var index: Int
  /// True label.
  public var label: Int
  /// Top-k classes, best first.
  public var topK: [Prediction]
  /// Samples per call.
  public var batch: Int
  /// Timed calls.
  public var repeats: Int
  /// Median microseconds per call.
  public var latencyMicroseconds: Double
  /// `batch / median call time`.
  public var samplesPerSecond: Double
  /// Per-step profile (empty without `--profile`).
  public var profile: [Step]

  enum CodingKeys: String, CodingKey {
    case model, engine, kernel, index, label, batch, profile
    case engineKind = "engine_kind"
    case topK = "top_k"
    case repeats = "repeat"
    case latencyMicroseconds = "latency_us"
    case samplesPerSecond = "samples_per_second"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - model: file.
  ///   - engine: engine kind.
  ///   - kernel: GEMM kernel name.
  ///   - index: sample index.
  ///   - label: true label.
  ///   - logits: the sample's logits.
  ///   - k: how many classes to list.
  ///   - batch: samples per call.
  ///   - times: microseconds of each timed call.
  ///   - steps: accumulated step profiles (may be empty).
  public init(
    model: String, engine: String, kernel: String?, index: Int, label: Int, logits: [Float], k: Int, batch: Int,
    times: [Double], steps: [StepProfile]
  ) {
    self.model = model
    self.engine = engine
    self.kernel = kernel
    self.index = index
    self.label = label
    let maxLogit = Double(logits.max() ?? 0)
    let exps = logits.map { Foundation.exp(Double($0) - maxLogit) }
    let total = exps.reduce(0, +)
    topK = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }.prefix(k).map {
      Prediction(class: $0, probability: ReportNumber.rounded(exps[$0] / total, decimals: 6), logit: ReportNumber.rounded(Double(logits[$0]), decimals: 5))
    }
    self.batch = batch
    repeats = times.count
    let sorted = times.sorted()
    latencyMicroseconds = sorted.isEmpty ? 0 : ReportNumber.rounded(sorted[sorted.count / 2], decimals: 3)
    samplesPerSecond = latencyMicroseconds > 0 ? ReportNumber.rounded(Double(batch) * 1e6 / latencyMicroseconds, decimals: 1) : 0
    let totalNanoseconds = Double(steps.reduce(0) { $0 + $1.nanoseconds })
    profile = steps.map {
      Step(name: $0.name, kind: $0.kind, microseconds: ReportNumber.rounded($0.microsecondsPerCall, decimals: 3),
           gops: ReportNumber.rounded($0.gops, decimals: 3), bytes: $0.calls > 0 ? $0.bytes / $0.calls : 0,
           share: totalNanoseconds > 0 ? ReportNumber.rounded(Double($0.nanoseconds) / totalNanoseconds, decimals: 4) : 0,
           kernel: $0.kernel)
    }
  }

  /// `sample 3 (label 7): …`.
  public var title: String? {
    "\(model) (\(engine)\(kernel.map { ", \($0)" } ?? "")): sample \(index), label \(label)"
  }

  /// Top-k rows.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    var table = ReportTable(columns: [
      .init("rank", alignment: .right), .init("class", alignment: .right),
      .init(human ? "probability" : "probability", alignment: .right), .init("logit", alignment: .right),
    ])
    for (rank, p) in topK.enumerated() {
      try? table.append([
        "\(rank + 1)", "\(p.class)", human ? ReportNumber.format(p.probability, significant: 4, maxDecimals: 4) : ReportNumber.csv(p.probability),
        human ? ReportNumber.format(p.logit, significant: 4, maxDecimals: 3) : ReportNumber.csv(p.logit),
      ])
    }
    return table
  }

  /// Timing and, with `--profile`, the per-step table.
  public var notes: [String] {
    var lines = ["batch \(batch): median \(ReportNumber.format(latencyMicroseconds)) µs per call over \(repeats) calls, \(ReportNumber.format(samplesPerSecond)) samples/s"]
    guard !profile.isEmpty else { return lines }
    var table = ReportTable(columns: [
      .init("step"), .init("kind"), .init("µs/call", alignment: .right), .init("GOP/s", alignment: .right),
      .init("bytes/call", alignment: .right), .init("share", alignment: .right), .init("kernel"),
    ])
    for s in profile {
      try? table.append([s.name, s.kind, ReportNumber.format(s.microseconds), s.gops > 0 ? ReportNumber.format(s.gops) : "",
                         "\(s.bytes)", ReportNumber.format(100 * s.share, significant: 3, maxDecimals: 1) + " %",
                         s.kernel.map { $0.replacingOccurrences(of: "tsr_qs8_qc8w_", with: "") } ?? ""])
    }
    lines.append("")
    lines += table.renderedText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return lines
  }
}
