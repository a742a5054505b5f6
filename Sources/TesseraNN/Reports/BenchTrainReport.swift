import Tessera

/// The report of `tessera bench train`: training throughput per thread count with the share of
/// time spent in sgemm.
///
/// JSON: `{"machine": {"cpu", "isa", "blas"}, "results": [{"model", "batch", "threads",
/// "samples_per_s", "samples_per_s_min", "samples_per_s_max", "sgemm_share", "sgemm_gflops",
/// "step_ms"}]}`; rates are medians over repeats, `sgemm_share` a fraction in [0, 1].
public struct BenchTrainReport: TabularReport, Sendable, Equatable {
  /// One measured configuration.
  public struct Row: Sendable, Equatable, Encodable {
    /// Model name.
    public var model: String
    /// Samples per step.
    public var batch: Int
    /// BLAS threads.
    public var threads: Int
    /// The measurement.
    public var result: TrainingBenchmark.Result

    /// Makes a row.
    /// - Parameters:
    ///   - model: model name.
    ///   - batch: batch size.
    ///   - threads: BLAS threads.
    ///   - result: the measurement.
    public init(model: String, batch: Int, threads: Int, result: TrainingBenchmark.Result) {
      self.model = model
      self.batch = batch
      self.threads = threads
      self.result = result
    }

    enum CodingKeys: String, CodingKey { case model, batch, threads }

    /// Flattens the result's fields into the row.
    /// - Throws: `EncodingError` for non-finite numbers.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(model, forKey: .model)
      try c.encode(batch, forKey: .batch)
      try c.encode(threads, forKey: .threads)
      try result.encode(to: encoder)
    }
  }

  /// The machine (CPU, int8 ISA, BLAS).
  public var machine: BenchMachine
  /// One row per thread count.
  public var results: [Row]

  /// Makes a report.
  /// - Parameters:
  ///   - machine: the machine.
  ///   - results: the rows.
  public init(machine: BenchMachine, results: [Row]) {
    self.machine = machine
    self.results = results
  }

  /// The machine line.
  public var title: String? { "training throughput on \(machine.cpu), \(machine.blas)" }

  /// What is timed.
  public var notes: [String] {
    [
      "each step: forward, softmax cross-entropy, backward, SGD update on a fixed batch (no augmentation); median of the repeats",
      "sgemm share: wall time inside cblas_sgemm calls of Dense/Conv2D over the step time",
    ]
  }

  /// One row per thread count.
  /// - Parameter format: table or csv.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    let titles = human
      ? ["model", "batch", "threads", "samples/s", "min", "max", "ms/step", "sgemm share", "sgemm GFLOP/s"]
      : ["model", "batch", "threads", "samples_per_s", "samples_per_s_min", "samples_per_s_max", "step_ms", "sgemm_share", "sgemm_gflops"]
    var table = ReportTable(columns: titles.enumerated().map { .init($1, alignment: $0 == 0 ? .left : .right) })
    for row in results {
      let r = row.result
      let numbers = [r.samplesPerSecond, r.samplesPerSecondMin, r.samplesPerSecondMax, r.stepMilliseconds]
      let cells = human
        ? numbers.map { ReportNumber.format($0, significant: 4, maxDecimals: 3) }
          + [percentText(r.sgemmShare), ReportNumber.format(r.sgemmGFLOPS, significant: 3, maxDecimals: 1)]
        : (numbers + [r.sgemmShare, r.sgemmGFLOPS]).map { "\($0)" }
      try? table.append([row.model, "\(row.batch)", "\(row.threads)"] + cells)
    }
    return table
  }
}
