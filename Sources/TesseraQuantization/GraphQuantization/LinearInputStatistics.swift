import Tessera

/// Per-input-channel range of one Linear layer's activations over calibration data, and a
/// uniform random sample of the rows (reservoir sampling, fixed seed): what static activation
/// quantization and SmoothQuant need (docs/quantization.md §14).
public struct LinearInputStatistics: Sendable, Hashable {
  /// Smallest value seen per input channel.
  public private(set) var minimum: [Float]
  /// Largest value seen per input channel.
  public private(set) var maximum: [Float]
  /// Rows (tokens) seen.
  public private(set) var rows: Int = 0
  /// Up to ``sampleCapacity`` of the rows seen, row-major (`sampledRows · channels` floats),
  /// each row seen equally likely to be kept.
  public private(set) var sample: [Float] = []
  /// The most rows ``sample`` keeps.
  public let sampleCapacity: Int
  /// The reservoir's random choices.
  private var generator = SplitMix64(seed: 0x5EED)

  /// Empty statistics for `channels` input channels.
  /// - Parameters:
  ///   - channels: K, the layer's input features (> 0).
  ///   - sampleCapacity: rows to keep for choosing SmoothQuant's strength per layer (0 keeps none).
  public init(channels: Int, sampleCapacity: Int = 512) {
    precondition(channels > 0, "LinearInputStatistics: channels must be > 0")
    precondition(sampleCapacity >= 0, "LinearInputStatistics: negative sample capacity")
    minimum = [Float](repeating: .infinity, count: channels)
    maximum = [Float](repeating: -.infinity, count: channels)
    self.sampleCapacity = sampleCapacity
  }

  /// Rows held in ``sample``.
  public var sampledRows: Int { sample.count / channels }

  /// Input channels.
  public var channels: Int { minimum.count }

  /// Largest magnitude per channel (0 before any row).
  public var maximumMagnitude: [Float] {
    rows == 0 ? [Float](repeating: 0, count: channels) : zip(minimum, maximum).map { Swift.max(-$0, $1) }
  }

  /// Adds rows of `channels` values each.
  /// - Parameters:
  ///   - values: `rows · channels` floats, row-major.
  ///   - what: the tensor's name for error messages.
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
    for r in 0..<count {
      let seen = rows + r
      if seen < sampleCapacity {
        sample.append(contentsOf: values[(r * k)..<((r + 1) * k)])
      } else if sampleCapacity > 0 {
        let slot = Int(generator.nextInt(below: UInt64(seen + 1)))
        if slot < sampleCapacity {
          for c in 0..<k { sample[slot * k + c] = values[r * k + c] }
        }
      }
    }
    rows += count
  }

  /// Merges statistics gathered elsewhere (another shard of the calibration data); the sample
  /// keeps this one's rows first, then the other's, up to ``sampleCapacity``.
  /// - Parameter other: statistics with the same ``channels``.
  public mutating func merge(_ other: LinearInputStatistics) {
    precondition(other.channels == channels, "LinearInputStatistics.merge: \(other.channels) vs \(channels) channels")
    for c in 0..<channels {
      minimum[c] = Swift.min(minimum[c], other.minimum[c])
      maximum[c] = Swift.max(maximum[c], other.maximum[c])
    }
    let room = Swift.max(0, sampleCapacity - sampledRows)
    sample.append(contentsOf: other.sample.prefix(Swift.min(room, other.sampledRows) * channels))
    rows += other.rows
  }
}
