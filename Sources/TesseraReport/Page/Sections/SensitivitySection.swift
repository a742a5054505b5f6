/// The sensitivity section: per-layer top-1 drop (and SQNR) for each setting, one layer
/// compressed at a time.
enum SensitivitySection {
  static func make(_ input: Sourced<SensitivityRun>) -> ReportSection {
    let run = input.value
    let n = ChartNumber.self
    let layers = ordered(run.layers.map(\.layer)), settings = ordered(run.layers.map(\.setting))
    func value(_ layer: String, _ setting: String, _ pick: (SensitivityRun.Entry) -> Double?) -> Double {
      run.layers.first { $0.layer == layer && $0.setting == setting }.flatMap(pick) ?? .nan
    }
    let drop = GroupedBarChart(
      title: "Per-layer sensitivity: top-1 drop with only that layer compressed", categories: layers,
      y: ChartAxis("top-1 drop (points)"),
      series: settings.map { s in BarSeries(name: s, values: layers.map { value($0, s) { $0.top1Drop * 100 } }) })
    var figures = [drop.svg()]
    if run.layers.contains(where: { $0.sqnrDecibels != nil }) {
      let sqnr = GroupedBarChart(
        title: "Per-layer output SQNR with only that layer compressed", categories: layers, y: ChartAxis("SQNR (dB)"),
        series: settings.map { s in BarSeries(name: s, values: layers.map { value($0, s, \.sqnrDecibels) }) })
      figures.append(sqnr.svg())
    }
    let rows = run.layers.map {
      [$0.layer, $0.setting, n.percent($0.top1), n.fixed($0.top1Drop * 100, decimals: 2), $0.sqnrDecibels.map { n.fixed($0, decimals: 2) } ?? "—"]
    }
    var lines = ["From \(input.source)."]
    if let baseline = run.baselineTop1 { lines.append("\(run.model ?? "model") baseline top-1 \(n.percent(baseline)).") }
    return ReportSection(
      id: "sensitivity", title: "Per-layer sensitivity", lines: lines,
      tables: [HTMLTable(header: ["layer", "setting", "top-1", "drop (points)", "SQNR (dB)"], rows: rows)], figures: figures)
  }

  /// Distinct values in first-seen order.
  static func ordered(_ values: [String]) -> [String] {
    var seen: [String] = []
    for v in values where !seen.contains(v) { seen.append(v) }
    return seen
  }
}
