/// The category (horizontal) axis of bar charts: one slot per category, labels under the slots,
/// rotated when they would not fit side by side.
struct CategoryAxis {
  /// Category names.
  var categories: [String]

  static let size = 11.0

  /// Whether labels must be rotated for a plot `width` pixels wide.
  func rotated(width: Double) -> Bool {
    guard !categories.isEmpty else { return false }
    let slot = width / Double(categories.count)
    return categories.contains { SVGCanvas.textWidth(Self.shortened($0), size: Self.size) > slot - 6 }
  }

  /// Pixels needed under the frame for labels and the axis title.
  func bottomSpace(width: Double) -> Double {
    guard rotated(width: width) else { return 52 }
    let longest = categories.map { SVGCanvas.textWidth(Self.shortened($0), size: Self.size) }.max() ?? 0
    return min(longest * 0.6, 110) + 40
  }

  /// Centre x of slot `index`.
  func center(_ index: Int, frame: PlotFrame) -> Double {
    frame.left + (Double(index) + 0.5) * frame.width / Double(max(categories.count, 1))
  }

  /// Draws labels and the axis title.
  func draw(title: String, frame: PlotFrame, canvas: inout SVGCanvas) {
    let rotate = rotated(width: frame.width)
    for (i, name) in categories.enumerated() {
      let x = center(i, frame: frame)
      canvas.line(x, frame.bottom, x, frame.bottom + 4, color: ChartPalette.ink)
      if rotate {
        canvas.text(Self.shortened(name), x: x + 3, y: frame.bottom + 14, anchor: "end", size: Self.size, color: ChartPalette.muted, rotate: -35)
      } else {
        canvas.text(Self.shortened(name), x: x, y: frame.bottom + 17, anchor: "middle", size: Self.size, color: ChartPalette.muted)
      }
    }
    canvas.text(title, x: frame.left + frame.width / 2, y: frame.bottom + bottomSpace(width: frame.width) - 16, anchor: "middle", size: 12)
  }

  static func shortened(_ name: String) -> String { name.count > 18 ? String(name.prefix(17)) + "…" : name }
}
