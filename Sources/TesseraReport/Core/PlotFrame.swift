/// The rectangle the data is drawn in, inside a chart's margins.
public struct PlotFrame: Sendable, Equatable {
  /// Left edge (pixels).
  public var left: Double
  /// Top edge (pixels).
  public var top: Double
  /// Width (pixels).
  public var width: Double
  /// Height (pixels).
  public var height: Double

  /// Makes a frame.
  /// - Parameters:
  ///   - left: left edge.
  ///   - top: top edge.
  ///   - width: width.
  ///   - height: height.
  public init(left: Double, top: Double, width: Double, height: Double) {
    self.left = left
    self.top = top
    self.width = max(width, 10)
    self.height = max(height, 10)
  }

  /// Right edge.
  public var right: Double { left + width }
  /// Bottom edge.
  public var bottom: Double { top + height }

  /// The pixel x of `value` on the horizontal axis `ticks`.
  /// - Parameters:
  ///   - value: a value the axis accepts.
  ///   - ticks: the horizontal axis.
  /// - Returns: pixels.
  public func x(_ value: Double, on ticks: AxisTicks) -> Double { left + ticks.fraction(value) * width }

  /// The pixel y of `value` on the vertical axis `ticks` (larger values higher).
  /// - Parameters:
  ///   - value: a value the axis accepts.
  ///   - ticks: the vertical axis.
  /// - Returns: pixels.
  public func y(_ value: Double, on ticks: AxisTicks) -> Double { bottom - ticks.fraction(value) * height }
}

/// Draws axes, grids, legends, titles and notes shared by every chart.
enum ChartChrome {
  static let titleSize = 15.0, labelSize = 12.0, tickSize = 11.0, noteSize = 11.0

  /// Title at the top left.
  static func title(_ text: String, canvas: inout SVGCanvas) {
    guard !text.isEmpty else { return }
    canvas.text(text, x: 12, y: 22, size: titleSize, bold: true)
  }

  /// Notes (skipped points, data caveats) under the chart, one per line.
  static func notes(_ notes: [String], canvas: inout SVGCanvas) {
    for (i, note) in notes.enumerated() {
      canvas.text(note, x: 12, y: canvas.height - 8 - Double(notes.count - 1 - i) * 15, size: noteSize, color: ChartPalette.muted)
    }
  }

  /// Widest tick label of `ticks` in pixels.
  static func tickLabelWidth(_ ticks: AxisTicks, percent: Bool) -> Double {
    ticks.values.map { SVGCanvas.textWidth(ticks.label($0, percent: percent), size: tickSize) }.max() ?? 0
  }

  /// Horizontal axis: grid lines, tick labels under the frame and the axis title.
  static func xAxis(_ ticks: AxisTicks, title: String, frame: PlotFrame, percent: Bool = false, canvas: inout SVGCanvas) {
    for value in ticks.values {
      let x = frame.x(value, on: ticks)
      canvas.line(x, frame.top, x, frame.bottom, color: ChartPalette.grid)
      canvas.line(x, frame.bottom, x, frame.bottom + 4, color: ChartPalette.ink)
      canvas.text(ticks.label(value, percent: percent), x: x, y: frame.bottom + 17, anchor: "middle", size: tickSize, color: ChartPalette.muted)
    }
    canvas.text(title, x: frame.left + frame.width / 2, y: frame.bottom + 36, anchor: "middle", size: labelSize)
  }

  /// Vertical axis on the left (or right): grid lines, tick labels and the rotated axis title.
  static func yAxis(
    _ ticks: AxisTicks, title: String, frame: PlotFrame, percent: Bool = false, rightSide: Bool = false, grid: Bool = true,
    canvas: inout SVGCanvas
  ) {
    let labelWidth = tickLabelWidth(ticks, percent: percent)
    for value in ticks.values {
      let y = frame.y(value, on: ticks)
      if grid { canvas.line(frame.left, y, frame.right, y, color: ChartPalette.grid) }
      if rightSide {
        canvas.line(frame.right, y, frame.right + 4, y, color: ChartPalette.ink)
        canvas.text(ticks.label(value, percent: percent), x: frame.right + 7, y: y + 4, size: tickSize, color: ChartPalette.muted)
      } else {
        canvas.line(frame.left - 4, y, frame.left, y, color: ChartPalette.ink)
        canvas.text(ticks.label(value, percent: percent), x: frame.left - 7, y: y + 4, anchor: "end", size: tickSize, color: ChartPalette.muted)
      }
    }
    let x = rightSide ? frame.right + 16 + labelWidth : frame.left - 16 - labelWidth
    canvas.text(title, x: x, y: frame.top + frame.height / 2, anchor: "middle", size: labelSize, rotate: rightSide ? 90 : -90)
  }

  /// The frame's outline (drawn after the data so the axes sit on top).
  static func border(_ frame: PlotFrame, canvas: inout SVGCanvas) {
    canvas.rect(frame.left, frame.top, frame.width, frame.height, fill: "none", stroke: ChartPalette.ink)
  }

  /// A centred "no data" message inside the frame.
  static func empty(_ message: String, frame: PlotFrame, canvas: inout SVGCanvas) {
    canvas.text(message, x: frame.left + frame.width / 2, y: frame.top + frame.height / 2, anchor: "middle", size: labelSize, color: ChartPalette.muted)
  }
}
