/// A named line of a line chart.
public struct LineSeries: Sendable {
  /// Legend name; series with the same name share a colour across panels.
  public var name: String
  /// The points, in drawing order; a point the axes cannot show breaks the line.
  public var points: [ScatterPoint]
  /// A `stroke-dasharray` (for example `"6 3"`), or `nil` for a solid line.
  public var dash: String?

  /// Makes a series.
  /// - Parameters:
  ///   - name: legend name.
  ///   - points: the points.
  ///   - dash: dash pattern or `nil`.
  public init(name: String, points: [ScatterPoint], dash: String? = nil) {
    self.name = name
    self.points = points
    self.dash = dash
  }
}

/// One panel of a line chart: its own axes and series.
public struct LinePanel: Sendable {
  /// Panel heading.
  public var title: String
  /// Horizontal axis.
  public var x: ChartAxis
  /// Vertical axis.
  public var y: ChartAxis
  /// The lines.
  public var series: [LineSeries]

  /// Makes a panel.
  /// - Parameters:
  ///   - title: heading.
  ///   - x: horizontal axis.
  ///   - y: vertical axis.
  ///   - series: the lines.
  public init(title: String, x: ChartAxis, y: ChartAxis, series: [LineSeries]) {
    self.title = title
    self.x = x
    self.y = y
    self.series = series
  }
}

/// Line charts in one or more panels side by side with one shared legend (for example training
/// loss and accuracy per epoch).
///
/// For example:
/// ```swift
/// let loss = LinePanel(title: "loss", x: ChartAxis("epoch"), y: ChartAxis("cross-entropy"), series: [train, test])
/// let svg = LineChart(title: "Training", panels: [loss, accuracy]).svg()
/// ```
public struct LineChart: Sendable {
  /// Title above the panels.
  public var title: String
  /// Panels, left to right.
  public var panels: [LinePanel]
  /// A line of text under the panels (for example the final accuracy), or empty.
  public var caption: String
  /// Size in pixels.
  public var width: Double, height: Double

  /// Makes a chart.
  /// - Parameters:
  ///   - title: title.
  ///   - panels: left to right.
  ///   - caption: text under the panels.
  ///   - width: pixels.
  ///   - height: pixels.
  public init(title: String, panels: [LinePanel], caption: String = "", width: Double = 900, height: Double = 380) {
    self.title = title
    self.panels = panels
    self.caption = caption
    self.width = width
    self.height = height
  }

  /// Series names in first-seen order (their colour index).
  var names: [String] {
    var seen: [String] = []
    for panel in panels { for s in panel.series where !seen.contains(s.name) { seen.append(s.name) } }
    return seen
  }

  /// Points drawn over all panels.
  public var drawnPoints: Int {
    panels.reduce(0) { total, panel in
      total + panel.series.reduce(0) { $0 + $1.points.filter { panel.x.scale.accepts($0.x) && panel.y.scale.accepts($0.y) }.count }
    }
  }

  /// Renders the chart.
  /// - Returns: a complete `<svg>` document.
  public func svg() -> String {
    let names = names
    let legend = ChartLegend(entries: names.enumerated().map { i, name in
      let dash = panels.lazy.flatMap(\.series).first { $0.name == name }?.dash
      return .init(name: name, color: ChartPalette.color(i), symbol: .line(dash: dash))
    })
    let total = panels.reduce(0) { $0 + $1.series.reduce(0) { $0 + $1.points.count } }
    let notes = [SkippedNote.text(total - drawnPoints)].compactMap { $0 } + (caption.isEmpty ? [] : [caption])
    var canvas = SVGCanvas(width: width, height: height)
    ChartChrome.title(title, canvas: &canvas)
    let count = Double(max(panels.count, 1))
    let slot = (width - 20 - legend.width) / count
    for (pi, panel) in panels.enumerated() {
      let accepts = { (p: ScatterPoint) in panel.x.scale.accepts(p.x) && panel.y.scale.accepts(p.y) }
      let usable = panel.series.flatMap(\.points).filter(accepts)
      let xTicks = AxisTicks.fitting(usable.map(\.x), axis: panel.x, count: 6)
      let yTicks = AxisTicks.fitting(usable.map(\.y), axis: panel.y, count: 5)
      let left = Double(pi) * slot + 40 + ChartChrome.tickLabelWidth(yTicks, percent: panel.y.percent)
      let frame = PlotFrame(
        left: left, top: 58, width: Double(pi + 1) * slot - left - 16, height: height - 58 - 52 - Double(notes.count) * 15)
      canvas.text(panel.title, x: frame.left + frame.width / 2, y: frame.top - 8, anchor: "middle", size: 13)
      ChartChrome.xAxis(xTicks, title: panel.x.title, frame: frame, percent: panel.x.percent, canvas: &canvas)
      ChartChrome.yAxis(yTicks, title: panel.y.title, frame: frame, percent: panel.y.percent, canvas: &canvas)
      if usable.isEmpty { ChartChrome.empty("no points to show", frame: frame, canvas: &canvas) }
      for s in panel.series {
        let color = ChartPalette.color(names.firstIndex(of: s.name) ?? 0)
        var run: [(Double, Double)] = []
        for p in s.points + [ScatterPoint(x: .nan, y: .nan)] {
          if accepts(p) {
            run.append((frame.x(p.x, on: xTicks), frame.y(p.y, on: yTicks)))
          } else {
            canvas.polyline(run, color: color, width: 2, dash: s.dash, className: "line")
            run = []
          }
        }
        for p in s.points where accepts(p) {
          let label = p.label ?? "\(s.name): \(ChartNumber.label(p.x)), \(panel.y.percent ? ChartNumber.percent(p.y) : ChartNumber.label(p.y, significant: 4))"
          canvas.raw(ChartMarker.circle.svg(x: frame.x(p.x, on: xTicks), y: frame.y(p.y, on: yTicks), size: 2.8, color: color, tooltip: label))
        }
      }
      ChartChrome.border(frame, canvas: &canvas)
    }
    legend.draw(x: width - legend.width - 6, y: 58, canvas: &canvas)
    ChartChrome.notes(notes, canvas: &canvas)
    return canvas.document(title: title)
  }
}
