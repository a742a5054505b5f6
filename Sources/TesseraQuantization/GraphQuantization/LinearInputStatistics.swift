/// Per-input-channel range of one Linear layer's activations over calibration data: what
/// static activation quantization and SmoothQuant need (docs/quantization.md §14).
public struct LinearInputStatistics: Sendable, Hashable {
  /// Smallest value seen per input channel.
  public private(set) var minimum: [Float]
  /// Largest value seen per input channel.
  public private(set) var maximum: [Float]
  /// Rows (tokens) seen.
  public private(set) var rows: Int = 0

  /// Empty statistics for `channels` input channels.
  /// - Parameter channels: K, the layer's input features (> 0).
  public init(channels: Int) {
    precondition(channels > 0, "LinearInputStatistics: channels must be > 0")
    minimum = [Float](repeating: .infinity, count: channels)
    maximum = [Float](repeating: -.infinity, count: channels)
  }

  /// Input channels.
  public var channels: Int { minimum.count }

  /// Largest magnitude per channel (0 before any row).
  public var maximumMagnitude: [Float] {
    rows == 0 ? [Float](repeating: 0, count: channels) : zip(minimum, maximum).map { Swift.max(-$0, $1) }
  }

  /// Adds rows of `channels` values each.
  /// - Parameter values: `rows · channels` floats, row-major.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the count is not a
  ///   multiple of ``channels``; ``QuantizationError/nonFiniteValue(what:)`` for NaN or infinity.
  public mutating func observe(_ values: UnsafeBufferPointer<Float>, what: String) throws {
    let k = channels
    guard values.count % k == 0 else {
      throw QuantizationError.shapeMismatch(what: what, expected: [values.count / k + 1, k], got: [values.count])
    }
    let count = values.count / k
    try minimum.withUnsafeMutableBufferPointer { lo in
      try maximum.withUnsafeMutableBufferPointer { hi in
        for r in 0..<count {
          let row = r * k
          for c in 0..<k {
            let v = values[row + c]
            guard v.isFinite else { throw QuantizationError.nonFiniteValue(what: what) }
            if v < lo[c] { lo[c] = v }
            if v > hi[c] { hi[c] = v }
          }
        }
      }
    }
    rows += count
  }

  /// Merges statistics gathered elsewhere (another shard of the calibration data).
  /// - Parameter other: statistics with the same ``channels``.
  public mutating func merge(_ other: LinearInputStatistics) {
    precondition(other.channels == channels, "LinearInputStatistics.merge: \(other.channels) vs \(channels) channels")
    for c in 0..<channels {
      minimum[c] = Swift.min(minimum[c], other.minimum[c])
      maximum[c] = Swift.max(maximum[c], other.maximum[c])
    }
    rows += other.rows
  }
}
