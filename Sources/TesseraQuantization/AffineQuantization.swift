/// Per-tensor affine quantization `real = scale × (q − zeroPoint)` on a ``QuantizationGrid``.
///
/// The zero point is an integer on the grid, so real 0 is represented exactly (zero padding and
/// ReLU stay exact). Quantizing rounds half to even: `q = clamp(rint(x / scale) + zeroPoint)`.
///
/// For example:
/// ```swift
/// let p = try AffineQuantization(min: 0, max: 1, grid: .activations)   // scale 1/255, zp −128
/// p.quantize(0.5)          // 0  (127.5 rounds to the even 128, minus 128)
/// p.dequantize(-128)       // 0.0
/// ```
public struct AffineQuantization: Sendable, Hashable, Codable {
  /// Real value of one integer step (positive, finite).
  public let scale: Float
  /// The integer code of real 0 (0 for symmetric schemes).
  public let zeroPoint: Int32
  /// The integer grid.
  public let grid: QuantizationGrid

  /// Makes parameters from an explicit scale and zero point, validating both.
  /// - Throws: ``QuantizationError/invalidScale(what:value:)`` when `scale` is not positive and
  ///   finite, ``QuantizationError/invalidZeroPoint(what:value:range:)`` when `zeroPoint` is off the grid.
  public init(scale: Float, zeroPoint: Int32, grid: QuantizationGrid, what: String = "tensor") throws {
    guard scale.isFinite, scale > 0 else { throw QuantizationError.invalidScale(what: what, value: scale) }
    guard zeroPoint >= grid.qmin, zeroPoint <= grid.qmax else {
      throw QuantizationError.invalidZeroPoint(what: what, value: zeroPoint, range: grid.qmin...grid.qmax)
    }
    self.scale = scale
    self.zeroPoint = zeroPoint
    self.grid = grid
  }

  /// Chooses scale and zero point so `[min, max]` (widened to contain 0) maps onto the grid.
  ///
  /// Asymmetric: `scale = (max − min) / (qmax − qmin)`, `zeroPoint = clamp(rint(qmin − min / scale))`.
  /// Symmetric: `zeroPoint = 0`, `scale = max(|min|, |max|) / qmax`. A range of width 0 (all
  /// values 0) gets scale 1, which represents 0 exactly.
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` when a bound is NaN or infinite,
  ///   ``QuantizationError/invalidArgument(_:)`` when `min > max`.
  public init(min: Float, max: Float, grid: QuantizationGrid, symmetric: Bool = false,
              what: String = "tensor") throws {
    guard min.isFinite, max.isFinite else { throw QuantizationError.nonFiniteValue(what: what) }
    guard min <= max else {
      throw QuantizationError.invalidArgument("\(what): range minimum \(min) exceeds maximum \(max)")
    }
    let lo = Swift.min(min, 0), hi = Swift.max(max, 0)
    if symmetric {
      let bound = Swift.max(-lo, hi)
      let positiveSteps = Float(Swift.min(grid.qmax, -grid.qmin))
      let scale = bound > 0 ? bound / positiveSteps : 1
      try self.init(scale: scale.isNormal ? scale : 1, zeroPoint: 0, grid: grid, what: what)
      return
    }
    var scale = (hi - lo) / Float(grid.steps)
    if !(scale.isNormal && scale > 0) { scale = hi - lo > 0 ? Float.leastNormalMagnitude : 1 }
    let zp = (Float(grid.qmin) - lo / scale).rounded(.toNearestOrEven)
    let clamped = Int32(Swift.max(Float(grid.qmin), Swift.min(Float(grid.qmax), zp)))
    try self.init(scale: scale, zeroPoint: clamped, grid: grid, what: what)
  }

  /// Real values exactly representable: `scale × (qmin − zp) ... scale × (qmax − zp)`.
  public var representableRange: ClosedRange<Float> {
    dequantize(grid.qmin)...dequantize(grid.qmax)
  }

  /// `clamp(rint(x / scale) + zeroPoint, qmin, qmax)`, rounding half to even. NaN maps to the zero point.
  @inlinable
  public func quantize(_ x: Float) -> Int32 {
    let v = (x / scale).rounded(.toNearestOrEven)
    guard !v.isNaN else { return zeroPoint }
    let shifted = Swift.max(Float(grid.qmin - zeroPoint), Swift.min(Float(grid.qmax - zeroPoint), v))
    return Int32(shifted) + zeroPoint
  }

  /// `scale × (q − zeroPoint)`.
  @inlinable
  public func dequantize(_ q: Int32) -> Float { scale * Float(q - zeroPoint) }

  /// `dequantize(quantize(x))`: the value the integer grid actually stores for `x`.
  @inlinable
  public func fakeQuantize(_ x: Float) -> Float { dequantize(quantize(x)) }

  /// Quantizes every element into `Int8` codes (the grid must fit 8 bits, which every grid does).
  public func quantize(_ values: [Float]) -> [Int8] { values.map { Int8(quantize($0)) } }

  /// Dequantizes `Int8` codes.
  public func dequantize(_ codes: [Int8]) -> [Float] { codes.map { dequantize(Int32($0)) } }
}
