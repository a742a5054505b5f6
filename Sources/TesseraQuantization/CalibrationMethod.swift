/// How a calibration observer turns the values it saw into a clipping range.
///
/// - `minmax`: the observed minimum and maximum (no clipping).
/// - `percentile`: clip magnitudes at a percentile (99.99 by default) of the observed distribution.
/// - `entropy`: the threshold whose quantized distribution is closest to the observed one in
///   Kullback–Leibler divergence (TensorRT's entropy calibrator).
/// - `mse`: the threshold minimising the expected squared quantization + clipping error.
public enum CalibrationMethod: String, CaseIterable, Sendable, Hashable, Codable {
  /// Observed minimum and maximum.
  case minmax
  /// Percentile of magnitudes.
  case percentile
  /// Minimum KL divergence.
  case entropy
  /// Minimum mean squared error.
  case mse
}

/// Options of a calibration method.
public struct CalibrationOptions: Sendable, Hashable, Codable {
  /// The method.
  public var method: CalibrationMethod
  /// Percentile in (0, 100] for ``CalibrationMethod/percentile``.
  public var percentile: Double
  /// Histogram bins (2048, as TensorRT).
  public var bins: Int

  /// Makes options.
  /// - Parameters:
  ///   - method: the calibration method.
  ///   - percentile: percentile for the `percentile` method (default 99.99).
  ///   - bins: histogram resolution (default 2048).
  public init(method: CalibrationMethod = .minmax, percentile: Double = 99.99, bins: Int = 2048) {
    self.method = method
    self.percentile = percentile
    self.bins = bins
  }
}
