import TesseraNN

extension GraphPlan {
  /// Compiles a float or QDQ graph.
  ///
  /// Pipeline: `Graph.validate()`, `Graph.inferringTypes()` (the input's batch dimension
  /// stays symbolic, so every `[batch, …fixed]` value has a per-sample shape),
  /// `Graph.foldingConstants(evaluate:)` with `OperatorKernels` (which turns the
  /// DequantizeLinear of constant int8 weights and int32 biases into float initializers),
  /// `Graph.fusingBatchNorm()`,
  /// `Graph.fusingBias()`, `Graph.fusingActivations()`, `Graph.removingDeadNodes()`; then
  /// one step per node (a fast kernel when its operands fit, else the reference fallback), dead
  /// steps dropped (e.g. a `Shape` that only fed a Reshape compiled as a view), and arena offsets
  /// planned by liveness. An activation QuantizeLinear read only by DequantizeLinear nodes with
  /// the same per-tensor scale and zero point compiles to one fake-quantize step per reader
  /// (`UnaryKernel.fakeQuantize(scale:zeroPoint:low:high:)`); other int8 operators run on the
  /// reference fallback.
  /// - Parameter graph: a graph with one float32 input `[batch, …fixed]` (rank ≥ 2) and
  ///   operators the reference interpreter supports (or Tessera's fused ones).
  /// - Throws: ``EngineError/unsupported(_:)`` for another input, or an unknown
  ///   fused activation; `GraphIRError` when the graph is invalid, shape inference finds
  ///   shapes that do not fit, or an operator has no kernel at the graph's opset.
  /// - Complexity: the passes plus O(nodes · values) for planning.
  public init(graph: Graph) throws {
    let checked = try graph.validate()
    let input = try GraphInput(checked, engine: "the compiled graph engine")
    for node in checked.nodes {
      if node.domain == TesseraOperators.domain, TesseraOperators.fusedBase[node.op] != nil { continue }
      guard OperatorKernels.supports(node.op, domain: node.domain, opset: checked.opset) else {
        let op = node.domain.isEmpty ? node.op : "\(node.domain).\(node.op)"
        throw GraphIRError.unsupportedOperator(node: node.name, op: op, opset: checked.opset)
      }
    }
    let opset = checked.opset
    let folded = try checked.inferringTypes().foldingConstants { node, inputs in
      try OperatorKernels.evaluate(node, inputs: inputs.map { $0 }, opset: opset)
    }
    let g = try folded.fusingBatchNorm().fusingBias().fusingActivations().removingDeadNodes().inferringTypes().validate()

    var compiler = GraphCompiler(graph: g, batch: input.batch, input: input.name, sampleShape: input.sampleShape)
    compiler.pairFakeQuantization()
    compiler.unfused = (folded, Dictionary(folded.nodes.map { ($0.name, $0) }) { a, _ in a })
    for node in g.nodes { try compiler.add(node) }
    let outputs = g.outputs.map { compiler.valueIndex($0.name) }
    compiler.prune(keeping: outputs)
    let (arena, scratch) = compiler.planArena(outputs: outputs)

    self.graph = g
    isQuantized = checked.computesInInt8
    inputName = input.name
    sampleShape = input.sampleShape
    batch = input.batch
    outputNames = g.outputs.map(\.name)
    outputSampleShapes = outputs.map { compiler.values[$0].sampleShape }
    arenaBytesPerSample = arena
    scratchBytes = scratch
    weightBytes = g.initializers.values.reduce(0) { $0 + $1.byteCount }
    linearNodes = g.nodes.filter(GraphCompiler.isLinear).map(\.name)
    values = compiler.values
    steps = compiler.steps
    outputValues = outputs
    sideCount = compiler.sideCount
  }
}

/// Builds the steps and values of a ``GraphPlan``.
struct GraphCompiler {
  var graph: Graph
  /// The nodes before the fusion passes, by name (to observe linear nodes as they were).
  var unfused: (graph: Graph, nodes: [String: Node])?
  let batch: Dimension
  var values: [PlannedValue] = []
  var index: [String: Int] = [:]
  /// The value whose buffer each value uses (itself, or a view's source).
  var root: [Int] = []
  var steps: [GraphStep] = []
  var sideCount = 0
  /// Activation QuantizeLinear nodes that get no step: each DequantizeLinear reader runs
  /// ``fakeQuantizers`` on the quantizer's float input instead.
  var pairedQuantizers = Set<String>()
  /// The fake-quantize step of a DequantizeLinear node, by name: its quantizer and kernel.
  var fakeQuantizers: [String: (quantizer: Node, kernel: UnaryKernel)] = [:]

  init(graph: Graph, batch: Dimension, input: String, sampleShape: [Int]) {
    self.graph = graph
    self.batch = batch
    append(PlannedValue(name: input, location: .input, sampleShape: sampleShape))
  }

  /// True for Gemm/MatMul/Conv nodes and their fused forms.
  static func isLinear(_ node: Node) -> Bool {
    let base = node.domain == TesseraOperators.domain ? TesseraOperators.fusedBase[node.op] : node.op
    return base.map(InterpretedGraph.linearOps.contains) ?? false
  }

  private mutating func append(_ value: PlannedValue) {
    index[value.name] = values.count
    root.append(values.count)
    values.append(value)
  }

  /// The index of a value: an existing one, or a constant made on first use.
  mutating func valueIndex(_ name: String) -> Int {
    if let i = index[name] { return i }
    append(PlannedValue(name: name, location: .constant(graph.initializers[name]!), sampleShape: nil))
    return values.count - 1
  }

  /// The per-sample shape of a `[batch, …fixed]` float32 type.
  func sampleShape(of name: String) -> [Int]? {
    guard let t = graph.type(of: name), t.elementType == .float32, let shape = t.shape, let first = shape.first,
      first == batch
    else { return nil }
    let rest = shape.dropFirst().compactMap(\.value)
    return rest.count == shape.count - 1 ? Array(rest) : nil
  }

  /// Adds a node's output values (batched ones in the arena, others in the side table), then
  /// its step, or makes it a view.
  mutating func add(_ node: Node) throws {
    if pairedQuantizers.contains(node.name) {
      if batched(node, 0) != nil { return }  // its readers quantize its input themselves
      pairedQuantizers.remove(node.name)
    }
    for name in node.inputs where !name.isEmpty && index[name] == nil && graph.initializers[name] != nil {
      _ = valueIndex(name)
    }
    if let source = viewSource(node) {
      let out = node.outputs[0]
      append(PlannedValue(name: out, location: values[source].location, sampleShape: sampleShape(of: out)))
      root[values.count - 1] = root[source]
      return
    }
    let lowered = try lower(node)
    var outputs = [Int]()
    for name in node.outputs {
      guard !name.isEmpty else {
        outputs.append(-1)
        continue
      }
      if let shape = sampleShape(of: name) {
        append(PlannedValue(name: name, location: .arena(0), sampleShape: shape))
      } else {
        append(PlannedValue(name: name, location: .side(sideCount), sampleShape: nil))
        sideCount += 1
      }
      outputs.append(values.count - 1)
    }
    steps.append(GraphStep(
      name: node.name, kind: lowered.kind, inputs: lowered.inputs, outputs: outputs, observed: Self.isLinear(node),
      macs: lowered.macs, observation: observationKernel(node, inputs: lowered.inputs)))
  }

  /// Drops the steps none of whose outputs reach a graph output (through views), and forgets
  /// outputs nobody reads.
  mutating func prune(keeping outputs: [Int]) {
    var needed = Set(outputs.map { root[$0] })
    var kept = [GraphStep]()
    for step in steps.reversed() {
      guard step.outputs.contains(where: { $0 >= 0 && needed.contains(root[$0]) }) else { continue }
      var used = step
      used.outputs = step.outputs.map { $0 >= 0 && needed.contains(root[$0]) ? $0 : -1 }
      for i in step.inputs where i >= 0 { needed.insert(root[i]) }
      kept.append(used)
    }
    steps = kept.reversed()
  }

  /// Places every arena buffer by liveness and points each value at its offset.
  /// - Returns: arena bytes per sample and im2col scratch bytes.
  mutating func planArena(outputs: [Int]) -> (arena: Int, scratch: Int) {
    var buffers = [ArenaPlanner.Buffer](), bufferOf = [Int: Int]()
    var scratch = 0
    for (t, step) in steps.enumerated() {
      for kind in [step.kind, step.observation] { if case let .conv(c)? = kind { scratch = Swift.max(scratch, 4 * c.scratchFloats) } }
      for o in step.outputs where o >= 0 {
        guard case .arena = values[o].location else { continue }
        bufferOf[o] = buffers.count
        buffers.append(.init(size: ArenaPlanner.aligned(4 * values[o].sampleCount), defined: t, lastUse: t))
      }
      for i in step.inputs where i >= 0 {
        if let b = bufferOf[root[i]] { buffers[b].lastUse = Swift.max(buffers[b].lastUse, t) }
      }
    }
    for o in outputs { if let b = bufferOf[root[o]] { buffers[b].lastUse = Int.max } }
    for (t, step) in steps.enumerated() where step.isElementwise {
      guard let out = step.outputs.first, let b = bufferOf[out] else { continue }
      let candidates = step.inputs.compactMap { bufferOf[root[$0]] }
      buffers[b].reuse = candidates.first { buffers[$0].lastUse == t && buffers[$0].size >= buffers[b].size }
    }
    let layout = ArenaPlanner.plan(buffers)
    for v in values.indices {
      guard case .arena = values[v].location, let b = bufferOf[root[v]] else { continue }
      values[v].location = .arena(layout.offsets[b])
    }
    return (layout.total, scratch == 0 ? 0 : ArenaPlanner.aligned(scratch))
  }
}
