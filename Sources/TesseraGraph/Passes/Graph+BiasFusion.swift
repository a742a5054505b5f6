extension Graph {
  /// The graph with each `MatMul` or C-less `Gemm` followed by an `Add` of a constant bias
  /// rewritten as one `Gemm` whose C is the bias.
  ///
  /// Preconditions, else nothing changes: the product's output is read by the Add alone and is
  /// not a graph output; the Add's other operand is a constant (initializer or `Constant` node)
  /// of shape `[N]` or `[1, N]` with the product's element type, N its output columns; A and B
  /// have known rank-2 types (from the initializers, graph inputs or ``valueTypes`` — run
  /// ``inferringTypes()`` first) and N is fixed. A Gemm keeps alpha and its transposes; `beta`
  /// becomes 1. The Add's output becomes the Gemm's.
  /// - Returns: the fused graph (Add nodes removed).
  public func fusingBias() -> Graph {
    var g = self
    let index = GraphUseIndex(self)
    var removed = Set<String>()
    for add in nodes where add.op == "Add" && add.domain.isEmpty && add.outputs.count == 1 {
      for (product, other) in [(0, 1), (1, 0)] {
        guard let h = add.input(product), let biasName = add.input(other), let p = index.producer[h],
          index.soleConsumer(of: h) != nil, let bias = index.constant(biasName, in: g)
        else { continue }
        var node = g.nodes[p]
        guard node.domain.isEmpty, node.outputs.count == 1, node.op == "MatMul" || (node.op == "Gemm" && node.input(2) == nil),
          node.inputs.count >= 2, let a = type(of: node.inputs[0]), a.shape?.count == 2,
          let b = type(of: node.inputs[1])?.shape, b.count == 2, bias.elementType == a.elementType, a.elementType.isFloatingPoint
        else { continue }
        let transB = node.op == "Gemm" && (try? node.int("transB", default: 0)) != 0
        guard let n = (transB ? b[0] : b[1]).value, bias.shape == [n] || bias.shape == [1, n] else { continue }
        if node.op == "MatMul" { node.attributes = [:] }
        node.op = "Gemm"
        node.attributes["beta"] = nil
        node.inputs = [node.inputs[0], node.inputs[1], biasName]
        node.outputs = add.outputs
        g.nodes[p] = node
        g.valueTypes[h] = nil
        removed.insert(add.name)
        break
      }
    }
    g.nodes.removeAll { removed.contains($0.name) }
    return g
  }
}
