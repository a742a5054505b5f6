/// A table for the report page: a header row and text cells (escaped when rendered); cells that
/// look numeric are right-aligned.
public struct HTMLTable: Sendable, Equatable {
  /// Caption above the table, or empty.
  public var caption: String
  /// Column headers (with units).
  public var header: [String]
  /// Rows of cells.
  public var rows: [[String]]

  /// Makes a table.
  /// - Parameters:
  ///   - caption: caption.
  ///   - header: column headers.
  ///   - rows: rows.
  public init(caption: String = "", header: [String], rows: [[String]]) {
    self.caption = caption
    self.header = header
    self.rows = rows
  }

  /// The `<table>` element.
  public var html: String {
    var out = "<table>\n"
    if !caption.isEmpty { out += "<caption>\(caption.xmlEscaped)</caption>\n" }
    out += "<thead><tr>" + header.map { "<th>\($0.xmlEscaped)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows {
      out += "<tr>" + row.map { cell in
        Self.isNumeric(cell) ? "<td class=\"num\">\(cell.xmlEscaped)</td>" : "<td>\(cell.xmlEscaped)</td>"
      }.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }

  /// A number, possibly with a sign, `%`, `×`, ` / ` or a bracketed count (`97.90 % (39)`,
  /// `784×6×25`, `4000 / 1000`), or the missing-value dash; not `2:4` or `8-bit`.
  static func isNumeric(_ cell: String) -> Bool {
    if cell == "—" { return true }
    guard let first = cell.unicodeScalars.first, ("0"..."9").contains(first) || ((first == "-" || first == "+") && cell.count > 1) else {
      return false
    }
    let allowed = Set("0123456789.,+-e %×/()")
    return cell.allSatisfy { allowed.contains($0) }
  }
}
