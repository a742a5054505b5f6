/// Per-channel symmetric quantization of a weight matrix `W[N][K]`: one scale per output channel
/// (row), zero point 0, restricted grid ±qmax. With one channel it is per-tensor quantization.
///
/// For example:
/// ```swift
/// let q = try ChannelQuantization(scales: [0.1, 0.2], grid: .weights(bits: 8))
/// q.quantize(0.25, channel: 1)   // 1  (1.25 rounds to 1)
/// ```
public struct ChannelQuantization: Sendable, Hashable, Codable {
  /// One positive finite scale per channel.
  public let scales: [Float]
  /// The symmetric integer grid.
  public let grid: QuantizationGrid

  /// Makes per-channel parameters.
  /// - Throws: ``QuantizationError/invalidScale(what:value:)`` for a non-positive or non-finite scale.
  public init(scales: [Float], grid: QuantizationGrid, what: String = "weights") throws {
    for (channel, s) in scales.enumerated() where !(s.isFinite && s > 0) {
      throw QuantizationError.invalidScale(what: "\(what) channel \(channel)", value: s)
    }
    self.scales = scales
    self.grid = grid
  }

  /// Symmetric scales from per-channel clipping thresholds `T_n`: `scale_n = T_n / qmax` (1 when `T_n` is 0).
  /// - Throws: ``QuantizationError/nonFiniteValue(what:)`` for a NaN or infinite threshold.
  public init(thresholds: [Float], grid: QuantizationGrid, what: String = "weights") throws {
    var scales = [Float]()
    scales.reserveCapacity(thresholds.count)
    for t in thresholds {
      guard t.isFinite else { throw QuantizationError.nonFiniteValue(what: what) }
      let s = abs(t) / Float(grid.qmax)
      scales.append(s.isNormal ? s : 1)
    }
    try self.init(scales: scales, grid: grid, what: what)
  }

  /// Number of channels.
  public var channelCount: Int { scales.count }

  /// `clamp(rint(w / scale_n), −qmax, qmax)`.
  @inlinable
  public func quantize(_ w: Float, channel: Int) -> Int32 {
    let v = (w / scales[channel]).rounded(.toNearestOrEven)
    guard !v.isNaN else { return 0 }
    return Int32(Swift.max(Float(grid.qmin), Swift.min(Float(grid.qmax), v)))
  }

  /// `scale_n × q`.
  @inlinable
  public func dequantize(_ q: Int32, channel: Int) -> Float { scales[channel] * Float(q) }

  /// Quantizes a row-major `[channels, k]` matrix to `Int8` codes.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the size is not channels × k.
  public func quantize(matrix: [Float], columns k: Int) throws -> [Int8] {
    guard matrix.count == channelCount * k else {
      throw QuantizationError.shapeMismatch(
        what: "weights", expected: [channelCount, k], got: [matrix.count])
    }
    var out = [Int8](repeating: 0, count: matrix.count)
    for n in 0..<channelCount {
      for j in 0..<k { out[n * k + j] = Int8(quantize(matrix[n * k + j], channel: n)) }
    }
    return out
  }

  /// Dequantizes a row-major `[channels, k]` matrix of codes.
  public func dequantize(matrix: [Int8], columns k: Int) -> [Float] {
    var out = [Float](repeating: 0, count: matrix.count)
    for n in 0..<channelCount {
      for j in 0..<k { out[n * k + j] = scales[n] * Float(matrix[n * k + j]) }
    }
    return out
  }
}
