/// What one axis shows: its title (with units), scale and tick style.
public struct ChartAxis: Sendable {
  /// Axis title with units, e.g. `modeled energy per inference (µJ)`.
  public var title: String
  /// Linear or log.
  public var scale: AxisScale
  /// Show fractions in [0, 1] as percentages.
  public var percent: Bool
  /// Widen a linear axis to include 0 (bars always do).
  public var includeZero: Bool
  /// Whole-number values (epochs, counts): linear ticks step by at least 1.
  public var integer: Bool

  /// Makes an axis.
  /// - Parameters:
  ///   - title: title with units.
  ///   - scale: linear (default) or log.
  ///   - percent: show fractions as percentages.
  ///   - includeZero: widen a linear domain to 0.
  ///   - integer: whole-number values, ticks at least 1 apart.
  public init(_ title: String, scale: AxisScale = .linear, percent: Bool = false, includeZero: Bool = false, integer: Bool = false) {
    self.integer = integer
    self.title = title
    self.scale = scale
    self.percent = percent
    self.includeZero = includeZero
  }
}

extension AxisTicks {
  /// Ticks for `values` on `axis`.
  static func fitting(_ values: [Double], axis: ChartAxis, count: Int) -> AxisTicks {
    fitting(values, scale: axis.scale, includeZero: axis.includeZero, count: count, integer: axis.integer)
  }
}

/// The note charts print when they leave points out.
enum SkippedNote {
  static func text(_ count: Int, what: String = "point") -> String? {
    guard count > 0 else { return nil }
    return "\(count) \(what)\(count == 1 ? "" : "s") not drawn (NaN or infinite, or ≤ 0 on a log axis)"
  }
}
