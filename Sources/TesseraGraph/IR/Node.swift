/// One operation of a ``Graph``: an operator (ONNX `op_type` and domain), named input and output
/// values, and attributes.
///
/// An empty input name marks an omitted optional input (as in ONNX).
///
/// For example:
/// ```swift
/// let node = Node(name: "fc1", op: "Gemm", inputs: ["x", "fc1.weight", "fc1.bias"], outputs: ["h1"],
///                 attributes: ["transB": .int(1)])
/// ```
public struct Node: Sendable, Equatable {
  /// Unique node name (used in messages and reports).
  public var name: String
  /// Operator type, with ONNX's spelling (`Gemm`, `Conv`, `Relu`, …).
  public var op: String
  /// Operator domain: `""` for the ONNX default domain, `com.tessera` for Tessera's own ops.
  public var domain: String
  /// Input value names; `""` marks an omitted optional input.
  public var inputs: [String]
  /// Output value names.
  public var outputs: [String]
  /// Attributes by name.
  public var attributes: [String: Attribute]

  /// Makes a node.
  /// - Parameters:
  ///   - name: unique name.
  ///   - op: operator type.
  ///   - domain: operator domain (`""` = ONNX).
  ///   - inputs: input value names.
  ///   - outputs: output value names.
  ///   - attributes: attributes.
  public init(
    name: String, op: String, domain: String = "", inputs: [String], outputs: [String],
    attributes: [String: Attribute] = [:]
  ) {
    self.name = name
    self.op = op
    self.domain = domain
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }

  /// The input at `index`, or nil when absent or omitted.
  /// - Parameter index: input position.
  public func input(_ index: Int) -> String? {
    index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
  }

  private func bad(_ reason: String) -> GraphIRError { .invalidNode(node: name, op: op, reason: reason) }

  /// An integer attribute, or `defaultValue` when absent.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when present with another type, or
  ///   absent without a default.
  public func int(_ key: String, default defaultValue: Int? = nil) throws -> Int {
    guard let a = attributes[key] else {
      if let defaultValue { return defaultValue }
      throw bad("attribute '\(key)' is required")
    }
    guard let v = a.int else { throw bad("attribute '\(key)' must be an integer, got \(a)") }
    return v
  }

  /// A float attribute, or `defaultValue` when absent.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when present with another type, or
  ///   absent without a default.
  public func float(_ key: String, default defaultValue: Float? = nil) throws -> Float {
    guard let a = attributes[key] else {
      if let defaultValue { return defaultValue }
      throw bad("attribute '\(key)' is required")
    }
    guard let v = a.float else { throw bad("attribute '\(key)' must be a number, got \(a)") }
    return v
  }

  /// An integer-list attribute, or `defaultValue` when absent (nil default: nil when absent).
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when present with another type.
  public func ints(_ key: String, default defaultValue: [Int]? = nil) throws -> [Int]? {
    guard let a = attributes[key] else { return defaultValue }
    if let v = a.ints { return v }
    if let v = a.int { return [v] }
    throw bad("attribute '\(key)' must be a list of integers, got \(a)")
  }

  /// A string attribute, or `defaultValue` when absent.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when present with another type.
  public func string(_ key: String, default defaultValue: String) throws -> String {
    guard let a = attributes[key] else { return defaultValue }
    guard let v = a.string else { throw bad("attribute '\(key)' must be a string, got \(a)") }
    return v
  }
}
