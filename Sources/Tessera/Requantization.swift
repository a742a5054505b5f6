import CTesseraKernels

/// The output stage of an int8 GEMM: per-output-channel fp32 scale, output zero point
/// and a fused clamp.
///
/// For accumulator `acc[m][n]` the output is
/// `clamp(roundHalfEven(acc · scales[n]) + outputZeroPoint, min, max)`, where
/// `scales[n] = inputScale · weightScale[n] / outputScale`. A fused ReLU is
/// `min = outputZeroPoint`.
///
/// For example:
/// ```swift
/// let rq = try Requantization(inputScale: 0.02, weightScales: ws, outputScale: 0.05,
///                             outputZeroPoint: -3, min: -3)   // ReLU
/// ```
public struct Requantization: Sendable, Hashable {
  /// Per-output-channel multipliers `s_in · s_w[n] / s_out` (finite and > 0).
  public let scales: [Float]
  /// Zero point added after scaling (in `-128...127`).
  public let outputZeroPoint: Int32
  /// Lower clamp bound of the int8 output.
  public let min: Int8
  /// Upper clamp bound of the int8 output.
  public let max: Int8

  /// Makes an output stage from ready-made per-channel multipliers.
  /// - Parameters:
  ///   - scales: one multiplier per output channel, each finite and > 0.
  ///   - outputZeroPoint: zero point of the int8 output, in `-128...127`.
  ///   - min: lower clamp bound (use `outputZeroPoint` for a fused ReLU).
  ///   - max: upper clamp bound.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` naming the first bad scale (zero,
  ///   negative, NaN or infinite), an out-of-range zero point, `min > max`, or an empty list.
  public init(scales: [Float], outputZeroPoint: Int32 = 0, min: Int8 = .min, max: Int8 = .max) throws {
    guard !scales.isEmpty else {
      throw TesseraError.invalidArgument("Requantization: scales must not be empty")
    }
    if let bad = scales.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
      throw TesseraError.invalidArgument(
        "Requantization: scale[\(bad)] = \(scales[bad]) must be finite and > 0")
    }
    guard (-128...127).contains(outputZeroPoint) else {
      throw TesseraError.invalidArgument(
        "Requantization: output zero point \(outputZeroPoint) is outside -128...127")
    }
    guard min <= max else {
      throw TesseraError.invalidArgument("Requantization: min \(min) is greater than max \(max)")
    }
    self.scales = scales
    self.outputZeroPoint = outputZeroPoint
    self.min = min
    self.max = max
  }

  /// Makes an output stage from quantization scales: `scales[n] = inputScale · weightScales[n] / outputScale`.
  /// - Parameters:
  ///   - inputScale: scale of the int8 activations.
  ///   - weightScales: per-output-channel weight scales.
  ///   - outputScale: scale of the int8 output.
  ///   - outputZeroPoint: zero point of the int8 output, in `-128...127`.
  ///   - min: lower clamp bound.
  ///   - max: upper clamp bound.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when any scale or resulting multiplier is
  ///   not finite and > 0, or the zero point / bounds are invalid.
  public init(
    inputScale: Float, weightScales: [Float], outputScale: Float,
    outputZeroPoint: Int32 = 0, min: Int8 = .min, max: Int8 = .max
  ) throws {
    for (name, value) in [("input scale", inputScale), ("output scale", outputScale)]
    where !(value.isFinite && value > 0) {
      throw TesseraError.invalidArgument("Requantization: \(name) \(value) must be finite and > 0")
    }
    try self.init(
      scales: weightScales.map { inputScale * $0 / outputScale },
      outputZeroPoint: outputZeroPoint, min: min, max: max)
  }

  /// The C parameter block.
  var cParams: tsr_qs8_minmax_params {
    tsr_qs8_minmax_params(output_zero_point: outputZeroPoint, output_min: min, output_max: max)
  }

  /// Requantizes one accumulator with the scalar definition (the C reference requantizer).
  /// - Parameters:
  ///   - accumulator: the int32 sum including bias and zero-point correction.
  ///   - channel: output channel whose scale applies (must be a valid index).
  public func requantize(_ accumulator: Int32, channel: Int) -> Int8 {
    precondition(scales.indices.contains(channel), "channel \(channel) outside 0..<\(scales.count)")
    var params = cParams
    return tsr_qs8_requantize_fp32(accumulator, scales[channel], &params)
  }
}
