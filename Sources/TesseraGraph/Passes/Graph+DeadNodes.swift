extension Graph {
  /// The graph without the nodes none of whose outputs reach a graph output, and without the
  /// initializers no remaining node reads (unless an initializer is itself a graph output).
  ///
  /// Graph inputs stay, even unread (they are the model's interface). A node is kept whole when
  /// any one of its outputs is needed. The recorded ``valueTypes`` of removed values are dropped.
  /// - Returns: the pruned graph, remaining nodes in their original order.
  /// - Complexity: O(nodes + values).
  public func removingDeadNodes() -> Graph {
    var producer = [String: Int]()
    for (i, node) in nodes.enumerated() { for o in node.outputs where !o.isEmpty { producer[o] = i } }
    var live = Set(outputs.map(\.name))
    var stack = Array(live)
    var keep = [Bool](repeating: false, count: nodes.count)
    while let value = stack.popLast() {
      guard let i = producer[value], !keep[i] else { continue }
      keep[i] = true
      for input in nodes[i].inputs where !input.isEmpty && live.insert(input).inserted { stack.append(input) }
    }
    var g = self
    g.nodes = nodes.indices.filter { keep[$0] }.map { nodes[$0] }
    g.initializers = initializers.filter { live.contains($0.key) }
    let existing = Set(g.nodes.flatMap(\.outputs)).union(inputs.map(\.name))
    g.valueTypes = valueTypes.filter { existing.contains($0.key) }
    return g
  }
}
