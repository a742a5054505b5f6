/// Measured throughput of one layer run on the host with a mapping's tiling.
public struct HostMeasurement: Sendable, Equatable {
  /// GOP/s of the fastest timed run (2 operations per MAC).
  public var gops: Double
  /// Seconds of the fastest run.
  public var seconds: Double
  /// Bytes moved into each level per run, counted by the executor exactly as the model
  /// defines them (index = level; DRAM first).
  public var levelBytes: [Double]
  /// Timed runs.
  public var runs: Int

  /// Makes a measurement.
  /// - Parameters:
  ///   - gops: best GOP/s.
  ///   - seconds: best seconds.
  ///   - levelBytes: bytes per level.
  ///   - runs: timed runs.
  public init(gops: Double, seconds: Double, levelBytes: [Double], runs: Int) {
    self.gops = gops
    self.seconds = seconds
    self.levelBytes = levelBytes
    self.runs = runs
  }
}

/// Predicted against measured throughput over a set of tilings (`--sweep --measure`).
public struct SweepResult: Sendable, Encodable, Equatable {
  /// One tiling.
  public struct Entry: Sendable, Encodable, Equatable {
    /// The mapping, one line.
    public var mapping: String
    /// Modeled GOP/s (2·MACs / modeled seconds).
    public var predictedGOPS: Double
    /// Measured GOP/s (best of the interleaved runs).
    public var measuredGOPS: Double
    /// Rank by prediction (1 = fastest).
    public var predictedRank: Double
    /// Rank by measurement (1 = fastest).
    public var measuredRank: Double
    /// True for the mapper's choice.
    public var chosen: Bool

    enum CodingKeys: String, CodingKey {
      case mapping, chosen
      case predictedGOPS = "predicted_gops"
      case measuredGOPS = "measured_gops"
      case predictedRank = "predicted_rank"
      case measuredRank = "measured_rank"
    }
  }

  /// The tilings.
  public var entries: [Entry]
  /// Spearman's rank correlation of predicted against measured GOP/s.
  public var spearman: Double
  /// Measured GOP/s of the mapper's choice over the best measured tiling's.
  public var chosenVsBest: Double

  enum CodingKeys: String, CodingKey {
    case entries, spearman
    case chosenVsBest = "chosen_vs_best"
  }

  /// Builds the result, ranking both columns (ties share the mean rank).
  /// - Parameters:
  ///   - mappings: one line per tiling.
  ///   - predicted: modeled GOP/s.
  ///   - measured: measured GOP/s.
  ///   - chosenIndex: which entry the mapper chose.
  public init(mappings: [String], predicted: [Double], measured: [Double], chosenIndex: Int) {
    let p = RankCorrelation.ranks(predicted.map { -$0 }), m = RankCorrelation.ranks(measured.map { -$0 })
    entries = mappings.indices.map {
      Entry(mapping: mappings[$0], predictedGOPS: predicted[$0], measuredGOPS: measured[$0],
        predictedRank: p[$0], measuredRank: m[$0], chosen: $0 == chosenIndex)
    }
    spearman = RankCorrelation.spearman(predicted, measured)
    let best = measured.max() ?? 0
    chosenVsBest = best > 0 ? measured[chosenIndex] / best : 0
  }
}

/// Rank statistics.
public enum RankCorrelation {
  /// Ranks starting at 1 in ascending order; ties get the mean of their ranks.
  /// - Parameter values: the values.
  public static func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
      let mean = Double(i + j) / 2 + 1
      for k in i...j { ranks[order[k]] = mean }
      i = j + 1
    }
    return ranks
  }

  /// Spearman's ρ: Pearson correlation of the ranks (NaN for fewer than 2 values or constant input).
  /// - Parameters:
  ///   - a: first sample.
  ///   - b: second sample, same length.
  public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count, a.count >= 2 else { return .nan }
    let ra = ranks(a), rb = ranks(b)
    let n = Double(a.count)
    let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
    var cov = 0.0, va = 0.0, vb = 0.0
    for i in ra.indices {
      cov += (ra[i] - ma) * (rb[i] - mb)
      va += (ra[i] - ma) * (ra[i] - ma)
      vb += (rb[i] - mb) * (rb[i] - mb)
    }
    return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : .nan
  }
}
