/// How weight scales are chosen: the largest magnitude (`minmax`), a search for the clipping
/// ratio with the smallest squared error on the actual weights (`mse`), or the histogram
/// methods shared with activations (`percentile`, `entropy`).
public enum WeightCalibration: String, CaseIterable, Sendable, Hashable, Codable {
  /// Largest magnitude per channel.
  case minmax
  /// Exact squared-error search over clipping ratios 0.2…1.0 of the largest magnitude.
  case mse
  /// Magnitude percentile (see ``CalibrationOptions/percentile``).
  case percentile
  /// KL-divergence threshold.
  case entropy

  /// The default for a bit width: `minmax` at 8 bits, `mse` below (clipping matters at low bits).
  public static func defaultMethod(bits: Int) -> WeightCalibration { bits >= 8 ? .minmax : .mse }
}

/// Chooses symmetric scales for a weight matrix `W[N][K]` (row-major, row n = output channel n),
/// per channel or per tensor, on the restricted grid of `bits` bits.
///
/// For example:
/// ```swift
/// let q = try WeightObserver.quantization(weights: w, channels: 120, bits: 4, perChannel: true, method: .mse)
/// let codes = try q.quantize(matrix: w, columns: w.count / 120)
/// ```
public enum WeightObserver {
  /// Per-channel (or per-tensor, replicated over channels) quantization of `weights`.
  /// - Parameters:
  ///   - weights: row-major `[channels, K]` values.
  ///   - channels: number of output channels N.
  ///   - bits: 2…8.
  ///   - perChannel: one scale per row (true) or one for the whole tensor (false).
  ///   - method: how to choose each clipping threshold.
  ///   - percentile: for ``WeightCalibration/percentile``.
  ///   - name: tensor name for messages.
  /// - Throws: ``QuantizationError/unsupportedBitWidth(what:bits:)``,
  ///   ``QuantizationError/nonFiniteValue(what:)`` for NaN/inf weights,
  ///   ``QuantizationError/shapeMismatch(what:expected:got:)`` when the count is not a multiple of `channels`.
  public static func quantization(
    weights: [Float], channels: Int, bits: Int, perChannel: Bool,
    method: WeightCalibration, percentile: Double = 99.99, name: String = "weights"
  ) throws -> ChannelQuantization {
    let grid = try QuantizationGrid.weights(bits: bits)
    guard channels > 0, weights.count % channels == 0, !weights.isEmpty else {
      throw QuantizationError.shapeMismatch(what: name, expected: [channels, -1], got: [weights.count])
    }
    guard weights.allSatisfy({ $0.isFinite }) else { throw QuantizationError.nonFiniteValue(what: name) }
    let k = weights.count / channels
    var thresholds = [Float]()
    if perChannel {
      for n in 0..<channels {
        thresholds.append(try threshold(
          weights[(n * k)..<((n + 1) * k)], grid: grid, method: method, percentile: percentile, name: name))
      }
    } else {
      let t = try threshold(weights[...], grid: grid, method: method, percentile: percentile, name: name)
      thresholds = [Float](repeating: t, count: channels)
    }
    return try ChannelQuantization(thresholds: thresholds, grid: grid, what: name)
  }

  /// The clipping threshold of one group of weights.
  static func threshold(
    _ values: ArraySlice<Float>, grid: QuantizationGrid, method: WeightCalibration,
    percentile: Double, name: String
  ) throws -> Float {
    let largest = values.reduce(Float(0)) { Swift.max($0, abs($1)) }
    guard largest > 0 else { return 0 }
    switch method {
    case .minmax:
      return largest
    case .mse:
      return mseThreshold(values, largest: largest, qmax: Float(grid.qmax))
    case .percentile, .entropy:
      var h = MagnitudeHistogram()
      try h.add(Array(values), what: name)
      let options = CalibrationOptions(method: method == .percentile ? .percentile : .entropy, percentile: percentile)
      return try h.clipThreshold(options, steps: Double(grid.qmax), what: name)
    }
  }

  /// The ratio r ∈ {0.20, 0.21, …, 1.00} of `largest` minimising Σ (w − Q_r(w))².
  static func mseThreshold(_ values: ArraySlice<Float>, largest: Float, qmax: Float) -> Float {
    var best = largest, bestError = Double.infinity
    for step in stride(from: 100, through: 20, by: -1) {
      let t = largest * Float(step) / 100
      let s = t / qmax
      guard s.isNormal else { continue }
      var error = 0.0
      for w in values {
        let q = Swift.max(-qmax, Swift.min(qmax, (w / s).rounded(.toNearestOrEven)))
        let d = Double(w - q * s)
        error += d * d
      }
      if error < bestError {
        bestError = error
        best = t
      }
    }
    return best
  }
}
