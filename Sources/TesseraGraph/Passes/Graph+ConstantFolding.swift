extension Graph {
  /// The largest element count of a tensor that ``foldingConstants(evaluate:)`` stores as an
  /// initializer (2²⁴ = 16,777,216): a larger result (an `Expand` or `Range` of a small input)
  /// would bloat the model file, so its node stays and computes it at run time.
  public static let constantFoldingElementLimit = 1 << 24

  /// The graph with every node whose inputs are all constant replaced by initializers holding
  /// its outputs.
  ///
  /// Constant inputs are initializers, outputs of `Constant` nodes (which become initializers
  /// too, without calling `evaluate`) and outputs of nodes folded before. A `Shape` node is
  /// folded without `evaluate` when its input's shape is fully fixed (from an initializer, the
  /// graph inputs or ``valueTypes`` — run ``inferringTypes()`` first to know more shapes). Other
  /// default-domain operators of ``OperatorSet/supported`` are evaluated through `evaluate` (the
  /// reference interpreter); nodes of other domains are left alone.
  ///
  /// Limits: a node is not folded when an output has more than ``constantFoldingElementLimit``
  /// elements (known from ``valueTypes`` before evaluating, else checked after). A folded value
  /// that is a graph output keeps its name: it is produced by an `Identity` node reading a new
  /// initializer `<output>_folded`. Initializers that only folded nodes read are removed, and so
  /// are the ``valueTypes`` of folded values.
  /// A node with an omitted optional input before a present one (`Clip(x, "", max)`) is not
  /// folded, since its inputs could not be passed by position.
  /// - Parameter evaluate: computes a node's outputs from its input tensors, one per entry of
  ///   `node.inputs` (trailing omitted inputs left out); it must return one tensor per entry of
  ///   `node.outputs`, in order (entries for omitted `""` outputs are ignored).
  /// - Returns: the folded graph, remaining nodes in their original order.
  /// - Throws: ``GraphIRError`` from ``validate()``, from `evaluate`, or
  ///   ``GraphIRError/invalidNode(node:op:reason:)`` when `evaluate` returns the wrong count.
  public func foldingConstants(evaluate: (Node, [GraphTensor]) throws -> [GraphTensor]) throws -> Graph {
    let order = try validate().nodes
    var constants = initializers
    var folded = Set<String>()
    for node in order {
      guard let results = try foldedOutputs(node, constants: constants, evaluate: evaluate) else { continue }
      folded.insert(node.name)
      for (name, tensor) in zip(node.outputs, results) where !name.isEmpty { constants[name] = tensor }
    }
    guard !folded.isEmpty else { return self }

    var g = self
    g.nodes = nodes.filter { !folded.contains($0.name) }
    var index = GraphUseIndex(self)
    let remainingReaders = GraphUseIndex(g)
    var readByFolded = Set<String>()
    for node in nodes where folded.contains(node.name) {
      readByFolded.formUnion(node.inputs.filter { !$0.isEmpty && initializers[$0] != nil })
      for name in node.outputs where !name.isEmpty {
        g.valueTypes[name] = nil
        let tensor = constants[name]!
        if index.graphOutputs.contains(name) {
          let constant = index.uniqueName("\(name)_folded")
          g.initializers[constant] = tensor
          g.nodes.append(Node(name: index.uniqueName("\(node.name)_identity"), op: "Identity", inputs: [constant], outputs: [name]))
          g.valueTypes[name] = valueTypes[name]
        } else if !(remainingReaders.consumers[name] ?? []).isEmpty {
          g.initializers[name] = tensor
        }
      }
    }
    return GraphRewriting.prune(g, nodes: [], initializers: readByFolded)
  }

  /// The outputs of `node` when it can be folded, else nil.
  private func foldedOutputs(
    _ node: Node, constants: [String: GraphTensor], evaluate: (Node, [GraphTensor]) throws -> [GraphTensor]
  ) throws -> [GraphTensor]? {
    guard node.domain.isEmpty || node.domain == "ai.onnx", OperatorSet.supported.contains(node.op) else { return nil }
    if node.op == "Constant" { return try ShapeInferrer.constantValue(of: node).map { [$0] } }
    var present = node.inputs
    while present.last?.isEmpty == true { present.removeLast() }
    if node.op == "Shape", let x = present.first {
      guard let dims = constants[x]?.shape ?? type(of: x)?.fixedShape else { return nil }
      let inferrer = ShapeInferrer(graph: Graph(name: "", opset: opset))
      let range = try inferrer.shapeRange(node, rank: dims.count)
      return [try GraphTensor(int64: dims[range].map(Int64.init), shape: [range.count])]
    }
    guard !present.isEmpty, present.allSatisfy({ constants[$0] != nil }) else { return nil }
    for name in node.outputs where !name.isEmpty {
      guard let dims = valueTypes[name]?.fixedShape else { continue }
      let count = (try? GraphTensor.elementCount(dims, what: name)) ?? Int.max
      if count > Self.constantFoldingElementLimit { return nil }
    }
    let results = try evaluate(node, present.map { constants[$0]! })
    guard results.count == node.outputs.count else {
      throw GraphIRError.invalidNode(
        node: node.name, op: node.op, reason: "evaluation returned \(results.count) tensors for \(node.outputs.count) outputs")
    }
    guard results.allSatisfy({ $0.count <= Self.constantFoldingElementLimit }) else { return nil }
    return results
  }
}
