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

  /// Makes an axis.
  /// - Parameters:
  ///   - title: title with units.
  ///   - scale: linear (default) or log.
  ///   - percent: show fractions as percentages.
  ///   - includeZero: widen a linear domain to 0.
  public init(_ title: String, scale: AxisScale = .linear, percent: Bool = false, includeZero: Bool = false) {
    self.title = title
    self.scale = scale
    self.percent = percent
    self.includeZero = includeZero
  }
}

/// The note charts print when they leave points out.
enum SkippedNote {
  static func text(_ count: Int, what: String = "point") -> String? {
    guard count > 0 else { return nil }
    return "\(count) \(what)\(count == 1 ? "" : "s") not drawn (NaN or infinite, or ≤ 0 on a log axis)"
  }
}
