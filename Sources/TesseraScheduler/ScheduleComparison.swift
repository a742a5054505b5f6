import Tessera

/// Several hardware specs side by side for the same layers: cycles, latency and energy per
/// layer and in total (`tessera schedule --hardware a,b`).
public struct ScheduleComparison: TabularReport, Sendable {
  /// One report per hardware, same layers in the same order.
  public var reports: [ScheduleReport]

  /// Makes a comparison.
  /// - Parameter reports: one report per hardware.
  public init(reports: [ScheduleReport]) { self.reports = reports }

  /// Encodes the reports as a JSON array (each per the schedule contract).
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    for report in reports { try container.encode(report) }
  }

  /// One row per layer and a total row; per hardware: dataflow, cycles, latency, energy.
  /// - Parameter format: `.table` or `.csv`.
  public func table(for format: ReportFormat) -> ReportTable {
    let right = ReportTable.Alignment.right
    var columns = [ReportTable.Column("layer")]
    for report in reports {
      let h = report.hardware
      columns += format == .csv
        ? [.init("\(h)_dataflow"), .init("\(h)_cycles"), .init("\(h)_latency_s"), .init("\(h)_energy_pj")]
        : [.init("\(h) df"), .init("\(h) cycles", alignment: right), .init("\(h) latency", alignment: right),
           .init("\(h) energy µJ", alignment: right)]
    }
    var table = ReportTable(columns: columns)
    let count = reports.map(\.costs.count).min() ?? 0
    for index in 0..<count {
      var cells = [reports[0].costs[index].workload.name]
      for report in reports {
        let cost = report.costs[index]
        cells += format == .csv
          ? [cost.mapping.dataflow.rawValue, "\(cost.cycles)", ReportNumber.csv(cost.latencySeconds), ReportNumber.csv(ReportNumber.rounded(cost.energyPJ))]
          : [cost.mapping.dataflow.rawValue, "\(cost.cycles)", ScheduleReport.seconds(cost.latencySeconds), ReportNumber.format(cost.energyPJ / 1e6, significant: 4, maxDecimals: 4)]
      }
      try? table.append(cells)
    }
    var total = ["total"]
    for report in reports {
      total += format == .csv
        ? ["", "\(report.totalCycles)", ReportNumber.csv(report.totalLatencySeconds), ReportNumber.csv(ReportNumber.rounded(report.totalEnergyPJ))]
        : ["", "\(report.totalCycles)", ScheduleReport.seconds(report.totalLatencySeconds), ReportNumber.format(report.totalEnergyPJ / 1e6, significant: 4, maxDecimals: 4)]
    }
    try? table.append(total)
    return table
  }

  /// "Side by side" heading.
  public var title: String? { "Side by side: " + reports.map(\.hardware).joined(separator: " vs ") }

  /// Area of each design.
  public var notes: [String] {
    reports.map { "\($0.hardware): area \(ReportNumber.format($0.spec.areaMM2)) mm², \(ReportNumber.format($0.spec.clockHz / 1e6)) MHz" }
  }
}
