/// Runs a ``Graph`` node by node with ``OperatorKernels``: the definition of what a graph
/// computes, against which the engine, the passes and imported models are checked.
///
/// The interpreter validates the graph once, then each ``run(_:observe:)`` checks the inputs
/// against the declared types (symbolic dimensions such as `batch` must bind consistently),
/// evaluates the nodes in topological order and frees every intermediate value after its last
/// use.
///
/// For example:
/// ```swift
/// let interpreter = try ReferenceInterpreter(graph: graph)
/// let x = try GraphTensor(float32: [1, 2, 3], shape: [1, 3])
/// let outputs = try interpreter.run(["x": x])
/// print(outputs["y"]!.float32!)
/// ```
public struct ReferenceInterpreter: Sendable {
  /// The validated graph, nodes in topological order.
  public let graph: Graph
  /// For each node, the values whose last reader it is (freed after it runs).
  private let releases: [[String]]

  /// Prepares a graph to run.
  /// - Parameter graph: the graph.
  /// - Throws: ``GraphIRError/invalidGraph(_:)`` when ``Graph/validate()`` fails;
  ///   ``GraphIRError/unsupportedOperator(node:op:opset:)`` naming the first node whose operator
  ///   (or domain) has no kernel at the graph's opset.
  public init(graph: Graph) throws {
    let sorted = try graph.validate()
    for node in sorted.nodes where !OperatorKernels.supports(node.op, domain: node.domain, opset: sorted.opset) {
      let op = node.domain.isEmpty ? node.op : "\(node.domain).\(node.op)"
      throw GraphIRError.unsupportedOperator(node: node.name, op: op, opset: sorted.opset)
    }
    self.graph = sorted
    let kept = Set(sorted.outputs.map(\.name))
    var last = [String: Int]()
    for (i, node) in sorted.nodes.enumerated() {
      for name in node.inputs + node.outputs where !name.isEmpty { last[name] = i }
    }
    var releases = [[String]](repeating: [], count: sorted.nodes.count)
    for (name, i) in last where !kept.contains(name) && sorted.initializers[name] == nil {
      releases[i].append(name)
    }
    self.releases = releases
  }

  /// Runs the graph.
  /// - Parameters:
  ///   - inputs: a tensor for every graph input, by name (NaN elements are allowed).
  ///   - observe: called after each node with the node and its outputs (in `node.outputs`
  ///     order; an omitted optional output is skipped), e.g. to compare layers with the engine.
  /// - Returns: the graph outputs by name.
  /// - Throws: ``GraphIRError/invalidInput(_:)`` naming the input that is missing, unknown, of
  ///   another element type or rank, or whose size disagrees with a fixed dimension or with
  ///   another use of the same symbolic dimension; ``GraphIRError/invalidNode(node:op:reason:)``
  ///   naming the node whose operator rejects its inputs.
  /// - Complexity: the sum of the nodes' kernels.
  public func run(
    _ inputs: [String: GraphTensor], observe: ((Node, [GraphTensor]) -> Void)? = nil
  ) throws -> [String: GraphTensor] {
    try checkInputs(inputs)
    var values = graph.initializers
    for (name, tensor) in inputs { values[name] = tensor }
    for (i, node) in graph.nodes.enumerated() {
      let args = node.inputs.map { $0.isEmpty ? nil : values[$0] }
      let results = try OperatorKernels.evaluate(node, inputs: args, opset: graph.opset)
      var produced = [GraphTensor]()
      for (j, name) in node.outputs.enumerated() where !name.isEmpty {
        guard j < results.count else {
          throw GraphIRError.invalidNode(node: node.name, op: node.op, reason: "output \(j) ('\(name)') is not produced")
        }
        values[name] = results[j]
        produced.append(results[j])
      }
      observe?(node, produced)
      for name in releases[i] { values[name] = nil }
    }
    var outputs = [String: GraphTensor]()
    for output in graph.outputs { outputs[output.name] = values[output.name] }
    return outputs
  }

  /// Checks the inputs against the graph's declared inputs and binds symbolic dimensions.
  private func checkInputs(_ inputs: [String: GraphTensor]) throws {
    let declared = Set(graph.inputs.map(\.name))
    if let unknown = inputs.keys.filter({ !declared.contains($0) }).sorted().first {
      throw GraphIRError.invalidInput("'\(unknown)' is not an input of graph '\(graph.name)' (inputs: \(graph.inputs.map(\.name)))")
    }
    var bindings = [String: (size: Int, input: String)]()
    for info in graph.inputs {
      guard let tensor = inputs[info.name] else { throw GraphIRError.invalidInput("input '\(info.name)' is missing") }
      guard tensor.elementType == info.type.elementType else {
        throw GraphIRError.invalidInput("input '\(info.name)' is \(tensor.elementType), expected \(info.type.elementType)")
      }
      guard let shape = info.type.shape else { continue }
      guard tensor.shape.count == shape.count else {
        throw GraphIRError.invalidInput("input '\(info.name)' has shape \(tensor.shape), expected rank \(shape.count) (\(info.type))")
      }
      for (axis, dim) in shape.enumerated() {
        let size = tensor.shape[axis]
        switch dim {
        case let .fixed(expected) where expected != size:
          throw GraphIRError.invalidInput("input '\(info.name)' has shape \(tensor.shape), expected \(info.type) (dimension \(axis) is \(size), not \(expected))")
        case let .symbol(symbol):
          if let bound = bindings[symbol], bound.size != size {
            throw GraphIRError.invalidInput(
              "input '\(info.name)' dimension \(axis) ('\(symbol)') is \(size), but '\(symbol)' is \(bound.size) in input '\(bound.input)'")
          }
          bindings[symbol] = bindings[symbol] ?? (size, info.name)
        default: break
        }
      }
    }
  }
}
