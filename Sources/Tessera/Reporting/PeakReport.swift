/// One measured instruction peak: a row of `tessera bench peak`.
public struct PeakResult: Codable, Sendable, Equatable {
  /// The sequence's stable name, for example `int8-avx512vnni`.
  public var kind: String
  /// `int8`, `int32` or `fp32`.
  public var type: String
  /// One core's rate in GOP/s (2 operations per multiply-accumulate).
  public var gops: Double
  /// `gops` × threads, the bound used for multi-thread "% of peak" figures.
  public var gopsTotal: Double
  /// Threads the total is scaled to.
  public var threads: Int

  /// Makes a row.
  /// - Parameters:
  ///   - peak: the sequence measured.
  ///   - gops: one core's rate.
  ///   - threads: threads to scale the total to.
  public init(peak: InstructionPeak, gops: Double, threads: Int) {
    kind = peak.rawValue
    type = peak.isFloat ? "fp32" : peak == .scalarInt32 ? "int32" : "int8"
    self.gops = ReportNumber.rounded(gops)
    gopsTotal = ReportNumber.rounded(gops * Double(threads))
    self.threads = threads
  }

  enum CodingKeys: String, CodingKey {
    case kind, type, gops, threads
    case gopsTotal = "gops_total"
  }
}

/// The output of `tessera bench peak`: `{"machine": …, "peaks": [{"kind", "type", "gops", "gops_total", "threads"}]}`.
public struct PeakReport: TabularReport, Codable, Sendable, Equatable {
  /// Where the peaks were measured (its peak fields are filled from the rows).
  public var machine: BenchMachine
  /// One row per supported instruction sequence.
  public var peaks: [PeakResult]

  /// Makes a report.
  /// - Parameters:
  ///   - machine: the machine description.
  ///   - peaks: the measured rows.
  public init(machine: BenchMachine, peaks: [PeakResult]) {
    self.machine = machine
    self.peaks = peaks
  }

  /// The rows as a table (`.csv` uses the JSON names and plain numbers).
  /// - Parameter format: `.table` or `.csv`.
  /// - Returns: one row per peak.
  public func table(for format: ReportFormat) -> ReportTable {
    let csv = format == .csv
    let titles = csv ? ["kind", "type", "gops", "threads", "gops_total"]
      : ["instruction sequence", "type", "GOP/s per core", "threads", "GOP/s total"]
    var table = ReportTable(columns: titles.enumerated().map { .init($1, alignment: $0 < 2 ? .left : .right) })
    for row in peaks {
      let numbers = csv ? [ReportNumber.csv(row.gops), "\(row.threads)", ReportNumber.csv(row.gopsTotal)]
        : [ReportNumber.format(row.gops), "\(row.threads)", ReportNumber.format(row.gopsTotal)]
      try? table.append([row.kind, row.type] + numbers)  // cell count matches by construction
    }
    return table
  }

  /// The machine line printed above the table.
  public var title: String? { "CPU: \(machine.cpu) | int8 ISA: \(machine.isa) | BLAS: \(machine.blas)" }

  /// What the numbers mean.
  public var notes: [String] {
    [
      "Peaks run one instruction sequence on independent accumulators (inline asm), one thread;",
      "GOP/s counts a multiply-accumulate as 2 operations, as GEMM's 2·m·n·k does. Totals assume",
      "perfect scaling over threads. int8-avx2 is the AVX2 kernels' widen + vpmaddwd step.",
    ]
  }
}
