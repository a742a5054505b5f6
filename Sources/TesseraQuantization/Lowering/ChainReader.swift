import TesseraNN

/// Walks a graph that is a single chain from its one input to its one output, the shape the
/// fast engine runs: each step is the one node that reads the current value; every other input
/// of that node must be a constant (an initializer or a `Constant` node's value).
struct ChainReader {
  let graph: Graph
  /// Initializers and `Constant` outputs.
  private(set) var constants: [String: GraphTensor]
  private var consumers: [String: [Node]] = [:]
  /// The value the next node must read.
  var current: String
  /// The graph's output value.
  let output: String

  /// Prepares a walk; fails when the graph does not have exactly one float32 input and one output.
  init(_ graph: Graph) throws {
    let sorted = try graph.validate()
    self.graph = sorted
    guard sorted.inputs.count == 1, sorted.outputs.count == 1, sorted.inputs[0].type.elementType == .float32 else {
      throw LoweringError("the fast engine needs one float32 input and one output (the graph has \(sorted.inputs.count) and \(sorted.outputs.count))")
    }
    constants = sorted.initializers
    for node in sorted.nodes {
      if node.op == "Constant", node.domain.isEmpty, let value = node.attributes["value"]?.tensor, node.outputs.count == 1 {
        constants[node.outputs[0]] = value
        continue
      }
      for input in Set(node.inputs) where !input.isEmpty { consumers[input, default: []].append(node) }
    }
    current = sorted.inputs[0].name
    output = sorted.outputs[0].name
  }

  /// True when the walk has reached the graph output.
  var finished: Bool { current == output }

  /// The next node of the chain (nil at the end), checking that it is the only reader of the
  /// current value and that its other inputs are constants.
  func next() throws -> Node? {
    guard !finished else { return nil }
    let readers = consumers[current] ?? []
    guard readers.count == 1, let node = readers.first else {
      throw LoweringError("value '\(current)' is read by \(readers.count) nodes (the fast engine runs chains only)")
    }
    guard node.domain.isEmpty || node.domain == "ai.onnx" else {
      throw LoweringError("node '\(node.name)' is in domain '\(node.domain)'")
    }
    for input in node.inputs where !input.isEmpty && input != current && constants[input] == nil {
      if !Self.dequantizedConstantOps.contains(node.op) && producerIsConstantDequantize(input) { continue }
      throw LoweringError("node '\(node.name)' (\(node.op)) reads '\(input)', which is neither the chain value nor a constant")
    }
    return node
  }

  /// Ops whose extra inputs must be plain constants.
  private static let dequantizedConstantOps: Set<String> = ["DequantizeLinear", "QuantizeLinear"]

  /// True when `value` is produced by a `DequantizeLinear` of constants (QDQ weights and biases).
  func producerIsConstantDequantize(_ value: String) -> Bool {
    guard let node = graph.producer(of: value), node.op == "DequantizeLinear" else { return false }
    return node.inputs.allSatisfy { $0.isEmpty || constants[$0] != nil }
  }

  /// A constant input of `node`, or nil when absent.
  func constant(_ node: Node, _ index: Int) -> GraphTensor? { node.input(index).flatMap { constants[$0] } }

  /// The follower of `node`'s output if it is the only reader and has op `op`.
  func follower(of node: Node, op: String) -> Node? {
    guard let out = node.outputs.first, out != output, let readers = consumers[out], readers.count == 1,
      readers[0].op == op
    else { return nil }
    return readers[0]
  }
}

/// Why a graph cannot run on the fast (Sequential-style) engine; the caller falls back to the
/// reference interpreter.
struct LoweringError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
