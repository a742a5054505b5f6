extension Graph {
  /// The graph with ``valueTypes`` filled for every node output whose type can be inferred:
  /// element type and shape, with symbolic dimensions carried through.
  ///
  /// Covers every operator of ``OperatorSet/supported`` at opsets 11–21 and Tessera's
  /// ``TesseraOperators`` (FusedConv/FusedGemm/FusedMatMul infer as their base operator).
  /// Constant inputs (initializers, `Constant` nodes) and small integer values built from `Shape`
  /// are read, so `Reshape(x, [0, -1])` or `Reshape(x, Concat(Shape(x)[0], [-1]))` give exact
  /// shapes. The symbol rules (see `docs/graph-ir.md`):
  /// - broadcasting: a symbol against 1 stays the symbol, against a fixed `k ≠ 1` becomes `k`,
  ///   two different symbols give a fresh symbol (either could be 1 at run time);
  /// - a size that depends on run-time data or is a product that is not one fixed size or one
  ///   symbol (`Flatten` of `[2, s, 3]` at axis 2 gives `2·s`) becomes a fresh symbol named
  ///   `<node>_d<k>`;
  /// - a value whose rank cannot be known (Reshape to a computed shape of unknown length,
  ///   Squeeze without axes on a symbolic shape) gets a type with a nil shape;
  /// - an operator without a rule (another domain, or an input type unknown) leaves its outputs
  ///   untyped rather than guessing.
  ///
  /// A type already declared for a value (in ``valueTypes`` or the graph outputs) is merged with
  /// the inferred one: a fixed size replaces a symbol, a declared name replaces a fresh symbol.
  ///
  /// For example, input `["batch", 1, 28, 28]` through `Conv` with a `[6, 1, 5, 5]` weight gives
  /// `["batch", 6, 24, 24]`, and a `Gemm` with a `[10, 784]` weight (transB) on `["batch", 784]`
  /// gives `["batch", 10]`.
  /// - Returns: the graph with the same nodes (in the same order) and the inferred types added.
  /// - Throws: ``GraphIRError/invalidGraph(_:)`` from ``validate()``;
  ///   ``GraphIRError/invalidNode(node:op:reason:)`` naming node, operator and shapes when inputs
  ///   certainly do not fit (Gemm inner sizes 784 vs 100, Conv channels, Concat sizes off the
  ///   axis, broadcasting 3 against 4, a declared type that contradicts the inferred one).
  /// - Complexity: O(nodes · rank) plus the graph's validation.
  public func inferringTypes() throws -> Graph {
    let order = try validate().nodes
    let inferrer = ShapeInferrer(graph: self)
    var result = self
    for node in order {
      let inferred = try inferrer.infer(node)
      for (i, name) in node.outputs.enumerated() where !name.isEmpty {
        let declared = valueTypes[name] ?? outputs.first { $0.name == name }?.type
        guard let type = try Self.merge(inferred[i], declared, value: name, node: node, fresh: inferrer.freshSymbols)
        else { continue }
        inferrer.types[name] = type
        result.valueTypes[name] = type
      }
      try inferrer.recordValues(node)
    }
    return result
  }

  /// Merges an inferred type with a declared one.
  static func merge(
    _ inferred: TensorType?, _ declared: TensorType?, value: String, node: Node, fresh: Set<String>
  ) throws -> TensorType? {
    guard let inferred else { return declared }
    guard let declared else { return inferred }
    let conflict = GraphIRError.invalidNode(
      node: node.name, op: node.op, reason: "output '\(value)' is inferred as \(inferred) but declared as \(declared)")
    guard inferred.elementType == declared.elementType else { throw conflict }
    guard let a = inferred.shape, let b = declared.shape else { return TensorType(inferred.elementType, inferred.shape ?? declared.shape) }
    guard a.count == b.count else { throw conflict }
    var shape = a
    for i in a.indices {
      switch (a[i], b[i]) {
      case let (.fixed(x), .fixed(y)) where x != y: throw conflict
      case (.symbol, .fixed): shape[i] = b[i]
      case let (.symbol(s), .symbol) where fresh.contains(s): shape[i] = b[i]
      default: break
      }
    }
    return TensorType(inferred.elementType, shape)
  }

  /// The graph with symbols replaced by sizes in the inputs, outputs and ``valueTypes``
  /// (for example `["batch": 1]` to specialize a model for single samples).
  ///
  /// Only the named symbols change; run ``inferringTypes()`` on a graph whose ``valueTypes`` were
  /// cleared to resolve sizes derived from them (fresh symbols of Flatten or Reshape).
  /// - Parameter bindings: size (≥ 0) for each symbol name.
  /// - Returns: the graph with those dimensions fixed.
  public func bindingShapes(_ bindings: [String: Int]) -> Graph {
    func bind(_ type: TensorType) -> TensorType {
      TensorType(type.elementType, type.shape?.map { d in
        if case let .symbol(s) = d, let v = bindings[s] { return .fixed(v) }
        return d
      })
    }
    var g = self
    g.inputs = inputs.map { ValueInfo(name: $0.name, type: bind($0.type)) }
    g.outputs = outputs.map { ValueInfo(name: $0.name, type: bind($0.type)) }
    g.valueTypes = valueTypes.mapValues(bind)
    return g
  }
}
