import Foundation

/// How an axis maps values to positions.
public enum AxisScale: String, Sendable {
  /// Equal distances for equal differences; "nice" 1-2-5 ticks.
  case linear
  /// Equal distances for equal ratios; ticks at decades. Only positive values can be shown:
  /// charts skip a point with a value ≤ 0 on a log axis and count it in their note.
  case log

  /// Whether `value` can be placed on this scale (finite, and positive on a log scale).
  /// - Parameter value: the value.
  /// - Returns: `true` when it can be drawn.
  public func accepts(_ value: Double) -> Bool {
    value.isFinite && (self == .linear || value > 0)
  }
}

/// An axis's domain and its tick values.
public struct AxisTicks: Sendable, Equatable {
  /// The values at the axis's two ends.
  public var lower: Double
  /// The value at the axis's far end.
  public var upper: Double
  /// Tick values, ascending, inside [lower, upper].
  public var values: [Double]
  /// The scale.
  public var scale: AxisScale

  /// "Nice" linear ticks: a step of 1, 2 or 5 × 10ⁿ giving about `count` intervals, and a domain
  /// widened to whole steps. An empty or single-valued range is widened around its value.
  /// - Parameters:
  ///   - lower: smallest data value.
  ///   - upper: largest data value.
  ///   - count: wanted number of intervals (≥ 1).
  ///   - integer: the values are whole numbers (epochs, counts): steps of at least 1.
  /// - Returns: the ticks.
  public static func linear(lower: Double, upper: Double, count: Int = 5, integer: Bool = false) -> AxisTicks {
    var lo = lower.isFinite ? lower : 0, hi = upper.isFinite ? upper : 1
    if lo > hi { swap(&lo, &hi) }
    if hi - lo <= abs(hi) * 1e-12 {
      if lo == 0 {
        hi = 1  // nothing but zeros: show 0…1
      } else {
        let pad = abs(lo) * 0.1
        lo -= pad
        hi += pad
      }
    }
    let step = integer ? max(1, niceStep((hi - lo) / Double(max(count, 1)))) : niceStep((hi - lo) / Double(max(count, 1)))
    let first = floor(lo / step + 1e-9), last = ceil(hi / step - 1e-9)
    var values: [Double] = []
    var i = first
    while i <= last + 1e-9 && values.count < 100 {
      values.append(clean(i * step, step: step))
      i += 1
    }
    return AxisTicks(lower: values.first ?? lo, upper: values.last ?? hi, values: values, scale: .linear)
  }

  /// Decade ticks (…, 0.1, 1, 10, …) for a log axis; every second (or n-th) decade when the
  /// range spans more than 8. Non-positive or non-finite bounds fall back to 1…10; values all
  /// equal to one power of ten get the decades either side.
  /// - Parameters:
  ///   - lower: smallest positive data value.
  ///   - upper: largest data value.
  /// - Returns: the ticks.
  public static func decades(lower: Double, upper: Double) -> AxisTicks {
    var lo = lower.isFinite && lower > 0 ? lower : 1
    var hi = upper.isFinite && upper > 0 ? upper : lo * 10
    if lo > hi { swap(&lo, &hi) }
    var a = floor(log10(lo) + 1e-9), b = ceil(log10(hi) - 1e-9)
    if b <= a {  // one exact decade (all values equal to 10ⁿ): centre it
      a -= 1
      b = a + 2
    }
    let stride = max(1, Int(ceil((b - a) / 8)))
    // Align to the stride so the ends are ticks.
    b = a + ceil((b - a) / Double(stride)) * Double(stride)
    var values: [Double] = []
    var e = a
    while e <= b + 1e-9 {
      values.append(pow(10, e))
      e += Double(stride)
    }
    return AxisTicks(lower: pow(10, a), upper: pow(10, b), values: values, scale: .log)
  }

  /// Ticks for `values` on `scale`: the data's range, optionally widened to include zero (linear).
  /// - Parameters:
  ///   - values: data values (those the scale cannot show are ignored).
  ///   - scale: linear or log.
  ///   - includeZero: widen a linear domain to contain 0.
  ///   - count: wanted intervals for a linear axis.
  ///   - integer: whole-number values (linear steps of at least 1).
  /// - Returns: the ticks.
  public static func fitting(
    _ values: [Double], scale: AxisScale, includeZero: Bool = false, count: Int = 5, integer: Bool = false
  ) -> AxisTicks {
    let usable = values.filter(scale.accepts)
    switch scale {
    case .linear:
      var lo = usable.min() ?? 0, hi = usable.max() ?? 1
      if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
      return linear(lower: lo, upper: hi, count: count, integer: integer)
    case .log:
      return decades(lower: usable.min() ?? 1, upper: usable.max() ?? 10)
    }
  }

  /// The fraction (0 at `lower`, 1 at `upper`) where `value` sits.
  /// - Parameter value: a value the scale accepts.
  /// - Returns: the fraction (outside [0, 1] when the value is outside the domain).
  public func fraction(_ value: Double) -> Double {
    switch scale {
    case .linear: return upper > lower ? (value - lower) / (upper - lower) : 0.5
    case .log: return upper > lower ? (log10(value) - log10(lower)) / (log10(upper) - log10(lower)) : 0.5
    }
  }

  /// The text of a tick: plain numbers for linear axes, `0.01 … 10000` or `1e5` for decades.
  /// - Parameters:
  ///   - value: a tick value.
  ///   - percent: show a fraction as a percentage (`85 %`).
  /// - Returns: the label.
  public func label(_ value: Double, percent: Bool = false) -> String {
    if percent { return ChartNumber.label(value * 100, significant: 4) + "%" }
    if scale == .log {
      let e = Int(log10(value).rounded())
      return e >= -2 && e <= 4 ? ChartNumber.label(pow(10, Double(e)), significant: 1) : "1e\(e)"
    }
    return ChartNumber.label(value, significant: 6)
  }

  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let magnitude = pow(10, floor(log10(raw)))
    let residual = raw / magnitude
    let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
    return nice * magnitude
  }

  static func clean(_ value: Double, step: Double) -> Double {
    // Round away binary noise (0.30000000000000004) to the step's precision.
    let decimals = max(0, -Int(floor(log10(step))) + 1)
    let scale = pow(10, Double(min(decimals, 12)))
    let rounded = (value * scale).rounded() / scale
    return rounded == 0 ? 0 : rounded
  }
}
