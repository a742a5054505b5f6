extension Graph {
  /// The graph with each GELU written in primitive operators replaced by one `com.tessera.Gelu`
  /// node (attribute `approximate`: `"none"` for the erf form, `"tanh"` for the tanh form).
  ///
  /// Recognized (operands of Add/Mul in either order, constants as initializers or `Constant`
  /// nodes, within 1e-4 relative):
  /// - erf form, as PyTorch exports BERT and `BERTGraphBuilder`-style builders write it:
  ///   `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`, also with `Mul(x, 1/√2)` for the Div and with
  ///   the 0.5 applied as `Mul(Mul(x, 0.5), Add(…))`;
  /// - tanh form: `Mul(Mul(x, Add(Tanh(Mul(Add(x, Mul(Mul(Mul(x, x), x), 0.044715)), √(2/π))), 1)), 0.5)`.
  ///
  /// Every intermediate value must be read only inside the pattern (and not be a graph output);
  /// otherwise the nodes stay as they are.
  /// - Returns: the rewritten graph (dead pattern nodes and their unused constants removed).
  public func fusingGelu() -> Graph {
    var g = self
    var index = GraphUseIndex(self)
    var removed = Set<String>()
    var matcher = GeluMatcher(graph: self, index: index)
    for (i, node) in nodes.enumerated() where node.domain.isEmpty && node.op == "Mul" {
      guard let match = matcher.match(outer: i) else { continue }
      let name = index.uniqueName(node.name + "/Gelu")
      g.nodes[i] = Node(
        name: name, op: TesseraOperators.gelu, domain: TesseraOperators.domain, inputs: [match.x], outputs: node.outputs,
        attributes: ["approximate": .string(match.approximate)])
      removed.formUnion(match.nodes)
    }
    guard !removed.isEmpty else { return self }
    g.nodes.removeAll { removed.contains($0.name) }
    return GraphRewriting.prune(g, nodes: [], initializers: Set(initializers.keys))
  }
}

/// Pattern matching for ``Graph/fusingGelu()``.
private struct GeluMatcher {
  let graph: Graph
  let index: GraphUseIndex

  struct Match {
    let x: String
    let approximate: String
    /// Names of the pattern's nodes other than the outer Mul.
    let nodes: Set<String>
  }

  init(graph: Graph, index: GraphUseIndex) {
    self.graph = graph
    self.index = index
  }

  /// The producer of `value` when it is `op` and read only by one node.
  func inner(_ value: String, _ op: String) -> Node? {
    guard let p = index.producer[value], index.soleConsumer(of: value) != nil else { return nil }
    let n = graph.nodes[p]
    return n.domain.isEmpty && n.op == op ? n : nil
  }

  /// The scalar constant `value`, if it is one.
  func scalar(_ value: String) -> Float? {
    guard let t = index.constant(value, in: graph), t.count == 1, t.elementType.isFloatingPoint else { return nil }
    return Float(t.doubles[0])
  }

  func near(_ a: Float?, _ b: Float) -> Bool { a.map { abs($0 - b) <= 1e-4 * abs(b) } ?? false }

  /// Splits a binary node into (the operand that is not the constant `c`, the constant's name).
  func withConstant(_ n: Node, _ c: Float) -> String? {
    guard n.inputs.count == 2 else { return nil }
    if near(scalar(n.inputs[1]), c) { return n.inputs[0] }
    if near(scalar(n.inputs[0]), c) { return n.inputs[1] }
    return nil
  }

  /// Matches `1 + erf(x/√2)` or `1 + tanh(…x…)` feeding a multiplication; returns (x, form, nodes).
  func onePlus(_ value: String) -> (x: String, approximate: String, nodes: Set<String>)? {
    guard let add = inner(value, "Add"), let t = withConstant(add, 1) else { return nil }
    if let erf = inner(t, "Erf") {
      if let div = inner(erf.inputs[0], "Div"), div.inputs.count == 2, near(scalar(div.inputs[1]), Float(2).squareRoot()) {
        return (div.inputs[0], "none", [add.name, erf.name, div.name])
      }
      if let mul = inner(erf.inputs[0], "Mul"), let x = withConstant(mul, 1 / Float(2).squareRoot()) {
        return (x, "none", [add.name, erf.name, mul.name])
      }
    }
    if let tanh = inner(t, "Tanh"), let arg = inner(tanh.inputs[0], "Mul"),
      let poly = withConstant(arg, Float((2 / Double.pi).squareRoot())).flatMap({ inner($0, "Add") }), poly.inputs.count == 2
    {
      for (x, cubeTerm) in [(poly.inputs[0], poly.inputs[1]), (poly.inputs[1], poly.inputs[0])] {
        guard let scaled = inner(cubeTerm, "Mul"), let cube = withConstant(scaled, 0.044715).flatMap({ inner($0, "Mul") }),
          let square = cube.inputs.first(where: { $0 != x }).flatMap({ inner($0, "Mul") }), cube.inputs.contains(x),
          square.inputs == [x, x]
        else { continue }
        // x is read by the pattern several times and by the outer product, so it is not checked for a sole consumer.
        return (x, "tanh", [add.name, tanh.name, arg.name, poly.name, scaled.name, cube.name, square.name])
      }
    }
    return nil
  }

  /// Matches the whole GELU ending at the Mul node `outer`.
  mutating func match(outer i: Int) -> Match? {
    let outer = graph.nodes[i]
    guard outer.inputs.count == 2, outer.outputs.count == 1 else { return nil }
    // Mul(Mul(x, 1 + f(x)), 0.5)
    if let product = withConstant(outer, 0.5), let mul = inner(product, "Mul"), mul.inputs.count == 2 {
      for (x, other) in [(mul.inputs[0], mul.inputs[1]), (mul.inputs[1], mul.inputs[0])] {
        if let m = onePlus(other), m.x == x { return Match(x: x, approximate: m.approximate, nodes: m.nodes.union([mul.name])) }
      }
    }
    // Mul(Mul(x, 0.5), 1 + f(x))
    for (half, other) in [(outer.inputs[0], outer.inputs[1]), (outer.inputs[1], outer.inputs[0])] {
      guard let h = inner(half, "Mul"), let x = withConstant(h, 0.5), let m = onePlus(other), m.x == x else { continue }
      return Match(x: x, approximate: m.approximate, nodes: m.nodes.union([h.name]))
    }
    return nil
  }
}
