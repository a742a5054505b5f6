/// One point of a scatter chart.
public struct ScatterPoint: Sendable, Equatable {
  /// Horizontal value.
  public var x: Double
  /// Vertical value.
  public var y: Double
  /// Tooltip text (`<title>`), or `nil`.
  public var label: String?

  /// Makes a point.
  /// - Parameters:
  ///   - x: horizontal value.
  ///   - y: vertical value.
  ///   - label: tooltip text.
  public init(x: Double, y: Double, label: String? = nil) {
    self.x = x
    self.y = y
    self.label = label
  }
}

/// A named group of points drawn with one colour and marker.
public struct ScatterSeries: Sendable {
  /// Legend name.
  public var name: String
  /// The points.
  public var points: [ScatterPoint]

  /// Makes a series.
  /// - Parameters:
  ///   - name: legend name.
  ///   - points: the points.
  public init(name: String, points: [ScatterPoint]) {
    self.name = name
    self.points = points
  }
}

/// A scatter chart on linear or log axes, with an optional Pareto frontier drawn as a step line
/// through the frontier points (each also ringed).
///
/// For example:
/// ```swift
/// let chart = ScatterChart(
///   title: "Accuracy vs energy", x: ChartAxis("energy (µJ)", scale: .log), y: ChartAxis("top-1", percent: true),
///   series: [ScatterSeries(name: "edge-npu", points: points)], frontier: frontierPoints)
/// let svg = chart.svg()
/// ```
public struct ScatterChart: Sendable {
  /// Title above the plot.
  public var title: String
  /// Horizontal axis.
  public var x: ChartAxis
  /// Vertical axis.
  public var y: ChartAxis
  /// Series, each in its own palette colour and marker.
  public var series: [ScatterSeries]
  /// Frontier points (any order; drawn by ascending x as a step line), or empty.
  public var frontier: [ScatterPoint]
  /// Legend name of the frontier line.
  public var frontierName: String
  /// Size in pixels.
  public var width: Double, height: Double

  /// Makes a chart.
  /// - Parameters:
  ///   - title: title.
  ///   - x: horizontal axis.
  ///   - y: vertical axis.
  ///   - series: the series.
  ///   - frontier: frontier points to join with a step line.
  ///   - frontierName: legend name of the frontier.
  ///   - width: pixels.
  ///   - height: pixels.
  public init(
    title: String, x: ChartAxis, y: ChartAxis, series: [ScatterSeries], frontier: [ScatterPoint] = [],
    frontierName: String = "Pareto frontier", width: Double = 760, height: Double = 430
  ) {
    self.title = title
    self.x = x
    self.y = y
    self.series = series
    self.frontier = frontier
    self.frontierName = frontierName
    self.width = width
    self.height = height
  }

  /// Where things go: the plot frame, the two axes and the notes.
  public struct Layout: Sendable {
    /// The plot area.
    public var frame: PlotFrame
    /// Horizontal ticks.
    public var xTicks: AxisTicks
    /// Vertical ticks.
    public var yTicks: AxisTicks
    /// Notes under the chart.
    public var notes: [String]
    /// Points drawn (all series).
    public var drawn: Int
  }

  private func accepts(_ p: ScatterPoint) -> Bool { x.scale.accepts(p.x) && y.scale.accepts(p.y) }

  /// The layout for the current data.
  /// - Returns: frame, ticks and notes.
  public func layout() -> Layout {
    let all = series.flatMap(\.points)
    let usable = all.filter(accepts) + frontier.filter(accepts)
    let xTicks = AxisTicks.fitting(usable.map(\.x), axis: x, count: 6)
    let yTicks = AxisTicks.fitting(usable.map(\.y), axis: y, count: 5)
    let drawn = all.filter(accepts).count
    let notes = [SkippedNote.text(all.count - drawn)].compactMap { $0 }
    let legendWidth = legend.width
    let left = 40 + ChartChrome.tickLabelWidth(yTicks, percent: y.percent)
    let frame = PlotFrame(
      left: left, top: 40, width: width - left - 20 - legendWidth, height: height - 40 - 52 - Double(notes.count) * 15)
    return Layout(frame: frame, xTicks: xTicks, yTicks: yTicks, notes: notes, drawn: drawn)
  }

  var legend: ChartLegend {
    var entries = series.enumerated().map {
      ChartLegend.Entry(name: $1.name, color: ChartPalette.color($0), symbol: .marker(ChartMarker.marker($0)))
    }
    if !frontier.isEmpty { entries.append(.init(name: frontierName, color: ChartPalette.ink, symbol: .line(dash: nil))) }
    return ChartLegend(entries: entries)
  }

  /// The frontier's step line in pixels: from each point right to the next point's x, then up
  /// (or down) to it, so the line passes through every frontier point.
  /// - Parameter layout: the layout from ``layout()``.
  /// - Returns: vertices.
  public func frontierPath(_ layout: Layout) -> [(Double, Double)] {
    let points = frontier.filter(accepts).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
    var path: [(Double, Double)] = []
    for (i, p) in points.enumerated() {
      let px = layout.frame.x(p.x, on: layout.xTicks), py = layout.frame.y(p.y, on: layout.yTicks)
      if i > 0 { path.append((px, path[path.count - 1].1)) }
      path.append((px, py))
    }
    return path
  }

  /// Renders the chart.
  /// - Returns: a complete `<svg>` document.
  public func svg() -> String {
    let layout = layout()
    let frame = layout.frame
    var canvas = SVGCanvas(width: width, height: height)
    ChartChrome.title(title, canvas: &canvas)
    ChartChrome.xAxis(layout.xTicks, title: x.title, frame: frame, percent: x.percent, canvas: &canvas)
    ChartChrome.yAxis(layout.yTicks, title: y.title, frame: frame, percent: y.percent, canvas: &canvas)
    if layout.drawn == 0 { ChartChrome.empty("no points to show", frame: frame, canvas: &canvas) }
    let path = frontierPath(layout)
    canvas.polyline(path, color: ChartPalette.ink, width: 1.8, className: "frontier")
    for (index, s) in series.enumerated() {
      let color = ChartPalette.color(index), marker = ChartMarker.marker(index)
      canvas.raw("<g class=\"series\" fill-opacity=\"0.85\">")
      for p in s.points where accepts(p) {
        let tooltip = p.label ?? "\(s.name): \(ChartNumber.label(p.x)), \(ChartNumber.label(p.y))"
        canvas.raw(marker.svg(
          x: frame.x(p.x, on: layout.xTicks), y: frame.y(p.y, on: layout.yTicks), size: 4.5, color: color,
          extra: "stroke=\"white\" stroke-width=\"0.8\"", tooltip: tooltip))
      }
      canvas.raw("</g>")
    }
    for p in frontier where accepts(p) {
      canvas.raw(ChartMarker.circle.svg(
        x: frame.x(p.x, on: layout.xTicks), y: frame.y(p.y, on: layout.yTicks), size: 7.5, color: "none",
        extra: "stroke=\"\(ChartPalette.ink)\" stroke-width=\"1.3\""))
    }
    ChartChrome.border(frame, canvas: &canvas)
    legend.draw(x: frame.right + 14, y: frame.top, canvas: &canvas)
    ChartChrome.notes(layout.notes, canvas: &canvas)
    return canvas.document(title: title)
  }
}
