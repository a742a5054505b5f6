/// Who produces and who reads each value of a graph, and which names are taken: the bookkeeping
/// the rewriting passes share.
struct GraphUseIndex {
  /// The index of the node producing each value.
  private(set) var producer: [String: Int] = [:]
  /// The indices of the nodes reading each value (a node reading it twice is listed once).
  private(set) var consumers: [String: [Int]] = [:]
  /// Names of the graph outputs.
  let graphOutputs: Set<String>
  /// Every value and node name in use (new names avoid them).
  private var taken: Set<String> = []

  /// Indexes `graph`.
  /// - Parameter graph: the graph.
  init(_ graph: Graph) {
    graphOutputs = Set(graph.outputs.map(\.name))
    taken = graphOutputs.union(graph.inputs.map(\.name)).union(graph.initializers.keys)
    for (i, node) in graph.nodes.enumerated() {
      taken.insert(node.name)
      for o in node.outputs where !o.isEmpty {
        producer[o] = i
        taken.insert(o)
      }
      for input in Set(node.inputs) where !input.isEmpty { consumers[input, default: []].append(i) }
    }
  }

  /// The node that alone reads `value`, when exactly one node reads it and it is not a graph
  /// output (so the value can disappear in a fusion).
  func soleConsumer(of value: String) -> Int? {
    guard !graphOutputs.contains(value), let c = consumers[value], c.count == 1 else { return nil }
    return c[0]
  }

  /// True when nothing reads `value` and it is not a graph output.
  func isUnused(_ value: String) -> Bool { (consumers[value] ?? []).isEmpty && !graphOutputs.contains(value) }

  /// A name based on `base` that no value or node of the graph uses yet (`base`, `base_1`, …),
  /// reserved from now on.
  mutating func uniqueName(_ base: String) -> String {
    var name = base
    var k = 0
    while taken.contains(name) {
      k += 1
      name = "\(base)_\(k)"
    }
    taken.insert(name)
    return name
  }

  /// The constant tensor named `value`: an initializer, or the output of a `Constant` node.
  /// - Parameters:
  ///   - value: a value name.
  ///   - graph: the indexed graph.
  func constant(_ value: String, in graph: Graph) -> GraphTensor? {
    if let t = graph.initializers[value] { return t }
    guard let p = producer[value], graph.nodes[p].op == "Constant", graph.nodes[p].domain.isEmpty else { return nil }
    return (try? ShapeInferrer.constantValue(of: graph.nodes[p])) ?? nil
  }
}

/// Clean-up shared by the passes.
enum GraphRewriting {
  /// Removes the named nodes whose outputs nobody reads any more (and, in turn, `Constant` nodes
  /// that only fed removed nodes), then the named initializers nobody reads, and the recorded
  /// types of removed values.
  /// - Parameters:
  ///   - graph: a rewritten graph.
  ///   - nodes: names of nodes that may have become dead.
  ///   - initializers: names of initializers that may have become unused.
  static func prune(_ graph: Graph, nodes: Set<String>, initializers: Set<String>) -> Graph {
    var g = graph
    var candidates = nodes
    var unusedInitializers = initializers
    var removedValues = Set<String>()
    while true {
      let index = GraphUseIndex(g)
      guard
        let i = g.nodes.indices.first(where: {
          candidates.contains(g.nodes[$0].name) && g.nodes[$0].outputs.allSatisfy { $0.isEmpty || index.isUnused($0) }
        })
      else { break }
      let node = g.nodes.remove(at: i)
      candidates.remove(node.name)
      removedValues.formUnion(node.outputs)
      for input in node.inputs where !input.isEmpty {
        if g.initializers[input] != nil { unusedInitializers.insert(input) }
        if let p = index.producer[input], g.nodes[p].op == "Constant" { candidates.insert(g.nodes[p].name) }
      }
    }
    let index = GraphUseIndex(g)
    for name in unusedInitializers where index.isUnused(name) {
      g.initializers[name] = nil
      removedValues.insert(name)
    }
    for value in removedValues { g.valueTypes[value] = nil }
    return g
  }
}
