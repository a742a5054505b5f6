import Testing

@testable import TesseraGraph

/// Small graphs for the shape-inference tests.
enum ShapeFixtures {
  /// A graph with the given inputs, initializers and nodes; the listed outputs are declared with
  /// an unknown shape so inference decides it.
  static func graph(
    inputs: [(String, TensorType)], initializers: [String: GraphTensor] = [:], nodes: [Node],
    outputs: [(String, ElementType)], opset: Int = 17
  ) -> Graph {
    var g = Graph(name: "shapes", opset: opset)
    g.inputs = inputs.map { ValueInfo(name: $0.0, type: $0.1) }
    g.initializers = initializers
    g.nodes = nodes
    g.outputs = outputs.map { ValueInfo(name: $0.0, type: TensorType($0.1, nil)) }
    return g
  }

  /// The shape inferred for `value` in a one-node graph over one input.
  static func infer(
    _ node: Node, input: TensorType, initializers: [String: GraphTensor] = [:], output: ElementType = .float32,
    opset: Int = 17
  ) throws -> [Dimension]? {
    let g = graph(
      inputs: [(node.inputs[0], input)], initializers: initializers, nodes: [node], outputs: [(node.outputs[0], output)],
      opset: opset)
    return try g.inferringTypes().valueTypes[node.outputs[0]]?.shape
  }

  /// A float32 initializer of zeros.
  static func zeros(_ shape: [Int]) throws -> GraphTensor { try GraphTensor(zeros: .float32, shape: shape) }

  /// An int64 initializer.
  static func ints(_ values: [Int64]) throws -> GraphTensor { try GraphTensor(int64: values, shape: [values.count]) }

  /// The message of the error `body` throws, or "" when it does not throw.
  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch {
      return "\(error)"
    }
  }
}
