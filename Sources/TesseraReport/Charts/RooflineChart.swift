import Foundation

/// A log–log roofline: one roof per hardware (DRAM bandwidth × operational intensity, capped at
/// peak compute) and one point per layer at its operational intensity and achieved throughput.
///
/// For example:
/// ```swift
/// let chart = RooflineChart(
///   title: "Roofline", roofs: [.init(name: "edge-npu", peakGOPS: 512, bandwidthGBPS: 8)],
///   points: [.init(roof: 0, label: "conv1", intensity: 12.5, gops: 90)])
/// ```
public struct RooflineChart: Sendable {
  /// One hardware's roof.
  public struct Roof: Sendable, Equatable {
    /// Hardware name (legend).
    public var name: String
    /// Peak compute, GOP/s.
    public var peakGOPS: Double
    /// DRAM bandwidth, GB/s; `nil` draws the compute roof alone (dashed) and says so in a note.
    public var bandwidthGBPS: Double?

    /// Makes a roof.
    /// - Parameters:
    ///   - name: hardware name.
    ///   - peakGOPS: peak GOP/s.
    ///   - bandwidthGBPS: DRAM GB/s or `nil`.
    public init(name: String, peakGOPS: Double, bandwidthGBPS: Double?) {
      self.name = name
      self.peakGOPS = peakGOPS
      self.bandwidthGBPS = bandwidthGBPS
    }
  }

  /// One layer on one hardware.
  public struct Point: Sendable, Equatable {
    /// Index of its roof (colour).
    public var roof: Int
    /// Layer name.
    public var label: String
    /// Operations per DRAM byte.
    public var intensity: Double
    /// Achieved GOP/s.
    public var gops: Double

    /// Makes a point.
    /// - Parameters:
    ///   - roof: roof index.
    ///   - label: layer name.
    ///   - intensity: op/B.
    ///   - gops: achieved GOP/s.
    public init(roof: Int, label: String, intensity: Double, gops: Double) {
      self.roof = roof
      self.label = label
      self.intensity = intensity
      self.gops = gops
    }
  }

  /// Title above the plot.
  public var title: String
  /// Roofs.
  public var roofs: [Roof]
  /// Points.
  public var points: [Point]
  /// Horizontal axis title.
  public var xTitle: String
  /// Vertical axis title.
  public var yTitle: String
  /// Write each point's label beside it (besides its tooltip).
  public var labelPoints: Bool
  /// More notes under the chart (caveats about the data); when given, they replace the default
  /// note about roofs without a DRAM bandwidth.
  public var extraNotes: [String]
  /// Size in pixels.
  public var width: Double, height: Double

  /// Makes a chart.
  /// - Parameters:
  ///   - title: title.
  ///   - roofs: roofs.
  ///   - points: points.
  ///   - xTitle: horizontal axis title.
  ///   - yTitle: vertical axis title.
  ///   - labelPoints: write labels beside points.
  ///   - extraNotes: caveats under the chart.
  ///   - width: pixels.
  ///   - height: pixels.
  public init(
    title: String, roofs: [Roof], points: [Point], xTitle: String = "operational intensity (op per DRAM byte)",
    yTitle: String = "throughput (GOP/s)", labelPoints: Bool = true, extraNotes: [String] = [], width: Double = 760,
    height: Double = 460
  ) {
    self.extraNotes = extraNotes
    self.title = title
    self.roofs = roofs
    self.points = points
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.labelPoints = labelPoints
    self.width = width
    self.height = height
  }

  private func accepts(_ p: Point) -> Bool { AxisScale.log.accepts(p.intensity) && AxisScale.log.accepts(p.gops) }

  /// Points drawn.
  public var drawnPoints: Int { points.filter(accepts).count }

  /// Renders the chart.
  /// - Returns: a complete `<svg>` document.
  public func svg() -> String {
    let usable = points.filter(accepts)
    var xs = usable.map(\.intensity), ys = usable.map(\.gops)
    for roof in roofs where AxisScale.log.accepts(roof.peakGOPS) {
      ys.append(roof.peakGOPS)
      if let bw = roof.bandwidthGBPS, AxisScale.log.accepts(bw) { xs.append(roof.peakGOPS / bw) }
    }
    let xTicks = AxisTicks.decades(lower: (xs.min() ?? 1) / 2, upper: (xs.max() ?? 10) * 2)
    let yTicks = AxisTicks.decades(lower: (ys.min() ?? 1) / 2, upper: (ys.max() ?? 10) * 2)
    var notes = [SkippedNote.text(points.count - usable.count)].compactMap { $0 }
    let missing = roofs.filter { $0.bandwidthGBPS == nil }.map(\.name)
    if !missing.isEmpty && extraNotes.isEmpty {
      notes.append("DRAM roof unknown for \(missing.joined(separator: ", ")): dashed line = compute peak only")
    }
    notes += extraNotes
    let legend = ChartLegend(entries: roofs.enumerated().map { .init(name: $1.name, color: ChartPalette.color($0), symbol: .marker(ChartMarker.marker($0))) })
    let left = 40 + ChartChrome.tickLabelWidth(yTicks, percent: false)
    let frame = PlotFrame(left: left, top: 40, width: width - left - 20 - legend.width, height: height - 40 - 52 - Double(notes.count) * 15)
    var canvas = SVGCanvas(width: width, height: height)
    ChartChrome.title(title, canvas: &canvas)
    ChartChrome.xAxis(xTicks, title: xTitle, frame: frame, canvas: &canvas)
    ChartChrome.yAxis(yTicks, title: yTitle, frame: frame, canvas: &canvas)
    if usable.isEmpty { ChartChrome.empty("no layers to show", frame: frame, canvas: &canvas) }
    for (index, roof) in roofs.enumerated() where AxisScale.log.accepts(roof.peakGOPS) {
      let color = ChartPalette.color(index)
      let top = frame.y(roof.peakGOPS, on: yTicks)
      if let bw = roof.bandwidthGBPS, AxisScale.log.accepts(bw) {
        // Start where the bandwidth slope enters the plot (left edge or bottom edge).
        let x0 = max(xTicks.lower, yTicks.lower / bw)
        let ridge = roof.peakGOPS / bw
        canvas.polyline(
          [(frame.x(x0, on: xTicks), frame.y(bw * x0, on: yTicks)), (frame.x(ridge, on: xTicks), top), (frame.right, top)],
          color: color, width: 2, className: "roof")
      } else {
        canvas.polyline([(frame.left, top), (frame.right, top)], color: color, width: 2, dash: "6 4", className: "roof")
      }
    }
    // Labels avoid every marker and each other.
    var placed = usable.map { p -> (Double, Double, Double, Double) in
      let x = frame.x(p.intensity, on: xTicks), y = frame.y(p.gops, on: yTicks)
      return (x - 5, y - 5, x + 5, y + 5)
    }
    for p in usable {
      let color = ChartPalette.color(p.roof), marker = ChartMarker.marker(p.roof)
      let x = frame.x(p.intensity, on: xTicks), y = frame.y(p.gops, on: yTicks)
      let name = p.roof < roofs.count ? roofs[p.roof].name : "?"
      canvas.raw(marker.svg(
        x: x, y: y, size: 4.5, color: color, extra: "fill-opacity=\"0.8\"",
        tooltip: "\(p.label) on \(name): \(ChartNumber.label(p.intensity)) op/B, \(ChartNumber.label(p.gops)) GOP/s"))
      if labelPoints, let spot = labelSpot(p.label, x: x, y: y, frame: frame, placed: &placed) {
        canvas.text(p.label, x: spot.0, y: spot.1, size: 9.5, color: color)
      }
    }
    ChartChrome.border(frame, canvas: &canvas)
    legend.draw(x: frame.right + 14, y: frame.top, canvas: &canvas)
    ChartChrome.notes(notes, canvas: &canvas)
    return canvas.document(title: title)
  }

  /// A free place for a point's label next to (`x`, `y`): right, below, above, further down or
  /// left; `nil` when all would overlap an earlier label or leave the frame (the tooltip remains).
  private func labelSpot(
    _ label: String, x: Double, y: Double, frame: PlotFrame, placed: inout [(Double, Double, Double, Double)]
  ) -> (Double, Double)? {
    let w = SVGCanvas.textWidth(label, size: 9.5), h = 10.0
    for (lx, ly) in [(x + 7, y - 6), (x + 7, y + 13), (x + 7, y - 17), (x + 7, y + 24), (x - 7 - w, y - 6), (x - 7 - w, y + 13)] {
      let box = (lx, ly - h + 1, lx + w, ly + 2)
      guard box.0 >= frame.left, box.2 <= frame.right, box.1 >= frame.top, box.3 <= frame.bottom else { continue }
      if placed.contains(where: { $0.0 < box.2 && box.0 < $0.2 && $0.1 < box.3 && box.1 < $0.3 }) { continue }
      placed.append(box)
      return (lx, ly)
    }
    return nil
  }
}
