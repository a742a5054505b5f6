import Foundation
import Yams

/// A YAML node together with its path from the document root, so every error names the
/// field (`levels[2].capacity_bytes`) and its line.
struct YAMLField {
  let node: Node
  let path: String

  /// Parses a document.
  static func root(_ text: String) throws -> YAMLField {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw SchedulerError.malformedYAML(String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error")
    }
    guard let node else { throw SchedulerError.invalidSpec(path: "", message: "the document is empty") }
    return YAMLField(node: node, path: "")
  }

  private var location: String { node.mark.map { " (line \($0.line))" } ?? "" }

  func fail(_ message: String) -> SchedulerError {
    .invalidSpec(path: path, message: message + location)
  }

  private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The mapping's entries, after checking that every key is one of `allowed`.
  func mapping(allowed: [String]) throws -> Node.Mapping {
    guard let mapping = node.mapping else { throw fail("expected a mapping of keys to values") }
    for key in mapping.keys {
      guard let name = key.string, allowed.contains(name) else {
        let shown = key.string ?? "\(key)"
        throw SchedulerError.invalidSpec(
          path: childPath(shown), message: "unknown field (allowed: \(allowed.joined(separator: ", ")))")
      }
    }
    return mapping
  }

  /// The child field `key`, or `nil` when absent.
  func optional(_ key: String) -> YAMLField? {
    guard let value = node.mapping?[key] else { return nil }
    if case .scalar(let scalar) = value, scalar.tag.rawValue == Tag.Name.null.rawValue || scalar.string == "~" {
      return nil
    }
    return YAMLField(node: value, path: childPath(key))
  }

  /// The child field `key`; throws "missing" naming its path when absent.
  func required(_ key: String) throws -> YAMLField {
    guard let field = optional(key) else {
      throw SchedulerError.invalidSpec(path: childPath(key), message: "missing required field" + location)
    }
    return field
  }

  /// The elements of a sequence with their paths.
  func sequence() throws -> [YAMLField] {
    guard let seq = node.sequence else { throw fail("expected a list") }
    return seq.enumerated().map { YAMLField(node: $1, path: "\(path)[\($0)]") }
  }

  func string() throws -> String {
    guard case .scalar(let scalar) = node else { throw fail("expected a string") }
    return scalar.string
  }

  func double() throws -> Double {
    guard case .scalar(let scalar) = node else { throw fail("expected a number") }
    let text = scalar.string.replacingOccurrences(of: "_", with: "")
    guard let value = Double(text), value.isFinite else { throw fail("'\(scalar.string)' is not a number") }
    return value
  }

  func int() throws -> Int {
    let value = try double()
    guard value == value.rounded(), abs(value) < 9e15 else { throw fail("\(value) is not a whole number") }
    return Int(value)
  }

  func bool() throws -> Bool {
    guard case .scalar(let scalar) = node else { throw fail("expected true or false") }
    switch scalar.string.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw fail("'\(scalar.string)' is not true or false")
    }
  }

  /// A number that must be positive (`> 0`).
  func positive() throws -> Double {
    let value = try double()
    guard value > 0 else { throw fail("must be positive (got \(Self.format(value)))") }
    return value
  }

  /// A number that must not be negative.
  func nonNegative() throws -> Double {
    let value = try double()
    guard value >= 0 else { throw fail("must not be negative (got \(Self.format(value)))") }
    return value
  }

  /// A whole number that must be at least 1.
  func count() throws -> Int {
    let value = try int()
    guard value >= 1 else { throw fail("must be at least 1 (got \(value))") }
    return value
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }
}
