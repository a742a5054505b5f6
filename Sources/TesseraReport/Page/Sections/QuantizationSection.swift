/// The quantization section: the recipe, per-layer weight bits and weight SQNR.
enum QuantizationSection {
  static func make(_ input: Sourced<QuantizationRun>) -> ReportSection {
    let run = input.value
    let n = ChartNumber.self
    var rows: [[String]] = []
    if let model = run.model { rows.append(["float model", model]) }
    if let out = run.out { rows.append(["quantized model", out]) }
    if let bytes = run.bytes { rows.append(["quantized file (KiB)", n.fixed(Double(bytes) / 1024, decimals: 1)]) }
    if let recipe = run.recipe {
      if let method = recipe.method { rows.append(["activation calibration", method]) }
      if let samples = recipe.calibrationSamples { rows.append(["calibration samples", "\(samples)"]) }
      if let bits = recipe.weightBits {
        rows.append(["weights", "\(bits)-bit\(recipe.perChannel.map { $0 ? ", per channel" : ", per tensor" } ?? "")\(recipe.gptq == true ? ", GPTQ" : "")"])
      }
    }
    let layerRows = run.layers.map {
      [$0.name, $0.weightBits.map(String.init) ?? "—", $0.weightSQNR.map { n.fixed($0, decimals: 2) } ?? "—",
       $0.rtnOutputMSE.map { n.label($0, significant: 3) } ?? "—"]
    }
    let chart = GroupedBarChart(
      title: "Per-layer weight SQNR", categories: run.layers.map(\.name), y: ChartAxis("SQNR (dB)"),
      series: [BarSeries(name: "weight SQNR", values: run.layers.map { $0.weightSQNR ?? .nan })])
    return ReportSection(
      id: "quantization", title: "Quantization", lines: ["From \(input.source)."],
      tables: [
        HTMLTable(header: ["", "value"], rows: rows),
        HTMLTable(caption: "Per layer", header: ["layer", "weight bits", "weight SQNR (dB)", "output MSE (round-to-nearest)"], rows: layerRows),
      ],
      figures: run.layers.isEmpty ? [] : [chart.svg()])
  }
}
