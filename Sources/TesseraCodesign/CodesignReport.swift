import Tessera

/// The design points of a sweep as a table (`--format table|csv`) or a JSON array (`--format json`).
public struct CodesignReport: TabularReport, Sendable {
  /// The points, finalized (canonical order, Pareto flags).
  public var points: [CodesignPoint]
  /// Where the JSON lines were written, if anywhere.
  public var out: String?
  /// Points measured by this run (the rest came from the results file).
  public var measured: Int

  /// Makes a report.
  public init(points: [CodesignPoint], out: String?, measured: Int) {
    self.points = points
    self.out = out
    self.measured = measured
  }

  /// Encodes as the array of points.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(points)
  }

  /// Which run wrote what.
  public var title: String? { "tessera codesign: \(points.count) design points (\(points.filter(\.pareto).count) Pareto-optimal)" }

  /// One row per design point.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    func num(_ v: Double, _ scale: Double = 1) -> String { human ? ReportNumber.format(v * scale) : ReportNumber.csv(v) }
    var table = ReportTable(columns: [
      .init("model"), .init(human ? "bits" : "weight_bits", alignment: .right), .init("sparsity"), .init("hardware"),
      .init(human ? "top-1 %" : "top1", alignment: .right), .init(human ? "bytes" : "model_bytes", alignment: .right),
      .init(human ? "latency µs" : "latency_s", alignment: .right), .init(human ? "energy µJ" : "energy_pj", alignment: .right),
      .init(human ? "area mm²" : "area_mm2", alignment: .right), .init(human ? "host µs" : "host_latency_us", alignment: .right),
      .init("pareto"),
    ])
    for p in points {
      try? table.append([
        p.model, "\(p.weightBits)", p.sparsity, p.hardware, num(p.top1, human ? 100 : 1), "\(p.modelBytes)",
        num(p.latencySeconds, human ? 1e6 : 1), num(p.energyPicojoules, human ? 1e-6 : 1), num(p.areaSquareMillimeters),
        num(p.hostLatencyMicroseconds), human ? (p.pareto ? "*" : "") : "\(p.pareto)",
      ])
    }
    return table
  }

  /// Where the lines went and what `pareto` means.
  public var notes: [String] {
    var lines = [String]()
    if let out { lines.append("wrote \(out) (\(points.count) JSON lines; \(measured) measured by this run)") }
    lines.append("* = Pareto-optimal: no other point has higher top-1 and lower modeled energy, latency and area (host latency is measured, not compared)")
    return lines
  }
}
