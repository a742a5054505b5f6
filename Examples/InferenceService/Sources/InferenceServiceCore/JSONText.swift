/// Builds the service's JSON responses as text, without an encoder pass per float.
enum JSONText {
  /// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
  static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `[v, …]` with each float in its shortest round-tripping form.
  /// - Throws: ``RequestError`` 500 for a non-finite value (JSON has no NaN or infinity).
  static func array(_ values: [Float], into out: inout String) throws {
    out += "["
    for (index, value) in values.enumerated() {
      guard value.isFinite else { throw RequestError(status: 500, "the model produced a non-finite output (\(value))") }
      if index > 0 { out += "," }
      out += value.description
    }
    out += "]"
  }

  /// `{"error": "message"}`.
  static func error(_ message: String) -> String { "{\"error\":\(string(message))}" }
}
