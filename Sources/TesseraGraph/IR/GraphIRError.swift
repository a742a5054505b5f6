/// A problem with a graph, a tensor or a model file, as a one-line message that names the node,
/// value or tensor concerned.
public enum GraphIRError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A tensor whose shape, element count or bytes are wrong.
  case invalidTensor(String)
  /// A malformed graph: a cycle, a missing value, a duplicate name, a bad attribute.
  case invalidGraph(String)
  /// An operator (or opset) the IR does not implement: node name, op type and opset.
  case unsupportedOperator(node: String, op: String, opset: Int)
  /// A node whose inputs do not fit its operator (shapes, types, attribute values).
  case invalidNode(node: String, op: String, reason: String)
  /// Missing or mismatched inputs when running a graph.
  case invalidInput(String)

  /// The message.
  public var description: String {
    switch self {
    case let .invalidTensor(m): "invalid tensor: \(m)"
    case let .invalidGraph(m): "invalid graph: \(m)"
    case let .unsupportedOperator(node, op, opset):
      "node '\(node)': operator '\(op)' at opset \(opset) is not supported"
    case let .invalidNode(node, op, reason): "node '\(node)' (\(op)): \(reason)"
    case let .invalidInput(m): "invalid input: \(m)"
    }
  }
}
