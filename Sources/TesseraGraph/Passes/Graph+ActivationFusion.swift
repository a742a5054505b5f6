extension Graph {
  /// The graph with each `Relu` (or `Clip` with constant min 0 and a constant or absent max)
  /// that directly follows a `Conv`, `Gemm` or `MatMul` merged into that node, which becomes
  /// ``TesseraOperators/fusedConv``, ``TesseraOperators/fusedGemm`` or
  /// ``TesseraOperators/fusedMatMul`` in domain `com.tessera`.
  ///
  /// The fused node keeps the producer's name, inputs and attributes, takes the activation's
  /// output, and adds `"activation": "Relu"`, or `"activation": "Clip"` with float
  /// `activation_min` 0 and `activation_max` (a Clip without max fuses as Relu). The engine and the
  /// interpreter treat `FusedX` as X followed by that activation (see ``TesseraOperators``).
  ///
  /// Preconditions, else nothing changes: the producer's output is read by the activation alone
  /// and is not a graph output; Clip's bounds are one-element constants (initializers or
  /// `Constant` nodes), min exactly 0, max finite and ≥ 0. Run ``fusingBias()`` first so that
  /// `MatMul → Add → Relu` becomes a fused Gemm with its bias.
  /// - Returns: the fused graph (activation nodes and their unused bounds removed).
  public func fusingActivations() -> Graph {
    var g = self
    let index = GraphUseIndex(self)
    var removed = Set<String>()
    var bounds = Set<String>()
    var boundProducers = Set<String>()
    let fusedName = ["Conv": TesseraOperators.fusedConv, "Gemm": TesseraOperators.fusedGemm, "MatMul": TesseraOperators.fusedMatMul]
    for act in nodes where act.domain.isEmpty && (act.op == "Relu" || act.op == "Clip") {
      guard let x = act.input(0), let p = index.producer[x], index.soleConsumer(of: x) != nil else { continue }
      var producer = g.nodes[p]
      guard producer.domain.isEmpty, let fused = fusedName[producer.op], producer.outputs.count == 1,
        let activation = Self.fusedActivation(act, index: index, graph: g)
      else { continue }
      producer.op = fused
      producer.domain = TesseraOperators.domain
      producer.attributes.merge(activation) { $1 }
      producer.outputs = [act.outputs[0]]
      g.nodes[p] = producer
      g.valueTypes[x] = nil
      removed.insert(act.name)
      for bound in act.inputs.dropFirst() where !bound.isEmpty {
        bounds.insert(bound)
        if let b = index.producer[bound] { boundProducers.insert(nodes[b].name) }
      }
    }
    g.nodes.removeAll { removed.contains($0.name) }
    return GraphRewriting.prune(g, nodes: boundProducers, initializers: bounds)
  }

  /// The activation attributes for a fusable Relu or Clip, else nil.
  private static func fusedActivation(_ act: Node, index: GraphUseIndex, graph: Graph) -> [String: Attribute]? {
    let relu: [String: Attribute] = [TesseraOperators.activationAttribute: .string("Relu")]
    guard act.op == "Clip" else { return relu }
    guard act.outputs.count == 1, let lower = act.input(1), let minimum = index.constant(lower, in: graph), minimum.count == 1,
      minimum.doubles[0] == 0
    else { return nil }
    guard let upper = act.input(2) else { return relu }
    guard let maximum = index.constant(upper, in: graph), maximum.count == 1, maximum.doubles[0].isFinite, maximum.doubles[0] >= 0
    else { return nil }
    return [
      TesseraOperators.activationAttribute: .string("Clip"), TesseraOperators.activationMinAttribute: .float(0),
      TesseraOperators.activationMaxAttribute: .float(Float(maximum.doubles[0])),
    ]
  }

  /// The graph with every `FusedConv`/`FusedGemm`/`FusedMatMul` (domain `com.tessera`) turned back
  /// into the ONNX operator followed by a `Relu` or `Clip` node — the form ONNX export writes.
  ///
  /// The base node keeps the fused node's name and writes a new value `<output>_preact`; the
  /// activation node (`<node>_relu` or `<node>_clip`) writes the original output. A Clip's bounds
  /// become scalar initializers `<node>_clip_min` and `<node>_clip_max` of the output's element
  /// type (float32 when unknown). A fused node without `activation` becomes the plain operator; one
  /// with an activation other than Relu or Clip is left as it is.
  /// - Returns: the graph in default-domain operators, each activation right after its producer.
  public func unfusingActivations() -> Graph {
    var g = self
    var index = GraphUseIndex(self)
    g.nodes = []
    for node in nodes {
      guard node.domain == TesseraOperators.domain, let base = TesseraOperators.fusedBase[node.op] else {
        g.nodes.append(node)
        continue
      }
      let activation = node.attributes[TesseraOperators.activationAttribute]?.string
      guard activation == nil || activation == "Relu" || activation == "Clip", let out = node.outputs.first else {
        g.nodes.append(node)
        continue
      }
      var plain = node
      plain.op = base
      plain.domain = ""
      for key in [TesseraOperators.activationAttribute, TesseraOperators.activationMinAttribute, TesseraOperators.activationMaxAttribute] {
        plain.attributes[key] = nil
      }
      guard let activation else {
        g.nodes.append(plain)
        continue
      }
      let pre = index.uniqueName("\(out)_preact")
      plain.outputs[0] = pre
      g.valueTypes[pre] = valueTypes[out]
      g.nodes.append(plain)
      var inputs = [pre]
      if activation == "Clip" {
        let elementType = type(of: out)?.elementType ?? .float32
        for (key, suffix) in [(TesseraOperators.activationMinAttribute, "min"), (TesseraOperators.activationMaxAttribute, "max")] {
          guard let v = node.attributes[key]?.float else { continue }
          let name = index.uniqueName("\(node.name)_clip_\(suffix)")
          g.initializers[name] = try? GraphTensor(elementType == .float64 ? .float64([Double(v)]) : .float32([v]), shape: [])
          inputs.append(name)
        }
      }
      g.nodes.append(Node(name: index.uniqueName("\(node.name)_\(activation.lowercased())"), op: activation, inputs: inputs, outputs: [out]))
    }
    return g
  }
}
