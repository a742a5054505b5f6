/// A streaming histogram of magnitudes, split into non-negative values and negative values, over
/// `binCount` equal bins `[0, binWidth · binCount)` that widen (by merging bin pairs) when a
/// larger value arrives. Merging pairs is exact, so the result does not depend on batch order
/// beyond the first batch, which fixes the initial bin width.
///
/// It is the state behind the percentile, entropy and MSE calibration methods.
public struct MagnitudeHistogram: Sendable, Hashable {
  /// Number of bins (2048 by default, as TensorRT's calibrator).
  public let binCount: Int
  /// Width of one bin (0 while only zeros were seen).
  public private(set) var binWidth: Float = 0
  /// Counts of values ≥ 0 per bin.
  public private(set) var positive: [Double]
  /// Counts of −value for values < 0 per bin.
  public private(set) var negative: [Double]
  /// Smallest value seen.
  public private(set) var minimum: Float = .infinity
  /// Largest value seen.
  public private(set) var maximum: Float = -.infinity
  /// Number of values seen.
  public private(set) var count: Int = 0

  /// Makes an empty histogram.
  /// - Parameter binCount: number of bins, rounded up to an even number of at least 16.
  public init(binCount: Int = 2048) {
    self.binCount = Swift.max(binCount + binCount % 2, 16)
    positive = [Double](repeating: 0, count: self.binCount)
    negative = positive
  }

  /// Adds values.
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` when a value is NaN or infinite
  ///   (nothing is added then).
  public mutating func add(_ values: UnsafeBufferPointer<Float>, what: String = "activations") throws {
    var lo = Float.infinity, hi = -Float.infinity
    for v in values {
      guard v.isFinite else { throw QuantizationError.nonFiniteValue(what: what) }
      lo = Swift.min(lo, v)
      hi = Swift.max(hi, v)
    }
    guard !values.isEmpty else { return }
    minimum = Swift.min(minimum, lo)
    maximum = Swift.max(maximum, hi)
    count += values.count
    let largest = Swift.max(-lo, hi)
    if largest > 0 {
      if binWidth == 0 {
        binWidth = largest / Float(binCount)
        if !binWidth.isNormal { binWidth = .leastNormalMagnitude }
      }
      while largest > binWidth * Float(binCount) { widen() }
    }
    let limit = binCount - 1
    let inverse = binWidth > 0 ? 1 / binWidth : 0
    for v in values {
      let bin = Swift.min(Int(abs(v) * inverse), limit)
      if v < 0 { negative[bin] += 1 } else { positive[bin] += 1 }
    }
  }

  /// Adds values from an array.
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` for NaN or infinity.
  public mutating func add(_ values: [Float], what: String = "activations") throws {
    try values.withUnsafeBufferPointer { try add($0, what: what) }
  }

  /// Doubles the bin width, merging bin pairs.
  mutating func widen() {
    for i in 0..<(binCount / 2) {
      positive[i] = positive[2 * i] + positive[2 * i + 1]
      negative[i] = negative[2 * i] + negative[2 * i + 1]
    }
    for i in (binCount / 2)..<binCount {
      positive[i] = 0
      negative[i] = 0
    }
    binWidth *= 2
  }

  /// True when a negative value was seen.
  public var hasNegatives: Bool { minimum < 0 }

  /// The distribution the clip search works on: magnitudes of all values when the data is
  /// signed, the non-negative counts otherwise.
  public var magnitudes: [Double] {
    hasNegatives ? zip(positive, negative).map { $0 + $1 } : positive
  }
}
