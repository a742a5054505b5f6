/// A legend: one row per series, drawn to the right of the plot so it never covers data.
public struct ChartLegend: Sendable {
  /// How an entry's symbol is drawn.
  public enum Symbol: Sendable, Equatable {
    /// A marker shape, as in a scatter chart.
    case marker(ChartMarker)
    /// A filled square, as in a bar chart.
    case swatch
    /// A short line, optionally dashed (`stroke-dasharray`).
    case line(dash: String?)
  }

  /// One row.
  public struct Entry: Sendable {
    /// Series name.
    public var name: String
    /// Colour.
    public var color: String
    /// Symbol.
    public var symbol: Symbol

    /// Makes an entry.
    /// - Parameters:
    ///   - name: series name.
    ///   - color: colour.
    ///   - symbol: symbol.
    public init(name: String, color: String, symbol: Symbol) {
      self.name = name
      self.color = color
      self.symbol = symbol
    }
  }

  /// The rows.
  public var entries: [Entry]

  /// Makes a legend.
  /// - Parameter entries: the rows.
  public init(entries: [Entry]) { self.entries = entries }

  static let size = 11.5, rowHeight = 18.0

  /// Pixels the legend needs to the right of the plot (0 when empty); long names are cut at 28
  /// characters.
  public var width: Double {
    guard !entries.isEmpty else { return 0 }
    return 34 + (entries.map { SVGCanvas.textWidth(Self.shortened($0.name), size: Self.size) }.max() ?? 0) + 10
  }

  /// Draws the rows from (`x`, `y`) downwards.
  /// - Parameters:
  ///   - x: left edge.
  ///   - y: top edge.
  ///   - canvas: the canvas.
  public func draw(x: Double, y: Double, canvas: inout SVGCanvas) {
    for (i, entry) in entries.enumerated() {
      let cy = y + Double(i) * Self.rowHeight + 8
      switch entry.symbol {
      case .marker(let marker): canvas.raw(marker.svg(x: x + 10, y: cy, size: 4.5, color: entry.color))
      case .swatch: canvas.rect(x + 4, cy - 6, 12, 12, fill: entry.color)
      case .line(let dash): canvas.line(x, cy, x + 20, cy, color: entry.color, width: 2.5, dash: dash)
      }
      canvas.text(Self.shortened(entry.name), x: x + 26, y: cy + 4, size: Self.size)
    }
  }

  static func shortened(_ name: String) -> String { name.count > 28 ? String(name.prefix(27)) + "…" : name }
}
