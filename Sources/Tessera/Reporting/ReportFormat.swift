import Foundation

/// How a command prints its report: `--format table|json|csv` (`--json` = `json`).
///
/// JSON goes to standard output alone; progress and logs go to standard error, so
/// `tessera bench --json > out.json` is always parseable.
public enum ReportFormat: String, CaseIterable, Sendable, CustomStringConvertible {
  /// Aligned text for people, with notes under the table.
  case table
  /// One JSON document with the field names fixed by docs (snake_case keys).
  case json
  /// RFC 4180 CSV with machine-readable headers and unformatted numbers.
  case csv

  /// The name as typed on the command line.
  public var description: String { rawValue }

  /// Renders `report` in this format.
  ///
  /// - Parameter report: any report that can be encoded and tabulated.
  /// - Returns: the complete text to write to standard output, ending in a newline.
  /// - Throws: `EncodingError` when JSON encoding fails (for example a NaN that
  ///   the report did not turn into `null`).
  public func render<Report: TabularReport>(_ report: Report) throws -> String {
    switch self {
    case .json:
      return try Self.encodeJSON(report) + "\n"
    case .csv:
      return report.table(for: .csv).renderedCSV()
    case .table:
      var text = ""
      if let title = report.title { text += title + "\n\n" }
      text += report.table(for: .table).renderedText()
      if !report.notes.isEmpty { text += "\n" + report.notes.map { $0 + "\n" }.joined() }
      return text
    }
  }

  /// Pretty-printed JSON with sorted keys and unescaped slashes (no trailing newline).
  ///
  /// - Parameter value: the value to encode.
  /// - Throws: `EncodingError` for values JSON cannot hold, such as NaN.
  public static func encodeJSON<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

/// A report that a command can print as a table, JSON or CSV.
///
/// Conforming types are `Encodable` with the JSON field names of the command-line
/// contract (docs/ARCHITECTURE.md) and describe their table once; rendering is
/// shared through ``ReportFormat/render(_:)``.
public protocol TabularReport: Encodable {
  /// The rows to print.
  ///
  /// - Parameter format: `.table` for human cells (formatted numbers, short headers)
  ///   or `.csv` for machine cells (JSON field names as headers, plain numbers).
  /// - Returns: the table; never called with `.json`.
  func table(for format: ReportFormat) -> ReportTable
  /// A line printed above the table in `.table` format (default none).
  var title: String? { get }
  /// Lines printed under the table in `.table` format, such as footnotes (default none).
  var notes: [String] { get }
}

extension TabularReport {
  /// No title by default.
  public var title: String? { nil }
  /// No notes by default.
  public var notes: [String] { [] }
}

/// Number formatting shared by every report so figures read the same everywhere.
public enum ReportNumber {
  /// `value` with `significant` significant digits but never more than `maxDecimals`
  /// decimals, and without exponent notation. With the defaults: 1234.6 → "1235" (whole
  /// digits are never dropped), 12.345 → "12.35", 0.012345 → "0.0123".
  ///
  /// - Parameters:
  ///   - value: the number; NaN and infinities print as "n/a".
  ///   - significant: significant digits wanted (at least 1).
  ///   - maxDecimals: upper bound on decimals.
  /// - Returns: the formatted number.
  public static func format(_ value: Double, significant: Int = 4, maxDecimals: Int = 4) -> String {
    guard value.isFinite else { return "n/a" }
    guard value != 0 else { return "0" }
    let magnitude = Int((abs(value)).log10Floor)
    let decimals = Swift.min(maxDecimals, Swift.max(0, Swift.max(significant, 1) - 1 - magnitude))
    return String(format: "%.\(decimals)f", value)
  }

  /// `value` rounded to `decimals` decimals for JSON and CSV (so 81.23456789 → 81.235).
  ///
  /// - Parameters:
  ///   - value: the number.
  ///   - decimals: decimals to keep (0...12).
  /// - Returns: the rounded value; non-finite values are returned unchanged.
  public static func rounded(_ value: Double, decimals: Int = 3) -> Double {
    guard value.isFinite else { return value }
    var scale = 1.0
    for _ in 0..<Swift.min(Swift.max(decimals, 0), 12) { scale *= 10 }
    return (value * scale).rounded() / scale
  }

  /// A plain number for CSV cells: integers without a decimal point, other values in
  /// Swift's shortest round-trip form (no grouping separators).
  ///
  /// - Parameter value: the number (`nil` prints as an empty cell).
  /// - Returns: the cell text.
  public static func csv(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}

extension Double {
  /// ⌊log10(self)⌋ for positive finite values.
  var log10Floor: Double { Foundation.floor(Foundation.log10(self)) }
}
