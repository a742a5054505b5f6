/// One row of `tessera bench scaling`: the same work on one thread and on `threads` threads,
/// measured in alternating samples so both see the same background load.
public struct ScalingResult: Codable, Sendable, Equatable {
  /// What ran: `gemm 512x512x512`, `gemv 1x4096x4096` or `model mlp-int8.safetensors, batch 64`.
  public var label: String
  /// Threads of the multi-thread side (the other side runs on one).
  public var threads: Int
  /// Microseconds per call on one thread (median of the samples).
  public var oneThreadMicroseconds: Double
  /// Microseconds per call on `threads` threads (median of the samples).
  public var multiThreadMicroseconds: Double
  /// Median over rounds of (one-thread time ÷ multi-thread time) within the round.
  public var speedup: Double
  /// Smallest per-round speedup.
  public var speedupMin: Double
  /// Largest per-round speedup.
  public var speedupMax: Double
  /// Rounds (pairs of samples) measured.
  public var rounds: Int
  /// Arithmetic operations per call (2·m·n·k) for GEMM/GEMV rows, nil for models.
  public var operations: Double?
  /// Multi-thread calls the shared ``ThreadPool`` ran in parallel during the measurement.
  public var parallelCalls = 0
  /// Multi-thread calls it ran serially because a worker had straggled (its back-off).
  public var backoffSerialCalls = 0

  /// One-thread GOP/s when ``operations`` is known.
  public var oneThreadGOPS: Double? { operations.map { $0 / oneThreadMicroseconds / 1e3 } }
  /// Multi-thread GOP/s when ``operations`` is known.
  public var multiThreadGOPS: Double? { operations.map { $0 / multiThreadMicroseconds / 1e3 } }

  enum CodingKeys: String, CodingKey {
    case label, threads, speedup, rounds, operations
    case parallelCalls = "parallel_calls"
    case backoffSerialCalls = "backoff_serial_calls"
    case oneThreadMicroseconds = "one_thread_us"
    case multiThreadMicroseconds = "multi_thread_us"
    case speedupMin = "speedup_min"
    case speedupMax = "speedup_max"
  }
}

/// Measures how much faster work runs on several threads than on one.
///
/// Timing one thread count after the other lets the machine's background load (other
/// processes, a neighbour on the host, frequency changes) land on one side only; on the
/// shared 2-core machines Tessera is developed on, one-thread GEMM medians moved 330–600
/// GOP/s between consecutive runs. Here each round times one sample of each side back to
/// back, alternating which goes first, and the reported speedup is the median of the
/// per-round ratios, so a slow minute slows both halves of the ratio together.
public enum ThreadScaling {
  /// Measures `single` against `multi` in alternating rounds.
  ///
  /// Both are warmed up and calibrated (calls per sample so a sample lasts at least
  /// ``BenchmarkSettings/minSampleSeconds``); then `settings.iterations` rounds, stopping
  /// early once either side has spent `settings.timeBudgetSeconds`.
  /// - Parameters:
  ///   - label: the row's label.
  ///   - threads: the multi-thread side's thread count.
  ///   - operations: operations per call for GOP/s columns, or nil.
  ///   - settings: rounds, warm-up and budget.
  ///   - single: one call on one thread.
  ///   - multi: the same call on `threads` threads.
  /// - Returns: the row.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when no round could be timed.
  public static func measure(
    label: String, threads: Int, operations: Double?, settings: BenchmarkSettings,
    single: () -> Void, multi: () -> Void
  ) throws -> ScalingResult {
    try measure(
      label: label, threads: threads, operations: operations, settings: settings, timer: WallTimer(),
      single: single, multi: multi)
  }

  /// The algorithm, with an injectable timer for tests.
  static func measure(
    label: String, threads: Int, operations: Double?, settings: BenchmarkSettings, timer: some BenchmarkTimer,
    single: () -> Void, multi: () -> Void
  ) throws -> ScalingResult {
    let pool = ThreadPool.shared
    let (parallelBefore, serialBefore) = (pool.parallelJobCount, pool.backoffSerialCount)
    var row = try withoutActuallyEscaping(single) { single in
      try withoutActuallyEscaping(multi) { multi in
        try measurePair(label: label, threads: threads, operations: operations, settings: settings, timer: timer, [single, multi])
      }
    }
    row.parallelCalls = pool.parallelJobCount - parallelBefore
    row.backoffSerialCalls = pool.backoffSerialCount - serialBefore
    return row
  }

  private static func measurePair(
    label: String, threads: Int, operations: Double?, settings: BenchmarkSettings, timer: some BenchmarkTimer,
    _ bodies: [() -> Void]
  ) throws -> ScalingResult {
    let calls = bodies.map { BenchmarkHarness.calibrate($0, settings: settings, timer: timer) }
    var perCall: [[Double]] = [[], []]
    var spent = [0.0, 0.0]
    for round in 0..<settings.iterations {
      if round > 0, spent.contains(where: { $0 >= settings.timeBudgetSeconds }) { break }
      for offset in 0..<2 {
        let index = (round + offset) % 2
        let seconds = Swift.max(timer.seconds(calls: calls[index], bodies[index]), 1e-12)
        spent[index] += seconds
        perCall[index].append(seconds / Double(calls[index]))
      }
    }
    let ratios = zip(perCall[0], perCall[1]).map { $0 / $1 }
    let one = try SampleSummary(perCall[0]), many = try SampleSummary(perCall[1]), speedup = try SampleSummary(ratios)
    return ScalingResult(
      label: label, threads: threads, oneThreadMicroseconds: ReportNumber.rounded(one.median * 1e6),
      multiThreadMicroseconds: ReportNumber.rounded(many.median * 1e6), speedup: ReportNumber.rounded(speedup.median),
      speedupMin: ReportNumber.rounded(speedup.min), speedupMax: ReportNumber.rounded(speedup.max),
      rounds: ratios.count, operations: operations)
  }
}

/// The output of `tessera bench scaling`:
/// `{"machine": …, "results": [{"label", "threads", "one_thread_us", "multi_thread_us", "speedup", "speedup_min",
/// "speedup_max", "rounds", "operations", "parallel_calls", "backoff_serial_calls"}]}`.
public struct ScalingReport: TabularReport, Codable, Sendable, Equatable {
  /// Where it ran.
  public var machine: BenchMachine
  /// One row per shape or model.
  public var results: [ScalingResult]

  /// Makes a report.
  /// - Parameters:
  ///   - machine: the machine description.
  ///   - results: the measured rows.
  public init(machine: BenchMachine, results: [ScalingResult]) {
    self.machine = machine
    self.results = results
  }

  /// The rows as a table (`.csv` uses the JSON names and plain numbers).
  /// - Parameter format: `.table` or `.csv`.
  /// - Returns: one row per result.
  public func table(for format: ReportFormat) -> ReportTable {
    let csv = format == .csv
    let titles = csv
      ? ["label", "threads", "one_thread_us", "multi_thread_us", "speedup", "speedup_min", "speedup_max", "rounds", "operations",
        "parallel_calls", "backoff_serial_calls"]
      : ["work", "threads", "1 thread µs", "N threads µs", "1 thread GOP/s", "N threads GOP/s", "speedup", "min–max", "rounds",
        "serial"]
    var table = ReportTable(columns: titles.enumerated().map { .init($1, alignment: $0 == 0 ? .left : .right) })
    for row in results {
      let cells: [String]
      if csv {
        cells = [
          row.label, "\(row.threads)", ReportNumber.csv(row.oneThreadMicroseconds), ReportNumber.csv(row.multiThreadMicroseconds),
          ReportNumber.csv(row.speedup), ReportNumber.csv(row.speedupMin), ReportNumber.csv(row.speedupMax), "\(row.rounds)",
          ReportNumber.csv(row.operations), "\(row.parallelCalls)", "\(row.backoffSerialCalls)",
        ]
      } else {
        cells = [
          row.label, "\(row.threads)", ReportNumber.format(row.oneThreadMicroseconds),
          ReportNumber.format(row.multiThreadMicroseconds), row.oneThreadGOPS.map { ReportNumber.format($0) } ?? "–",
          row.multiThreadGOPS.map { ReportNumber.format($0) } ?? "–", ReportNumber.format(row.speedup, maxDecimals: 2) + "×",
          ReportNumber.format(row.speedupMin, maxDecimals: 2) + "–" + ReportNumber.format(row.speedupMax, maxDecimals: 2),
          "\(row.rounds)", Self.serialShare(row),
        ]
      }
      try? table.append(cells)  // cell count matches by construction
    }
    return table
  }

  /// The share of pool calls run serially during a back-off, e.g. `3 %`, or `–` without pool calls.
  static func serialShare(_ row: ScalingResult) -> String {
    let total = row.parallelCalls + row.backoffSerialCalls
    guard total > 0 else { return "–" }
    return ReportNumber.format(100 * Double(row.backoffSerialCalls) / Double(total), significant: 2, maxDecimals: 1) + " %"
  }

  /// The machine line printed above the table.
  public var title: String? { "CPU: \(machine.cpu) | int8 ISA: \(machine.isa) | BLAS: \(machine.blas)" }

  /// What the numbers mean.
  public var notes: [String] {
    [
      "Each round times one sample on 1 thread and one on N threads back to back (alternating which goes",
      "first); speedup is the median over rounds of the round's 1-thread time over its N-thread time, min–max",
      "their spread. µs columns are medians of the samples' time per call. serial = share of the thread pool's",
      "calls run on one thread because a worker had straggled (another process took its core; ThreadPool docs).",
    ]
  }
}
