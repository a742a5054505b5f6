/// One series of a bar chart: a value per category (NaN where it has none).
public struct BarSeries: Sendable, Equatable {
  /// Legend name (a setting such as `4-bit`, or a memory level such as `DRAM`).
  public var name: String
  /// One value per category, in the chart's category order; NaN leaves the bar out.
  public var values: [Double]

  /// Makes a series.
  /// - Parameters:
  ///   - name: legend name.
  ///   - values: one per category.
  public init(name: String, values: [Double]) {
    self.name = name
    self.values = values
  }

  /// The value for category `index`, or NaN when the series is shorter.
  func value(_ index: Int) -> Double { index < values.count ? values[index] : .nan }
}
