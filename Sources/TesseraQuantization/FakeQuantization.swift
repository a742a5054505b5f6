/// Fake quantization for quantization-aware training: the forward pass rounds values onto the
/// integer grid and back (`x̂ = s · (clamp(rint(x/s) + z) − z)`), the backward pass is the
/// straight-through estimator — the gradient passes unchanged where `x` fell inside the grid's
/// range and is 0 where it was clipped.
///
/// For example:
/// ```swift
/// var mask = [Bool]()
/// let y = FakeQuantization.forward(x, params, mask: &mask)
/// let dx = FakeQuantization.backward(dy, mask: mask)
/// ```
public enum FakeQuantization {
  /// `x̂ = dequantize(quantize(x))` elementwise; `mask[i]` records whether `x[i]` was inside the
  /// representable range (the STE passes its gradient).
  public static func forward(_ x: [Float], _ params: AffineQuantization, mask: inout [Bool]) -> [Float] {
    let range = params.representableRange
    let lo = range.lowerBound - params.scale / 2, hi = range.upperBound + params.scale / 2
    mask = x.map { $0 >= lo && $0 <= hi }
    return x.map { params.fakeQuantize($0) }
  }

  /// Per-channel symmetric weight fake quantization of a row-major `[channels, K]` matrix; the
  /// mask marks unclipped weights.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the size does not match.
  public static func forward(
    weights: [Float], _ params: ChannelQuantization, mask: inout [Bool]
  ) throws -> [Float] {
    let n = params.channelCount
    guard n > 0, weights.count % n == 0 else {
      throw QuantizationError.shapeMismatch(what: "weights", expected: [n, -1], got: [weights.count])
    }
    let k = weights.count / n
    var out = [Float](repeating: 0, count: weights.count)
    mask = [Bool](repeating: true, count: weights.count)
    for c in 0..<n {
      let s = params.scales[c], limit = (Float(params.grid.qmax) + 0.5) * s
      for j in 0..<k {
        let w = weights[c * k + j]
        out[c * k + j] = params.dequantize(params.quantize(w, channel: c), channel: c)
        mask[c * k + j] = abs(w) <= limit
      }
    }
    return out
  }

  /// Straight-through estimator: `dx[i] = mask[i] ? dy[i] : 0`.
  public static func backward(_ dy: [Float], mask: [Bool]) -> [Float] {
    zip(dy, mask).map { $1 ? $0 : 0 }
  }
}
