/// Accumulates SVG elements and renders a complete `<svg>` document. Every number goes through
/// ``ChartNumber/coordinate(_:)`` and every text through ``Swift/String/xmlEscaped``, so output
/// is deterministic and safe for hostile labels.
public struct SVGCanvas: Sendable {
  /// Width in pixels.
  public var width: Double
  /// Height in pixels.
  public var height: Double
  /// The elements drawn so far, one per line.
  public private(set) var body: [String] = []

  /// Makes an empty canvas with a white background.
  /// - Parameters:
  ///   - width: pixels.
  ///   - height: pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
    body.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
  }

  /// Appends raw SVG (already escaped).
  /// - Parameter element: one or more elements.
  public mutating func raw(_ element: String) { body.append(element) }

  /// Draws text.
  /// - Parameters:
  ///   - text: the string (escaped here).
  ///   - x: anchor x.
  ///   - y: baseline y.
  ///   - anchor: `start`, `middle` or `end`.
  ///   - size: font size in pixels.
  ///   - bold: bold weight.
  ///   - color: fill colour.
  ///   - rotate: degrees about (x, y), or 0.
  public mutating func text(
    _ text: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, bold: Bool = false,
    color: String = ChartPalette.ink, rotate: Double = 0
  ) {
    let c = ChartNumber.coordinate
    var attributes = "x=\"\(c(x))\" y=\"\(c(y))\" font-size=\"\(c(size))\" fill=\"\(color)\""
    if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
    if bold { attributes += " font-weight=\"bold\"" }
    if rotate != 0 { attributes += " transform=\"rotate(\(c(rotate)) \(c(x)) \(c(y)))\"" }
    body.append("<text \(attributes)>\(text.xmlEscaped)</text>")
  }

  /// Draws a line segment.
  /// - Parameters:
  ///   - x1: start x.
  ///   - y1: start y.
  ///   - x2: end x.
  ///   - y2: end y.
  ///   - color: stroke colour.
  ///   - width: stroke width.
  ///   - dash: a `stroke-dasharray` value, or `nil`.
  public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1, dash: String? = nil) {
    let c = ChartNumber.coordinate
    body.append(
      "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" stroke=\"\(color)\" stroke-width=\"\(c(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>")
  }

  /// Draws a rectangle, optionally with a tooltip.
  /// - Parameters:
  ///   - x: left.
  ///   - y: top.
  ///   - width: width.
  ///   - height: height.
  ///   - fill: fill colour.
  ///   - stroke: stroke colour, or `nil`.
  ///   - tooltip: text of a `<title>` child, or `nil`.
  ///   - className: a `class` attribute, or `nil`.
  public mutating func rect(
    _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, stroke: String? = nil, tooltip: String? = nil,
    className: String? = nil
  ) {
    let c = ChartNumber.coordinate
    let open = "<rect\(className.map { " class=\"\($0)\"" } ?? "") x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(width, 0)))\" height=\"\(c(max(height, 0)))\" fill=\"\(fill)\"\(stroke.map { " stroke=\"\($0)\"" } ?? "")"
    body.append(tooltip.map { open + "><title>\($0.xmlEscaped)</title></rect>" } ?? open + "/>")
  }

  /// Draws an open polyline.
  /// - Parameters:
  ///   - points: vertices in pixels.
  ///   - color: stroke colour.
  ///   - width: stroke width.
  ///   - dash: a `stroke-dasharray` value, or `nil`.
  ///   - className: a `class` attribute, or `nil`.
  public mutating func polyline(_ points: [(Double, Double)], color: String, width: Double = 2, dash: String? = nil, className: String? = nil) {
    guard !points.isEmpty else { return }
    let c = ChartNumber.coordinate
    let list = points.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " ")
    body.append(
      "<polyline\(className.map { " class=\"\($0)\"" } ?? "") fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(c(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") points=\"\(list)\"/>")
  }

  /// The complete document: `<svg xmlns=… width height viewBox>` with an accessible `<title>`.
  /// - Parameter title: the chart's name for screen readers and tooltips.
  /// - Returns: the SVG text (no XML declaration, so it can be inlined in HTML as is).
  public func document(title: String) -> String {
    let w = ChartNumber.coordinate(width), h = ChartNumber.coordinate(height)
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
      + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" role=\"img\">\n<title>\(title.xmlEscaped)</title>\n"
      + body.joined(separator: "\n") + "\n</svg>\n"
  }

  /// Approximate width of `text` at `size` (0.6 em per character), for layout decisions.
  /// - Parameters:
  ///   - text: the string.
  ///   - size: font size in pixels.
  /// - Returns: pixels.
  public static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.6 }
}

/// Standalone-file helpers.
public enum SVGFile {
  /// `svg` with an XML declaration in front, for writing a `.svg` file.
  /// - Parameter svg: a document from a chart.
  /// - Returns: the file's text.
  public static func standalone(_ svg: String) -> String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg }
}
