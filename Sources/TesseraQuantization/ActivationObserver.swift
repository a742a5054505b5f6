/// Watches the values of one activation tensor during calibration and turns them into int8
/// affine parameters with any ``CalibrationMethod``.
///
/// One pass over the calibration data is enough for all four methods: the observer keeps the
/// running minimum and maximum plus a ``MagnitudeHistogram``.
///
/// For example:
/// ```swift
/// var observer = ActivationObserver(name: "fc1")
/// try observer.observe(batchOutputs)
/// let params = try observer.quantization(CalibrationOptions(method: .entropy))
/// ```
public struct ActivationObserver: Sendable, Hashable {
  /// The tensor's name, used in error messages.
  public let name: String
  /// The accumulated histogram.
  public private(set) var histogram: MagnitudeHistogram

  /// Makes an empty observer.
  /// - Parameters:
  ///   - name: tensor name for messages.
  ///   - bins: histogram bins (2048 by default).
  public init(name: String, bins: Int = 2048) {
    self.name = name
    histogram = MagnitudeHistogram(binCount: bins)
  }

  /// Records a batch of values.
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` when a value is NaN or infinite.
  public mutating func observe(_ values: UnsafeBufferPointer<Float>) throws {
    try histogram.add(values, what: name)
  }

  /// Records a batch of values.
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` when a value is NaN or infinite.
  public mutating func observe(_ values: [Float]) throws {
    try histogram.add(values, what: name)
  }

  /// The clipped real range `[lo, hi]` chosen by `options` for `grid` (asymmetric or symmetric).
  /// - Throws: ``QuantizationError/emptyObserver(what:)`` when nothing was observed.
  public func range(_ options: CalibrationOptions, grid: QuantizationGrid = .activations,
                    symmetric: Bool = false) throws -> (lo: Float, hi: Float) {
    guard histogram.count > 0 else { throw QuantizationError.emptyObserver(what: name) }
    let steps: Double
    if symmetric {
      steps = Double(grid.qmax)
    } else {
      steps = histogram.hasNegatives ? Double(grid.steps) / 2 : Double(grid.steps)
    }
    let t = try histogram.clipThreshold(options, steps: steps, what: name)
    return (Swift.max(histogram.minimum, -t), Swift.min(histogram.maximum, t))
  }

  /// Affine parameters for `grid` chosen by `options`.
  /// - Throws: ``QuantizationError/emptyObserver(what:)`` when nothing was observed.
  public func quantization(_ options: CalibrationOptions, grid: QuantizationGrid = .activations,
                           symmetric: Bool = false) throws -> AffineQuantization {
    let (lo, hi) = try range(options, grid: grid, symmetric: symmetric)
    return try AffineQuantization(min: lo, max: hi, grid: grid, symmetric: symmetric, what: name)
  }
}
