import Tessera

extension ScheduleReport: TabularReport {
  /// The layers as a table: in `.table` format one row per layer (mapping, accesses per level,
  /// cycles, utilization, energy breakdown, latency) and a total row; in `.csv` format one row
  /// per layer and level with per-tensor reads and writes (the golden-report format).
  /// - Parameter format: `.table` or `.csv`.
  public func table(for format: ReportFormat) -> ReportTable {
    format == .csv ? csvTable() : textTable()
  }

  /// The level names of the first layer (every layer of one spec has the same levels).
  private var levelNames: [String] { costs.first?.levels.map(\.name) ?? spec.levels.map(\.name) }

  private func textTable() -> ReportTable {
    let right = ReportTable.Alignment.right
    var columns: [ReportTable.Column] = [
      .init("layer"), .init("m×n×k", alignment: right), .init("df"), .init("cycles", alignment: right),
      .init("util", alignment: right), .init("latency", alignment: right),
    ]
    columns += levelNames.map { .init("\($0) r/w", alignment: right) }
    columns += [.init("MAC pJ", alignment: right)]
    columns += levelNames.map { .init("\($0) pJ", alignment: right) }
    columns += [.init("energy pJ", alignment: right)]
    if measurements.contains(where: { $0 != nil }) { columns.append(.init("measured GOP/s", alignment: right)) }
    var table = ReportTable(columns: columns)
    for (index, cost) in costs.enumerated() {
      let s = cost.workload.shape
      var cells = [
        cost.workload.name, "\(s.gemmM)×\(s.gemmN)×\(s.gemmK)", cost.mapping.dataflow.rawValue,
        "\(cost.cycles)", Self.percent(cost.utilization), Self.seconds(cost.latencySeconds),
      ]
      cells += cost.levels.map { "\(Self.count($0.totalReads))/\(Self.count($0.totalWrites))" }
      cells.append(ReportNumber.format(cost.macEnergyPJ, significant: 4, maxDecimals: 1))
      cells += cost.levels.map { ReportNumber.format($0.energyPJ, significant: 4, maxDecimals: 1) }
      cells.append(ReportNumber.format(cost.energyPJ, significant: 4, maxDecimals: 1))
      if columns.last?.title == "measured GOP/s" {
        cells.append(index < measurements.count ? measurements[index].map { ReportNumber.format($0.gops) } ?? "–" : "–")
      }
      try? table.append(cells)  // cell count matches the columns by construction
    }
    var total = ["total", "", "", "\(totalCycles)", "", Self.seconds(totalLatencySeconds)]
    total += levelNames.indices.map { i in
      "\(Self.count(costs.reduce(0) { $0 + $1.levels[i].totalReads }))/\(Self.count(costs.reduce(0) { $0 + $1.levels[i].totalWrites }))"
    }
    total.append(ReportNumber.format(costs.reduce(0) { $0 + $1.macEnergyPJ }, significant: 4, maxDecimals: 1))
    total += levelNames.indices.map { i in ReportNumber.format(costs.reduce(0) { $0 + $1.levels[i].energyPJ }, significant: 4, maxDecimals: 1) }
    total.append(ReportNumber.format(totalEnergyPJ, significant: 4, maxDecimals: 1))
    if columns.count > total.count { total.append("") }
    try? table.append(total)
    return table
  }

  static let csvColumns = [
    "hardware", "layer", "m", "n", "k", "dataflow", "cycles", "compute_cycles", "fill_drain_cycles", "folds",
    "utilization", "energy_pj", "latency_s", "level", "input_reads", "input_writes", "weight_reads", "weight_writes",
    "output_reads", "output_writes", "reads", "writes", "level_energy_pj", "mapping",
  ]

  private func csvTable() -> ReportTable {
    var table = ReportTable(columns: Self.csvColumns.map { ReportTable.Column($0) })
    for cost in costs {
      let s = cost.workload.shape
      let head = [
        hardware, cost.workload.name, "\(s.gemmM)", "\(s.gemmN)", "\(s.gemmK)", cost.mapping.dataflow.rawValue,
        "\(cost.cycles)", "\(cost.computeCycles)", "\(cost.fillDrainCycles)", "\(cost.folds)",
        Self.csv(cost.utilization, 6), Self.csv(cost.energyPJ, 3), Self.csv(cost.latencySeconds, 12),
      ]
      for level in cost.levels {
        var cells = head + [level.name]
        for tensor in TensorKind.allCases {
          cells += ["\(level.reads[tensor] ?? 0)", "\(level.writes[tensor] ?? 0)"]
        }
        cells += ["\(level.totalReads)", "\(level.totalWrites)", Self.csv(level.energyPJ, 3), cost.mappingText]
        try? table.append(cells)
      }
      var mac = head + ["MAC"] + [String](repeating: "0", count: 6) + ["\(cost.macs)", "0"]
      mac += [Self.csv(cost.macEnergyPJ, 3), cost.mappingText]
      try? table.append(mac)
    }
    return table
  }

  /// The spec line printed above the table.
  public var title: String? {
    let a = spec.array
    var line = "\(spec.name): \(a.rows)×\(a.cols) \(a.kind.rawValue) array, \(ReportNumber.format(spec.clockHz / 1e6)) MHz"
    line += ", levels " + spec.levels.map { level in
      level.name + (level.capacityBytes.map { " " + Self.bytes($0) } ?? "")
    }.joined(separator: " › ")
    line += ", area \(ReportNumber.format(spec.areaMM2)) mm²"
    if !spec.summary.isEmpty { line += "\n" + spec.summary }
    return line
  }

  /// Mappings, roofline positions and search statistics under the table.
  public var notes: [String] {
    var lines = ["r/w = element reads/writes per level (operands and partial sums); energies in pJ; cycles include fill/drain."]
    for (index, cost) in costs.enumerated() {
      let r = cost.roofline
      var line = "\(cost.workload.name): \(cost.mappingText)"
      line += "\n    roofline: \(ReportNumber.format(r.operationalIntensity)) op/B, achieved \(ReportNumber.format(r.achievedOpsPerCycle)) of attainable \(ReportNumber.format(r.attainableOpsPerCycle)) op/cycle (\(r.bound)-bound)"
      if cost.folds > 0 { line += "; \(cost.folds) fold\(cost.folds == 1 ? "" : "s"), \(cost.fillDrainCycles) fill/drain cycles" }
      else if cost.fillDrainCycles > 0 { line += "; \(cost.fillDrainCycles) kernel-invocation overhead cycles" }
      if index < searches.count, let search = searches[index] {
        line += "\n    mapper: \(search.spaceSize) legal mappings, \(search.evaluated) evaluated, \(ReportNumber.format(search.seconds * 1000)) ms"
      }
      lines.append(line)
    }
    if let sweep {
      lines.append("sweep: \(sweep.entries.count) tilings, Spearman ρ(predicted, measured GOP/s) = \(ReportNumber.format(sweep.spearman, significant: 3)), mapper's choice at \(ReportNumber.format(sweep.chosenVsBest * 100, significant: 3))% of the best measured")
      for entry in sweep.entries {
        lines.append("    \(entry.chosen ? "*" : " ") predicted \(ReportNumber.format(entry.predictedGOPS)) (#\(Int(entry.predictedRank))), measured \(ReportNumber.format(entry.measuredGOPS)) GOP/s (#\(Int(entry.measuredRank))): \(entry.mapping)")
      }
    }
    return lines
  }

  static func percent(_ value: Double) -> String { ReportNumber.format(value * 100, significant: 3, maxDecimals: 1) + "%" }

  static func seconds(_ value: Double) -> String {
    value >= 1e-3 ? ReportNumber.format(value * 1e3) + " ms" : ReportNumber.format(value * 1e6) + " µs"
  }

  static func count(_ value: Int) -> String {
    let v = Double(value)
    if v >= 1e9 { return ReportNumber.format(v / 1e9, significant: 3) + "G" }
    if v >= 1e6 { return ReportNumber.format(v / 1e6, significant: 3) + "M" }
    if v >= 1e4 { return ReportNumber.format(v / 1e3, significant: 3) + "k" }
    return "\(value)"
  }

  static func bytes(_ value: Int) -> String {
    if value >= 1 << 20 && value % (1 << 20) == 0 { return "\(value >> 20) MiB" }
    if value >= 1 << 10 && value % (1 << 10) == 0 { return "\(value >> 10) KiB" }
    return "\(value) B"
  }

  static func csv(_ value: Double, _ decimals: Int) -> String {
    ReportNumber.csv(ReportNumber.rounded(value, decimals: decimals))
  }
}
