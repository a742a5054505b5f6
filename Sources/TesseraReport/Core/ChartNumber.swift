import Foundation

/// Fixed, locale-free number formatting for charts and tables, so the same input always gives
/// the same bytes.
///
/// For example:
/// ```swift
/// ChartNumber.coordinate(12.345)   // "12.35"
/// ChartNumber.label(0.00012)       // "1.2e-4"
/// ChartNumber.label(2500)          // "2500"
/// ```
public enum ChartNumber {
  /// A pixel coordinate with two decimals (`-0.00` is written `0.00`).
  /// - Parameter value: the coordinate.
  /// - Returns: the text.
  public static func coordinate(_ value: Double) -> String {
    let text = String(format: "%.2f", value)
    return text == "-0.00" ? "0.00" : text
  }

  /// A human-readable value with up to `significant` significant digits: plain decimals between
  /// 1e-3 and 1e6, `1.2e-4` style outside, trailing zeros removed; `NaN`, `inf` and `-inf` as is.
  /// - Parameters:
  ///   - value: the number.
  ///   - significant: significant digits (1…15).
  /// - Returns: the text.
  public static func label(_ value: Double, significant: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
    if value == 0 { return "0" }
    let digits = min(max(significant, 1), 15)
    let magnitude = abs(value)
    if magnitude >= 1e6 || magnitude < 1e-3 {
      let text = String(format: "%.\(digits - 1)e", value)
      let parts = text.split(separator: "e")
      let mantissa = trimZeros(String(parts[0]))
      let exponent = Int(parts[1]) ?? 0
      return "\(mantissa)e\(exponent)"
    }
    let exponent = Int(floor(log10(magnitude)))
    let decimals = max(0, digits - 1 - exponent)
    return trimZeros(String(format: "%.\(decimals)f", value))
  }

  /// A value with exactly `decimals` decimals, for table cells (`12.30`).
  /// - Parameters:
  ///   - value: the number.
  ///   - decimals: digits after the point.
  /// - Returns: the text; `—` for a non-finite value.
  public static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "—" }
    let text = String(format: "%.\(max(decimals, 0))f", value)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
  }

  /// A fraction in [0, 1] as a percentage with `decimals` decimals (`98.50 %`).
  /// - Parameters:
  ///   - fraction: the rate.
  ///   - decimals: digits after the point.
  /// - Returns: the text; `—` for a non-finite value.
  public static func percent(_ fraction: Double, decimals: Int = 2) -> String {
    guard fraction.isFinite else { return "—" }
    return fixed(fraction * 100, decimals: decimals) + " %"
  }

  static func trimZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var out = text
    while out.hasSuffix("0") { out.removeLast() }
    if out.hasSuffix(".") { out.removeLast() }
    return out == "-0" ? "0" : out
  }
}
