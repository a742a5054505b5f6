/// The schedule section: totals per hardware, per-layer tables, a roofline of every layer and
/// each layer's energy by memory level.
enum ScheduleSection {
  static func make(_ inputs: [Sourced<ScheduleRun>]) -> ReportSection {
    let n = ChartNumber.self
    let runs = inputs.map(\.value)
    let totals = runs.map { run -> [String] in
      let peak = zip(run.peakOpsPerCycle, run.clockHz).map { n.label($0 * $1 / 1e9, significant: 4) } ?? "—"
      return [
        run.hardware, run.clockHz.map { n.label($0 / 1e6, significant: 4) } ?? "—", "\(run.total.cycles)",
        n.fixed(run.total.latencySeconds * 1e6, decimals: 2), n.fixed(run.total.energyPicojoules / 1e6, decimals: 3), peak,
      ]
    }
    var tables = [HTMLTable(
      caption: "Totals (layers one after another)",
      header: ["hardware", "clock (MHz)", "cycles", "latency (µs)", "energy (µJ)", "peak (GOP/s)"], rows: totals)]
    for run in runs {
      let rows = run.layers.map { layer -> [String] in
        let dram = layer.levels.first.map { $0.reads + $0.writes }
        return [
          layer.name, "\(layer.m)×\(layer.n)×\(layer.k)", layer.dataflow ?? "—", "\(layer.cycles)",
          n.fixed(layer.utilization * 100, decimals: 1), n.fixed(layer.energyPicojoules / 1e3, decimals: 1), dram.map(String.init) ?? "—",
        ]
      }
      tables.append(HTMLTable(
        caption: "Per layer on \(run.hardware)",
        header: ["layer", "GEMM m×n×k", "dataflow", "cycles", "utilization (%)", "energy (nJ)", "DRAM accesses"], rows: rows))
    }
    var figures = [roofline(runs).svg()]
    for run in runs { figures.append(energyByLevel(run).svg()) }
    return ReportSection(
      id: "schedule", title: "Accelerator schedule",
      lines: ["From \(SensitivitySection.ordered(inputs.map(\.source)).joined(separator: ", ")). Modeled by tessera schedule's cost model, one layer at a time."],
      tables: tables, figures: figures)
  }

  /// Roofline from the schedule JSON: throughput = 2·m·n·k ÷ cycles × clock (clock = total cycles
  /// ÷ total latency); intensity = operations ÷ DRAM element accesses; the compute roof is the
  /// peak recovered from utilization. The JSON has no DRAM bandwidth, so no slanted roof.
  static func roofline(_ runs: [ScheduleRun]) -> RooflineChart {
    var roofs: [RooflineChart.Roof] = [], points: [RooflineChart.Point] = []
    for (index, run) in runs.enumerated() {
      let clock = run.clockHz ?? .nan
      roofs.append(.init(name: run.hardware, peakGOPS: (run.peakOpsPerCycle ?? .nan) * clock / 1e9, bandwidthGBPS: nil))
      for layer in run.layers {
        let dram = layer.levels.first.map { Double($0.reads + $0.writes) } ?? .nan
        let gops = layer.cycles > 0 ? layer.operations / Double(layer.cycles) * clock / 1e9 : .nan
        points.append(.init(roof: index, label: layer.name, intensity: layer.operations / dram, gops: gops))
      }
    }
    return RooflineChart(
      title: "Roofline: every layer on every hardware", roofs: roofs, points: points,
      xTitle: "operational intensity (op per DRAM element access; = op/B for 8-bit data)",
      extraNotes: [
        "Dashed lines: compute peaks. The schedule JSON has no DRAM bandwidth, so no memory roof here;",
        "tessera schedule --plot draws the full, byte-exact roofline.",
      ])
  }

  /// Each layer's energy split by memory level, with MAC + leakage energy on top, in nJ.
  static func energyByLevel(_ run: ScheduleRun) -> StackedBarChart {
    var names: [String] = []
    for layer in run.layers { for level in layer.levels where !names.contains(level.name) { names.append(level.name) } }
    var components = names.map { name in
      BarSeries(name: name, values: run.layers.map { layer in layer.levels.first { $0.name == name }.map { $0.energyPicojoules / 1e3 } ?? 0 })
    }
    components.append(BarSeries(name: "MACs + leakage", values: run.layers.map { $0.computeEnergyPicojoules / 1e3 }))
    return StackedBarChart(
      title: "Energy by memory level on \(run.hardware)", categories: run.layers.map(\.name), y: ChartAxis("energy per inference (nJ)"),
      components: components)
  }
}

private func zip(_ a: Double?, _ b: Double?) -> (Double, Double)? {
  guard let a, let b else { return nil }
  return (a, b)
}
