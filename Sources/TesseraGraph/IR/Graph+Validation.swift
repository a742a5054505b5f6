extension Graph {
  /// Checks the graph's structure and returns it with nodes in topological order.
  ///
  /// Checks: the opset is in ``supportedOpsets``; node names are non-empty and unique; every value
  /// has exactly one producer (graph input, initializer or node output); every node input and
  /// graph output is produced; there is no cycle; every declared shape has at most 2³¹ elements.
  /// Operators are not checked here (the interpreter and engine name unsupported ones).
  /// - Returns: the same graph, nodes sorted so that each runs after its inputs' producers
  ///   (stable: independent nodes keep their order).
  /// - Throws: ``GraphIRError/invalidGraph(_:)`` naming the first problem.
  @discardableResult
  public func validate() throws -> Graph {
    guard Self.supportedOpsets.contains(opset) else {
      throw GraphIRError.invalidGraph("opset \(opset) is outside the supported range \(Self.supportedOpsets.lowerBound)-\(Self.supportedOpsets.upperBound)")
    }
    var producers = [String: String]()
    func produce(_ value: String, by who: String) throws {
      guard !value.isEmpty else { throw GraphIRError.invalidGraph("\(who) produces a value with an empty name") }
      if let other = producers[value] {
        throw GraphIRError.invalidGraph("value '\(value)' is produced by both \(other) and \(who)")
      }
      producers[value] = who
    }
    for input in inputs { try produce(input.name, by: "graph input '\(input.name)'") }
    for name in initializers.keys.sorted() { try produce(name, by: "initializer '\(name)'") }
    var nodeNames = Set<String>()
    for node in nodes {
      guard !node.name.isEmpty else { throw GraphIRError.invalidGraph("a '\(node.op)' node has no name") }
      guard nodeNames.insert(node.name).inserted else { throw GraphIRError.invalidGraph("two nodes are named '\(node.name)'") }
      for output in node.outputs where !output.isEmpty { try produce(output, by: "node '\(node.name)'") }
    }
    for node in nodes {
      for input in node.inputs where !input.isEmpty && producers[input] == nil {
        let hint = initializers.isEmpty ? "" : " (no initializer, graph input or node output has that name)"
        throw GraphIRError.invalidGraph("node '\(node.name)' (\(node.op)) reads '\(input)', which nothing produces\(hint)")
      }
    }
    for output in outputs where producers[output.name] == nil {
      throw GraphIRError.invalidGraph("graph output '\(output.name)' is not produced by any node, input or initializer")
    }
    for info in inputs + outputs { try Self.checkDeclared(info.type, of: info.name) }
    for (name, type) in valueTypes { try Self.checkDeclared(type, of: name) }
    var sorted = self
    sorted.nodes = try topologicalOrder()
    return sorted
  }

  /// The nodes in a stable topological order.
  /// - Throws: ``GraphIRError/invalidGraph(_:)`` naming a node on a cycle.
  public func topologicalOrder() throws -> [Node] {
    var producerIndex = [String: Int]()
    for (i, node) in nodes.enumerated() { for o in node.outputs where !o.isEmpty { producerIndex[o] = i } }
    var pending = [Int](repeating: 0, count: nodes.count)
    var consumers = [[Int]](repeating: [], count: nodes.count)
    for (i, node) in nodes.enumerated() {
      for input in Set(node.inputs) where !input.isEmpty {
        guard let p = producerIndex[input] else { continue }
        pending[i] += 1
        consumers[p].append(i)
      }
    }
    // Kahn's algorithm; a min-heap on the original index would be stabler, but scanning the
    // ready list in index order is enough for the small graphs the IR targets.
    var ready = (0..<nodes.count).filter { pending[$0] == 0 }
    var order = [Node]()
    order.reserveCapacity(nodes.count)
    var done = [Bool](repeating: false, count: nodes.count)
    while !ready.isEmpty {
      let i = ready.min()!
      ready.remove(at: ready.firstIndex(of: i)!)
      done[i] = true
      order.append(nodes[i])
      for c in consumers[i] {
        pending[c] -= 1
        if pending[c] == 0 { ready.append(c) }
      }
    }
    if order.count < nodes.count, let stuck = done.firstIndex(of: false) {
      throw GraphIRError.invalidGraph("the graph has a cycle through node '\(nodes[stuck].name)' (\(nodes[stuck].op))")
    }
    return order
  }

  static func checkDeclared(_ type: TensorType, of name: String) throws {
    guard let shape = type.shape else { return }
    let fixed = shape.compactMap(\.value)
    do {
      _ = try GraphTensor.elementCount(fixed, what: "value '\(name)'")
    } catch let GraphIRError.invalidTensor(message) {
      throw GraphIRError.invalidGraph(message)
    }
  }
}
