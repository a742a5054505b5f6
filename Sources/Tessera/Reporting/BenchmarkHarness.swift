import Foundation

/// How long and how often to time one implementation on one shape.
///
/// A *sample* is `callsPerSample` back-to-back calls timed together; small shapes
/// repeat the call so each sample lasts at least ``minSampleSeconds`` and the
/// clock's resolution does not matter. Sampling stops at ``iterations`` samples or
/// when the timed total passes ``timeBudgetSeconds`` (at least one sample is always
/// taken), so a slow path such as the scalar kernel at 1024³ cannot stall a run.
public struct BenchmarkSettings: Sendable, Equatable {
  /// Timed samples wanted (the median of these is reported).
  public var iterations: Int
  /// Untimed calls before timing (also bounded by a quarter of the budget).
  public var warmup: Int
  /// Shortest sample; calls per sample are chosen to reach it.
  public var minSampleSeconds: Double
  /// Upper bound on the timed total for one measurement.
  public var timeBudgetSeconds: Double

  /// Makes settings.
  ///
  /// - Parameters:
  ///   - iterations: timed samples, at least 1.
  ///   - warmup: untimed calls, 0 or more.
  ///   - minSampleSeconds: shortest sample, > 0.
  ///   - timeBudgetSeconds: budget per measurement, > 0.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` naming the first out-of-range setting.
  public init(iterations: Int = 10, warmup: Int = 2, minSampleSeconds: Double = 0.005, timeBudgetSeconds: Double = 2) throws {
    guard iterations >= 1 else { throw TesseraError.invalidArgument("--iterations must be at least 1, got \(iterations)") }
    guard warmup >= 0 else { throw TesseraError.invalidArgument("--warmup must be 0 or more, got \(warmup)") }
    guard minSampleSeconds > 0, minSampleSeconds.isFinite else {
      throw TesseraError.invalidArgument("minimum sample time must be positive, got \(minSampleSeconds)")
    }
    guard timeBudgetSeconds > 0, timeBudgetSeconds.isFinite else {
      throw TesseraError.invalidArgument("--time-budget must be positive seconds, got \(timeBudgetSeconds)")
    }
    self.iterations = iterations
    self.warmup = warmup
    self.minSampleSeconds = minSampleSeconds
    self.timeBudgetSeconds = timeBudgetSeconds
  }
}

/// The result of timing one implementation: GOP/s per sample, summarised.
public struct BenchmarkMeasurement: Sendable, Equatable {
  /// GOP/s of each sample, summarised (median, min, max).
  public var gops: SampleSummary
  /// Timed samples taken.
  public var samples: Int
  /// Calls per sample.
  public var callsPerSample: Int
  /// True when the budget stopped sampling before `iterations`.
  public var budgetCapped: Bool

  /// Makes a measurement from its parts.
  /// - Parameters:
  ///   - gops: the per-sample GOP/s summary.
  ///   - samples: samples taken.
  ///   - callsPerSample: calls per sample.
  ///   - budgetCapped: whether the budget cut sampling short.
  public init(gops: SampleSummary, samples: Int, callsPerSample: Int, budgetCapped: Bool) {
    self.gops = gops
    self.samples = samples
    self.callsPerSample = callsPerSample
    self.budgetCapped = budgetCapped
  }
}

/// Times closures the same way for every implementation, so rows are comparable.
///
/// Several implementations of one case are measured *interleaved*: each round takes one
/// sample of every implementation in turn (rotating who goes first), so on a machine
/// shared with other jobs every implementation sees the same background load and their
/// ratios stay meaningful even when absolute figures move.
public enum BenchmarkHarness {
  /// Warms up, calibrates calls per sample, then times samples within the budget.
  ///
  /// - Parameters:
  ///   - operationCount: arithmetic operations per call (``GEMMShape/operationCount``).
  ///   - settings: iterations, warm-up and budget.
  ///   - body: one call of the operation being measured.
  /// - Returns: GOP/s per sample, summarised.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when `operationCount` is not positive.
  public static func measure(
    operationCount: Double, settings: BenchmarkSettings, _ body: () -> Void
  ) throws -> BenchmarkMeasurement {
    try withoutActuallyEscaping(body) { body in
      try measureInterleaved(operationCount: operationCount, settings: settings, timer: WallTimer(), [body])[0]
    }
  }

  /// Measures several implementations of the same work in interleaved rounds.
  ///
  /// Each body is warmed up and calibrated on its own (calls per sample so a sample lasts
  /// at least ``BenchmarkSettings/minSampleSeconds``); then each round times one sample of
  /// every body that has samples left and budget left.
  ///
  /// - Parameters:
  ///   - operationCount: arithmetic operations per call, the same for every body.
  ///   - settings: iterations, warm-up and the per-body time budget.
  ///   - pauseSeconds: idle time before each body's warm-up and, with several bodies, before
  ///     each sample (not timed).
  ///     Multi-threaded libraries keep their workers spinning for a while after a call;
  ///     a pause lets them go to sleep so they do not steal cores from the next body.
  ///   - bodies: one call of each implementation.
  /// - Returns: one measurement per body, in order.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when `operationCount` is not positive.
  public static func measureInterleaved(
    operationCount: Double, settings: BenchmarkSettings, pauseSeconds: Double = 0, _ bodies: [() -> Void]
  ) throws -> [BenchmarkMeasurement] {
    try measureInterleaved(
      operationCount: operationCount, settings: settings, pauseSeconds: pauseSeconds, timer: WallTimer(), bodies)
  }

  /// The algorithm, with an injectable timer for tests.
  static func measureInterleaved(
    operationCount: Double, settings: BenchmarkSettings, pauseSeconds: Double = 0, timer: some BenchmarkTimer,
    _ bodies: [() -> Void]
  ) throws -> [BenchmarkMeasurement] {
    guard operationCount > 0, operationCount.isFinite else {
      throw TesseraError.invalidArgument("operation count must be positive, got \(operationCount)")
    }
    let calls = bodies.map { body in
      if pauseSeconds > 0 { timer.pause(seconds: pauseSeconds) }
      return calibrate(body, settings: settings, timer: timer)
    }
    var rates = [[Double]](repeating: [], count: bodies.count)
    var spent = [Double](repeating: 0, count: bodies.count)
    for round in 0..<settings.iterations {
      for offset in bodies.indices {
        let index = (round + offset) % bodies.count
        if !rates[index].isEmpty, spent[index] >= settings.timeBudgetSeconds { continue }
        if pauseSeconds > 0, bodies.count > 1 { timer.pause(seconds: pauseSeconds) }
        let seconds = Swift.max(timer.seconds(calls: calls[index], bodies[index]), 1e-12)
        spent[index] += seconds
        rates[index].append(operationCount * Double(calls[index]) / seconds / 1e9)
      }
    }
    return try bodies.indices.map { index in
      BenchmarkMeasurement(
        gops: try SampleSummary(rates[index]), samples: rates[index].count, callsPerSample: calls[index],
        budgetCapped: rates[index].count < settings.iterations)
    }
  }

  /// Warm-up (at least one call, at most `warmup` calls or a quarter of the budget), then
  /// the calls per sample that make a sample last `minSampleSeconds`.
  static func calibrate(_ body: () -> Void, settings: BenchmarkSettings, timer: some BenchmarkTimer) -> Int {
    var lastCall = timer.seconds(calls: 1, body)
    var warmupSpent = lastCall
    var warmupCalls = 1
    while warmupCalls < settings.warmup, warmupSpent < settings.timeBudgetSeconds / 4 {
      lastCall = timer.seconds(calls: 1, body)
      warmupSpent += lastCall
      warmupCalls += 1
    }
    let wanted = (settings.minSampleSeconds / Swift.max(lastCall, 1e-9)).rounded(.up)
    return Int(Swift.min(Swift.max(wanted, 1), 1e9))
  }
}

/// Times `calls` back-to-back invocations of a closure (a protocol so tests can fake time).
protocol BenchmarkTimer {
  /// Seconds that `calls` invocations of `body` take.
  func seconds(calls: Int, _ body: () -> Void) -> Double
  /// Idles for `seconds` (untimed).
  func pause(seconds: Double)
}

extension BenchmarkTimer {
  /// Sleeps the calling thread.
  func pause(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
}

/// The real timer: the continuous (monotonic) clock.
struct WallTimer: BenchmarkTimer {
  func seconds(calls: Int, _ body: () -> Void) -> Double {
    let elapsed = ContinuousClock().measure {
      for _ in 0..<calls { body() }
    }
    let parts = elapsed.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
  }
}
