import CTesseraKernels

/// Calibrated (static) quantization of a Linear layer's input activations: one uint8 scale and
/// zero point for every row, fixed ahead of time, and optional per-input-channel multipliers
/// (SmoothQuant's `1 / s_k`, with the weights' columns multiplied by `s_k` to compensate).
///
/// A ``DynamicQuantizedLinear`` given one skips the per-row min/max pass and quantizes
///
/// ```
/// q[m][k] = clamp(rint(x[m][k] · c_k · (1 / scale)) + zeroPoint, 0, 255)
/// ```
///
/// (`c_k` = the multiplier, 1 without smoothing; values outside the calibrated range saturate),
/// then runs the same GEMM and epilogue (docs/quantization.md, "Static activation quantization").
public struct StaticActivationQuantization: Sendable, Hashable {
  /// The activation scale (> 0).
  public let scale: Float
  /// The uint8 code of 0 (0…255).
  public let zeroPoint: Int32
  /// Per-input-channel multipliers applied before quantization, or nil.
  public let multipliers: [Float]?

  /// Parameters covering a calibrated range `[minimum, maximum]` (widened to contain 0, as
  /// dynamic rows are).
  /// - Parameters:
  ///   - minimum: the smallest calibrated (smoothed) activation.
  ///   - maximum: the largest.
  ///   - multipliers: per-input-channel multipliers (finite, > 0), or nil.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` for a non-finite range or a bad multiplier.
  public init(minimum: Float, maximum: Float, multipliers: [Float]? = nil) throws {
    guard minimum.isFinite, maximum.isFinite, minimum <= maximum else {
      throw TesseraError.invalidArgument("static activation range [\(minimum), \(maximum)] must be finite and ordered")
    }
    let p = tsr_qd8_row_params(minimum, maximum)
    try self.init(scale: p.scale, zeroPoint: p.zero_point, multipliers: multipliers)
  }

  /// Parameters from a stored scale and zero point.
  /// - Parameters:
  ///   - scale: the activation scale (finite, > 0).
  ///   - zeroPoint: 0…255.
  ///   - multipliers: per-input-channel multipliers (finite, > 0), or nil.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` for values out of range.
  public init(scale: Float, zeroPoint: Int32, multipliers: [Float]? = nil) throws {
    guard scale.isFinite, scale > 0, (0...255).contains(zeroPoint) else {
      throw TesseraError.invalidArgument("static activation scale \(scale) / zero point \(zeroPoint) out of range")
    }
    if let multipliers, !multipliers.allSatisfy({ $0.isFinite && $0 > 0 }) {
      throw TesseraError.invalidArgument("SmoothQuant multipliers must be finite and positive")
    }
    self.scale = scale
    self.zeroPoint = zeroPoint
    self.multipliers = multipliers
  }

  /// The kernel-side parameters.
  var params: tsr_qd8_params { tsr_qd8_params(zero_point: zeroPoint, scale: scale, inv_scale: 1 / scale) }
}
