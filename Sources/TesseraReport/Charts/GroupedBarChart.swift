/// Bars grouped by category: one bar per series in each category's slot (for example per-layer
/// accuracy drop for each quantization setting, or per-layer SQNR). Values may be negative; bars
/// grow from zero.
///
/// For example:
/// ```swift
/// let chart = GroupedBarChart(
///   title: "Per-layer SQNR", categories: ["conv1", "conv2", "fc"], y: ChartAxis("SQNR (dB)"),
///   series: [BarSeries(name: "weights", values: [38.1, 37.5, 36.0])])
/// ```
public struct GroupedBarChart: Sendable {
  /// Title above the plot.
  public var title: String
  /// Category names, left to right.
  public var categories: [String]
  /// Title of the category axis.
  public var categoryTitle: String
  /// Value axis (linear; always includes 0).
  public var y: ChartAxis
  /// The series.
  public var series: [BarSeries]
  /// Size in pixels.
  public var width: Double, height: Double

  /// Makes a chart.
  /// - Parameters:
  ///   - title: title.
  ///   - categories: category names.
  ///   - categoryTitle: category axis title.
  ///   - y: value axis.
  ///   - series: the series.
  ///   - width: pixels.
  ///   - height: pixels.
  public init(
    title: String, categories: [String], categoryTitle: String = "layer", y: ChartAxis, series: [BarSeries],
    width: Double = 760, height: Double = 400
  ) {
    self.title = title
    self.categories = categories
    self.categoryTitle = categoryTitle
    self.y = y
    self.series = series
    self.width = width
    self.height = height
  }

  /// Bars that will be drawn (finite values).
  public var drawnBars: Int {
    series.reduce(0) { total, s in total + categories.indices.filter { s.value($0).isFinite }.count }
  }

  /// Renders the chart.
  /// - Returns: a complete `<svg>` document.
  public func svg() -> String {
    let values = series.flatMap { s in categories.indices.map { s.value($0) } }
    let ticks = AxisTicks.fitting(values, scale: .linear, includeZero: true, count: 5)
    let notes = [SkippedNote.text(values.count - drawnBars, what: "bar")].compactMap { $0 }
    let legend = ChartLegend(entries: series.enumerated().map { .init(name: $1.name, color: ChartPalette.color($0), symbol: .swatch) })
    let axis = CategoryAxis(categories: categories)
    let left = 40 + ChartChrome.tickLabelWidth(ticks, percent: y.percent)
    let plotWidth = width - left - 20 - legend.width
    let frame = PlotFrame(
      left: left, top: 40, width: plotWidth, height: height - 40 - axis.bottomSpace(width: plotWidth) - Double(notes.count) * 15)
    var canvas = SVGCanvas(width: width, height: height)
    ChartChrome.title(title, canvas: &canvas)
    ChartChrome.yAxis(ticks, title: y.title, frame: frame, percent: y.percent, canvas: &canvas)
    axis.draw(title: categoryTitle, frame: frame, canvas: &canvas)
    if drawnBars == 0 { ChartChrome.empty("no values to show", frame: frame, canvas: &canvas) }
    let slot = frame.width / Double(max(categories.count, 1))
    let groupWidth = slot * 0.8, barWidth = groupWidth / Double(max(series.count, 1))
    let zero = frame.y(0, on: ticks)
    for (si, s) in series.enumerated() {
      for ci in categories.indices {
        let value = s.value(ci)
        guard value.isFinite else { continue }
        let x = axis.center(ci, frame: frame) - groupWidth / 2 + Double(si) * barWidth
        let top = frame.y(value, on: ticks)
        let tooltip = "\(categories[ci]) · \(s.name): \(y.percent ? ChartNumber.percent(value) : ChartNumber.label(value, significant: 4))"
        canvas.rect(x + 0.5, min(top, zero), max(barWidth - 1, 1), abs(zero - top), fill: ChartPalette.color(si), tooltip: tooltip, className: "bar")
      }
    }
    if ticks.lower < 0 { canvas.line(frame.left, zero, frame.right, zero, color: ChartPalette.ink) }
    ChartChrome.border(frame, canvas: &canvas)
    legend.draw(x: frame.right + 14, y: frame.top, canvas: &canvas)
    ChartChrome.notes(notes, canvas: &canvas)
    return canvas.document(title: title)
  }
}
