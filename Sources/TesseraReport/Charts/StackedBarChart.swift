/// Bars stacked by component: one bar per category, one segment per component (for example
/// each layer's energy split by memory level). Components are non-negative; a negative or NaN
/// segment is left out and counted in the note.
///
/// For example:
/// ```swift
/// let chart = StackedBarChart(
///   title: "Energy by memory level", categories: ["conv1", "conv2"], y: ChartAxis("energy (nJ)"),
///   components: [BarSeries(name: "DRAM", values: [12, 30]), BarSeries(name: "GLB", values: [3, 8])])
/// ```
public struct StackedBarChart: Sendable {
  /// Title above the plot.
  public var title: String
  /// Category names, left to right.
  public var categories: [String]
  /// Title of the category axis.
  public var categoryTitle: String
  /// Value axis (linear, from 0).
  public var y: ChartAxis
  /// The components, bottom to top.
  public var components: [BarSeries]
  /// Size in pixels.
  public var width: Double, height: Double

  /// Makes a chart.
  /// - Parameters:
  ///   - title: title.
  ///   - categories: category names.
  ///   - categoryTitle: category axis title.
  ///   - y: value axis.
  ///   - components: bottom to top.
  ///   - width: pixels.
  ///   - height: pixels.
  public init(
    title: String, categories: [String], categoryTitle: String = "layer", y: ChartAxis, components: [BarSeries],
    width: Double = 760, height: Double = 400
  ) {
    self.title = title
    self.categories = categories
    self.categoryTitle = categoryTitle
    self.y = y
    self.components = components
    self.width = width
    self.height = height
  }

  private func usable(_ v: Double) -> Bool { v.isFinite && v >= 0 }

  /// Segments that will be drawn (finite, non-negative, non-zero values).
  public var drawnSegments: Int {
    components.reduce(0) { total, c in total + categories.indices.filter { usable(c.value($0)) && c.value($0) > 0 }.count }
  }

  /// Renders the chart.
  /// - Returns: a complete `<svg>` document.
  public func svg() -> String {
    let totals = categories.indices.map { ci in components.reduce(0.0) { $0 + (usable($1.value(ci)) ? $1.value(ci) : 0) } }
    let ticks = AxisTicks.fitting(totals, scale: .linear, includeZero: true, count: 5)
    let skipped = components.reduce(0) { total, c in total + categories.indices.filter { !usable(c.value($0)) }.count }
    let notes = [SkippedNote.text(skipped, what: "segment")].compactMap { $0 }
    let legend = ChartLegend(entries: components.enumerated().map { .init(name: $1.name, color: ChartPalette.color($0), symbol: .swatch) })
    let axis = CategoryAxis(categories: categories)
    let left = 40 + ChartChrome.tickLabelWidth(ticks, percent: y.percent)
    let plotWidth = width - left - 20 - legend.width
    let frame = PlotFrame(
      left: left, top: 40, width: plotWidth, height: height - 40 - axis.bottomSpace(width: plotWidth) - Double(notes.count) * 15)
    var canvas = SVGCanvas(width: width, height: height)
    ChartChrome.title(title, canvas: &canvas)
    ChartChrome.yAxis(ticks, title: y.title, frame: frame, percent: y.percent, canvas: &canvas)
    axis.draw(title: categoryTitle, frame: frame, canvas: &canvas)
    if drawnSegments == 0 { ChartChrome.empty("no values to show", frame: frame, canvas: &canvas) }
    let barWidth = frame.width / Double(max(categories.count, 1)) * 0.6
    for ci in categories.indices {
      var base = 0.0
      for (k, component) in components.enumerated() {
        let value = component.value(ci)
        guard usable(value), value > 0 else { continue }
        let y0 = frame.y(base, on: ticks), y1 = frame.y(base + value, on: ticks)
        let share = totals[ci] > 0 ? value / totals[ci] : 0
        let tooltip = "\(categories[ci]) · \(component.name): \(ChartNumber.label(value, significant: 4)) (\(ChartNumber.percent(share, decimals: 1)))"
        canvas.rect(
          axis.center(ci, frame: frame) - barWidth / 2, y1, barWidth, y0 - y1, fill: ChartPalette.color(k), stroke: "white",
          tooltip: tooltip, className: "segment")
        base += value
      }
    }
    ChartChrome.border(frame, canvas: &canvas)
    legend.draw(x: frame.right + 14, y: frame.top, canvas: &canvas)
    ChartChrome.notes(notes, canvas: &canvas)
    return canvas.document(title: title)
  }
}
