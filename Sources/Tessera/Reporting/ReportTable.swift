/// A rectangular table of already-formatted cells that renders as aligned text or CSV.
///
/// Every command that reports numbers builds one of these (through
/// ``TabularReport/table(for:)``) so `--format table` and `--format csv` look the
/// same across subcommands.
///
/// For example:
/// ```swift
/// var table = ReportTable(columns: [.init("impl"), .init("GOP/s", alignment: .right)])
/// try table.append(["openblas-sgemm", "81.2"])
/// print(table.renderedText())
/// // impl            GOP/s
/// // --------------  -----
/// // openblas-sgemm   81.2
/// ```
public struct ReportTable: Sendable, Equatable {
  /// How a column's cells line up in text output.
  public enum Alignment: Sendable, Equatable {
    /// Padded on the right (names, words).
    case left
    /// Padded on the left (numbers).
    case right
  }

  /// One column: a header and its alignment.
  public struct Column: Sendable, Equatable {
    /// The header cell.
    public var title: String
    /// Text alignment of the column's cells and header.
    public var alignment: Alignment

    /// Makes a column.
    /// - Parameters:
    ///   - title: the header cell.
    ///   - alignment: `.left` for words, `.right` for numbers.
    public init(_ title: String, alignment: Alignment = .left) {
      self.title = title
      self.alignment = alignment
    }
  }

  /// The columns, in order.
  public let columns: [Column]
  /// The body rows; each has exactly `columns.count` cells.
  public private(set) var rows: [[String]] = []

  /// Makes an empty table.
  /// - Parameter columns: the columns, in display order.
  public init(columns: [Column]) {
    self.columns = columns
  }

  /// Appends a row.
  ///
  /// - Parameter cells: one string per column.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when the cell count differs from the column count.
  public mutating func append(_ cells: [String]) throws {
    guard cells.count == columns.count else {
      throw TesseraError.invalidArgument(
        "table row has \(cells.count) cells but the table has \(columns.count) columns")
    }
    rows.append(cells)
  }

  /// Aligned plain text: a header line, a line of dashes, then one line per row,
  /// columns separated by two spaces, no trailing spaces.
  ///
  /// - Complexity: O(cells).
  public func renderedText() -> String {
    var widths = columns.map { $0.title.count }
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      var parts = [String]()
      for (index, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[index] - cell.count)
        parts.append(columns[index].alignment == .right ? padding + cell : cell + padding)
      }
      return String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
    }
    var lines = [line(columns.map(\.title))]
    lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    lines += rows.map(line)
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV as in RFC 4180: a header row then the body rows, `\n` line ends; cells
  /// holding a comma, a double quote, or a line break are quoted, with quotes doubled.
  ///
  /// - Complexity: O(characters).
  public func renderedCSV() -> String {
    var lines = [columns.map { Self.csvField($0.title) }.joined(separator: ",")]
    for row in rows { lines.append(row.map(Self.csvField).joined(separator: ",")) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One CSV field, quoted only when it must be.
  static func csvField(_ cell: String) -> String {
    guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
    return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
  }
}

extension String {
  /// Replaces every occurrence of the character `target` (Foundation-free).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self { if character == target { out += replacement } else { out.append(character) } }
    return out
  }
}
