/// The shape drawn at a data point; series cycle through the shapes so that colour is never the
/// only cue.
public enum ChartMarker: String, Sendable, CaseIterable {
  /// A filled circle.
  case circle
  /// A filled square.
  case square
  /// A filled triangle pointing up.
  case triangle
  /// A filled diamond.
  case diamond
  /// A filled triangle pointing down.
  case triangleDown

  /// The marker of series `index` (cycling).
  /// - Parameter index: 0-based series index.
  /// - Returns: the marker.
  public static func marker(_ index: Int) -> ChartMarker { allCases[((index % allCases.count) + allCases.count) % allCases.count] }

  /// The SVG element for this marker centred at (`x`, `y`).
  /// - Parameters:
  ///   - x: centre x (pixels).
  ///   - y: centre y (pixels).
  ///   - size: half the marker's width (pixels).
  ///   - color: fill colour.
  ///   - extra: more attributes, already escaped (for example `stroke="…"`).
  ///   - tooltip: text of a `<title>` child (escaped here), or `nil`.
  /// - Returns: one SVG element.
  public func svg(x: Double, y: Double, size: Double, color: String, extra: String = "", tooltip: String? = nil) -> String {
    let c = ChartNumber.coordinate
    let open: String
    switch self {
    case .circle:
      open = "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(size))\" fill=\"\(color)\"\(extra.isEmpty ? "" : " " + extra)"
      return close(open, element: "circle", tooltip: tooltip)
    case .square:
      open = "<rect x=\"\(c(x - size))\" y=\"\(c(y - size))\" width=\"\(c(2 * size))\" height=\"\(c(2 * size))\" fill=\"\(color)\"\(extra.isEmpty ? "" : " " + extra)"
      return close(open, element: "rect", tooltip: tooltip)
    case .triangle:
      let h = size * 1.15
      open = "<polygon points=\"\(c(x)),\(c(y - h)) \(c(x + h)),\(c(y + h * 0.8)) \(c(x - h)),\(c(y + h * 0.8))\" fill=\"\(color)\"\(extra.isEmpty ? "" : " " + extra)"
      return close(open, element: "polygon", tooltip: tooltip)
    case .diamond:
      let h = size * 1.3
      open = "<polygon points=\"\(c(x)),\(c(y - h)) \(c(x + h)),\(c(y)) \(c(x)),\(c(y + h)) \(c(x - h)),\(c(y))\" fill=\"\(color)\"\(extra.isEmpty ? "" : " " + extra)"
      return close(open, element: "polygon", tooltip: tooltip)
    case .triangleDown:
      let h = size * 1.15
      open = "<polygon points=\"\(c(x)),\(c(y + h)) \(c(x + h)),\(c(y - h * 0.8)) \(c(x - h)),\(c(y - h * 0.8))\" fill=\"\(color)\"\(extra.isEmpty ? "" : " " + extra)"
      return close(open, element: "polygon", tooltip: tooltip)
    }
  }

  private func close(_ open: String, element: String, tooltip: String?) -> String {
    guard let tooltip else { return open + "/>" }
    return open + "><title>\(tooltip.xmlEscaped)</title></\(element)>"
  }
}
