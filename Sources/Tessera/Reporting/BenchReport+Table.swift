extension BenchReport {
  /// Peer names that appear in any row's `vs`, in first-seen order.
  var peerColumns: [String] {
    var seen = [String]()
    for row in results {
      for peer in row.vs.keys.sorted() where !seen.contains(peer) { seen.append(peer) }
    }
    return seen
  }

  /// The results as a table.
  ///
  /// - Parameter format: `.table` gives short headers and formatted numbers; `.csv`
  ///   gives the JSON field names as headers (peer ratios as `vs_<impl>`) and plain numbers.
  /// - Returns: one row per result.
  public func table(for format: ReportFormat) -> ReportTable {
    let peers = peerColumns
    return format == .csv ? csvTable(peers: peers) : textTable(peers: peers)
  }

  private func textTable(peers: [String]) -> ReportTable {
    let right = ReportTable.Alignment.right
    var columns: [ReportTable.Column] = [
      .init("op"), .init("m×n×k", alignment: right), .init("thr", alignment: right), .init("impl"),
      .init("GOP/s", alignment: right), .init("min–max", alignment: right),
      .init("vs OpenBLAS", alignment: right),
    ]
    columns += peers.map { .init("vs \($0)", alignment: right) }
    columns += [.init("% int8 peak", alignment: right), .init("samples", alignment: right)]
    var table = ReportTable(columns: columns)
    for row in results {
      var cells = [
        row.op.rawValue, "\(row.m)×\(row.n)×\(row.k)", "\(row.threads)", row.impl,
        ReportNumber.format(row.gops),
        ReportNumber.format(row.gopsMin, significant: 3) + "–" + ReportNumber.format(row.gopsMax, significant: 3),
        Self.ratioCell(row.vsOpenBLAS),
      ]
      cells += peers.map { Self.ratioCell(row.vs[$0]) }
      cells.append(row.pctInt8Peak.map { ReportNumber.format($0, significant: 3, maxDecimals: 1) + "%" } ?? "–")
      cells.append("\(row.samples)×\(row.callsPerSample)" + (row.budgetCapped ? "*" : ""))
      try? table.append(cells)  // cell count matches the columns by construction
    }
    return table
  }

  private func csvTable(peers: [String]) -> ReportTable {
    var titles = ["op", "m", "n", "k", "threads", "impl", "gops", "gops_min", "gops_max", "vs_openblas"]
    titles += peers.map { "vs_\($0)" }
    titles += ["pct_int8_peak", "samples", "calls_per_sample", "budget_capped"]
    var table = ReportTable(columns: titles.map { ReportTable.Column($0) })
    for row in results {
      var cells = [
        row.op.rawValue, "\(row.m)", "\(row.n)", "\(row.k)", "\(row.threads)", row.impl,
        ReportNumber.csv(row.gops), ReportNumber.csv(row.gopsMin), ReportNumber.csv(row.gopsMax),
        ReportNumber.csv(row.vsOpenBLAS),
      ]
      cells += peers.map { ReportNumber.csv(row.vs[$0]) }
      cells += [
        ReportNumber.csv(row.pctInt8Peak), "\(row.samples)", "\(row.callsPerSample)", "\(row.budgetCapped)",
      ]
      try? table.append(cells)  // cell count matches the columns by construction
    }
    return table
  }

  private static func ratioCell(_ ratio: Double?) -> String {
    ratio.map { ReportNumber.format($0, significant: 3, maxDecimals: 2) + "×" } ?? "–"
  }

  /// The machine line printed above the table.
  public var title: String? {
    var line = "CPU: \(machine.cpu) | int8 ISA: \(machine.isa) | BLAS: \(machine.blas)"
    if let peak = machine.int8PeakGOPS { line += "\nint8 peak: \(ReportNumber.format(peak)) GOP/s per core" }
    if let peak = machine.fp32PeakGOPS { line += " | fp32 FMA peak: \(ReportNumber.format(peak)) GOP/s per core" }
    return line
  }

  /// Footnotes explaining the columns and any budget cap.
  public var notes: [String] {
    var lines = [
      "GOP/s = 2·m·n·k / time per call; median of the samples, min–max is the spread.",
      "vs X = this row's median over X's median on the same shape and threads (>1× = this row is faster).",
      "% int8 peak = GOP/s over (measured int8 dot-product peak per core × threads);"
        + " float rows are measured against the same int8 figure.",
    ]
    if results.contains(where: \.budgetCapped) {
      let budget = timeBudgetSeconds.map { " of \(ReportNumber.csv($0)) s" } ?? ""
      lines.append("samples = timed samples × calls per sample; * = stopped early by the time budget\(budget) per measurement.")
    } else {
      lines.append("samples = timed samples × calls per sample.")
    }
    return lines + extraNotes
  }
}
