/// One section of the report page: a heading, short lines of context, summary tables and charts.
public struct ReportSection: Sendable {
  /// Anchor id (letters, digits and dashes).
  public var id: String
  /// Heading.
  public var title: String
  /// Lines of context under the heading (escaped when rendered).
  public var lines: [String]
  /// Summary tables.
  public var tables: [HTMLTable]
  /// Charts: complete `<svg>` documents from this module's charts.
  public var figures: [String]

  /// Makes a section.
  /// - Parameters:
  ///   - id: anchor id.
  ///   - title: heading.
  ///   - lines: context.
  ///   - tables: tables.
  ///   - figures: SVG charts.
  public init(id: String, title: String, lines: [String] = [], tables: [HTMLTable] = [], figures: [String] = []) {
    self.id = id
    self.title = title
    self.lines = lines
    self.tables = tables
    self.figures = figures
  }

  /// The `<section>` element.
  public var html: String {
    var out = "<section id=\"\(id.xmlEscaped)\">\n<h2>\(title.xmlEscaped)</h2>\n"
    for line in lines { out += "<p>\(line.xmlEscaped)</p>\n" }
    for table in tables { out += table.html }
    for figure in figures { out += "<figure>\n\(figure)</figure>\n" }
    return out + "</section>\n"
  }
}
