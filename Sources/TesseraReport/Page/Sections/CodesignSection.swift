/// The co-design section: accuracy against modeled energy, modeled latency and host latency, each
/// with its two-objective Pareto frontier, and a table of the sweep's Pareto points.
enum CodesignSection {
  static func make(_ points: [DesignPoint], sources: [String]) -> ReportSection {
    let n = ChartNumber.self
    let hardware = SensitivitySection.ordered(points.map(\.hardware))
    func tooltip(_ p: DesignPoint) -> String {
      "\(p.name): top-1 \(n.percent(p.top1)), \(n.label(p.energyPicojoules / 1e6, significant: 4)) µJ, "
        + "\(n.label(p.latencySeconds * 1e6, significant: 4)) µs modeled, \(n.label(p.hostLatencyMicroseconds, significant: 4)) µs host, "
        + "\(n.label(Double(p.modelBytes) / 1024, significant: 4)) KiB\(p.pareto ? ", Pareto-optimal" : "")"
    }
    func chart(_ title: String, _ axis: String, _ cost: (DesignPoint) -> Double) -> String {
      let series = hardware.map { h in
        ScatterSeries(name: h, points: points.filter { $0.hardware == h }.map { ScatterPoint(x: cost($0), y: $0.top1, label: tooltip($0)) })
      }
      let costs = points.map(cost)
      let frontier = ParetoFrontier.indices(cost: costs.map { $0 > 0 ? $0 : .nan }, accuracy: points.map(\.top1)).map {
        ScatterPoint(x: costs[$0], y: points[$0].top1, label: tooltip(points[$0]))
      }
      return ScatterChart(
        title: title, x: ChartAxis(axis, scale: .log), y: ChartAxis("top-1 (%)", percent: true), series: series, frontier: frontier,
        frontierName: "frontier (these two axes)"
      ).svg()
    }
    let figures = [
      chart("Accuracy vs modeled energy", "modeled energy per inference (µJ, log)") { $0.energyPicojoules / 1e6 },
      chart("Accuracy vs modeled latency", "modeled latency per inference (µs, log)") { $0.latencySeconds * 1e6 },
      chart("Accuracy vs measured host latency", "int8 engine batch-1 latency on this host (µs, log)") { $0.hostLatencyMicroseconds },
    ]
    let pareto = points.filter(\.pareto).sorted { $0.energyPicojoules != $1.energyPicojoules ? $0.energyPicojoules < $1.energyPicojoules : $0.name < $1.name }
    let rows = pareto.map {
      [$0.model, "\($0.weightBits)", $0.sparsity, $0.hardware, n.percent($0.top1), n.fixed(Double($0.modelBytes) / 1024, decimals: 1),
       n.fixed($0.energyPicojoules / 1e6, decimals: 3), n.fixed($0.latencySeconds * 1e6, decimals: 2), n.fixed($0.areaSquareMillimeters, decimals: 2),
       n.fixed($0.hostLatencyMicroseconds, decimals: 1)]
    }
    return ReportSection(
      id: "codesign", title: "Co-design",
      lines: [
        "From \(sources.joined(separator: ", ")): \(points.count) design points on \(hardware.count) hardware, \(pareto.count) Pareto-optimal over accuracy, energy, latency and area (the sweep's own flag).",
        "Each chart's line is the frontier of its two axes (higher accuracy at lower cost); ringed points are on it.",
      ],
      tables: [HTMLTable(
        caption: "Pareto-optimal points, by modeled energy",
        header: ["model", "weight bits", "sparsity", "hardware", "top-1", "model (KiB)", "energy (µJ)", "latency (µs)", "area (mm²)", "host (µs)"],
        rows: rows)],
      figures: figures)
  }
}
