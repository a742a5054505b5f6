/// The validation section: float vs int8 summary, per-layer output SQNR bars and table.
enum ValidationSection {
  static func make(_ input: Sourced<ValidationRun>) -> ReportSection {
    let run = input.value
    let n = ChartNumber.self
    var rows: [[String]] = [
      ["top-1", n.percent(run.float.top1), n.percent(run.quantized.top1)],
      ["batch-1 latency (µs)", run.float.latencyMicroseconds.map { n.fixed($0, decimals: 1) } ?? "—",
       run.quantized.latencyMicroseconds.map { n.fixed($0, decimals: 1) } ?? "—"],
    ]
    if let bytes = run.bytes {
      rows.append(["model file (KiB)", n.fixed(Double(bytes.float) / 1024, decimals: 1), n.fixed(Double(bytes.quantized) / 1024, decimals: 1)])
    }
    var lines = ["From \(input.source)."]
    var facts: [String] = []
    if let agreement = run.agreement { facts.append("agreement \(n.percent(agreement))") }
    if let drop = run.dropPoints { facts.append("top-1 drop \(n.fixed(drop, decimals: 2)) points") }
    if !facts.isEmpty { lines.append("Float vs quantized: " + facts.joined(separator: ", ") + ".") }
    let layerRows = run.layers.map {
      [$0.name, $0.sqnrDecibels.map { n.fixed($0, decimals: 2) } ?? "—", $0.cosine.map { n.fixed($0, decimals: 6) } ?? "—"]
    }
    let chart = GroupedBarChart(
      title: "Per-layer output SQNR, int8 vs float", categories: run.layers.map(\.name), y: ChartAxis("SQNR (dB)"),
      series: [BarSeries(name: "output SQNR", values: run.layers.map { $0.sqnrDecibels ?? .nan })])
    return ReportSection(
      id: "validation", title: "Validation", lines: lines,
      tables: [
        HTMLTable(header: ["", "float", "quantized"], rows: rows),
        HTMLTable(caption: "Per layer", header: ["layer", "output SQNR (dB)", "cosine"], rows: layerRows),
      ],
      figures: run.layers.isEmpty ? [] : [chart.svg()])
  }
}
