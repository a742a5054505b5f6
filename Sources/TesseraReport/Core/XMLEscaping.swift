extension String {
  /// The string with `&`, `<`, `>`, `"` and `'` replaced by XML entities, safe inside SVG/HTML text
  /// and attribute values.
  public var xmlEscaped: String {
    var out = ""
    out.reserveCapacity(utf8.count)
    for c in self {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}
