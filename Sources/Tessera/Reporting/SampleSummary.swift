/// Order statistics of repeated measurements: the median is the figure to report,
/// min and max show the spread.
///
/// Benchmarks report the median because it ignores the occasional slow run
/// caused by another process, and show [min, max] so a noisy machine is visible.
///
/// For example:
/// ```swift
/// let s = try SampleSummary([3, 1, 2, 10])
/// s.median          // 2.5
/// s.relativeSpread  // (10 − 1) / 2.5 = 3.6
/// ```
public struct SampleSummary: Sendable, Equatable, Codable {
  /// The middle value (mean of the two middle values for an even count).
  public let median: Double
  /// The smallest sample.
  public let min: Double
  /// The largest sample.
  public let max: Double
  /// The arithmetic mean.
  public let mean: Double
  /// How many samples were summarised.
  public let count: Int

  /// Summarises `samples`.
  ///
  /// - Parameter samples: at least one finite value, in any order.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when `samples` is empty or
  ///   holds NaN or an infinity.
  /// - Complexity: O(n log n) for the sort.
  public init(_ samples: [Double]) throws {
    guard !samples.isEmpty else {
      throw TesseraError.invalidArgument("cannot summarise an empty list of samples")
    }
    guard samples.allSatisfy(\.isFinite) else {
      throw TesseraError.invalidArgument("samples must be finite numbers, got \(samples)")
    }
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    min = sorted[0]
    max = sorted[sorted.count - 1]
    mean = sorted.reduce(0, +) / Double(sorted.count)
    count = sorted.count
  }

  /// `(max − min) / median`: 0 for perfectly repeatable runs; 0 when the median is 0.
  public var relativeSpread: Double { median == 0 ? 0 : (max - min) / median }
}
