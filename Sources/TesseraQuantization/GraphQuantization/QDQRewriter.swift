import TesseraNN

/// Builds the QDQ graph from a plan, the activation parameters and the quantized weights
/// (docs/quantization.md §12). Values keep their names where their meaning does not change: a
/// layer's output point becomes `QuantizeLinear` → `DequantizeLinear` whose output carries the
/// original name, so float readers and graph outputs need no rewiring.
struct QDQRewriter {
  /// An int8 value: its codes, the float value layers read (the dequantized codes) and the
  /// parameters.
  struct Coded {
    var codes: String
    var dequantized: String
    var parameters: AffineQuantization
  }

  /// One layer's int8 weights and bias.
  struct LayerWeights {
    var codes: [Int8]
    var scales: ChannelQuantization
    var bias: [Int32]?
  }

  let plan: GraphQuantizationPlan
  let parameters: [String: AffineQuantization]
  let perChannel: Bool
  private(set) var graph: Graph
  private var taken: Set<String>
  private var coded = [String: Coded]()

  init(plan: GraphQuantizationPlan, parameters: [String: AffineQuantization], perChannel: Bool) {
    self.plan = plan
    self.parameters = parameters
    self.perChannel = perChannel
    let source = plan.graph
    graph = source
    graph.nodes = []
    taken = Set(source.initializers.keys).union(source.inputs.map(\.name)).union(source.outputs.map(\.name))
    for node in source.nodes {
      taken.insert(node.name)
      taken.formUnion(node.outputs)
    }
  }

  /// A name based on `base` not used yet (`base`, `base_1`, …), reserved.
  mutating func unique(_ base: String) -> String {
    var name = base, k = 0
    while taken.contains(name) {
      k += 1
      name = "\(base)_\(k)"
    }
    taken.insert(name)
    return name
  }

  /// Adds an initializer under a fresh name.
  mutating func constant(_ base: String, _ tensor: GraphTensor) -> String {
    let name = unique(base)
    graph.initializers[name] = tensor
    return name
  }

  /// Adds a node named `name` (made unique) and returns its first output.
  @discardableResult
  mutating func emit(_ name: String, _ op: String, _ inputs: [String], output: String, _ attributes: [String: Attribute] = [:]) -> String {
    graph.nodes.append(Node(name: unique(name), op: op, inputs: inputs, outputs: [output], attributes: attributes))
    return output
  }

  /// `QuantizeLinear` of `float` (the float value of `value`) and its `DequantizeLinear`, whose
  /// output is `value` itself when `replacing`, else `<value>.dequantized`.
  mutating func quantize(_ value: String, float: String, parameters p: AffineQuantization, replacing: Bool) throws {
    let scale = constant(value + ".scale", try GraphTensor(float32: [p.scale], shape: []))
    let zero = constant(value + ".zero_point", try GraphTensor(.int8([Int8(clamping: p.zeroPoint)]), shape: []))
    let codes = emit(value + ".quantize", "QuantizeLinear", [float, scale, zero], output: unique(value + ".quantized"))
    let dequantized = replacing ? value : unique(value + ".dequantized")
    emit(value + ".dequantize", "DequantizeLinear", [codes, scale, zero], output: dequantized)
    coded[value] = Coded(codes: codes, dequantized: dequantized, parameters: p)
  }

  /// `DequantizeLinear` of codes `codes` that already exist (after a shape op on codes).
  mutating func dequantize(_ value: String, codes: String, parameters p: AffineQuantization, replacing: Bool) throws {
    let scale = constant(value + ".scale", try GraphTensor(float32: [p.scale], shape: []))
    let zero = constant(value + ".zero_point", try GraphTensor(.int8([Int8(clamping: p.zeroPoint)]), shape: []))
    let dequantized = replacing ? value : unique(value + ".dequantized")
    emit(value + ".dequantize", "DequantizeLinear", [codes, scale, zero], output: dequantized)
    coded[value] = Coded(codes: codes, dequantized: dequantized, parameters: p)
  }

  /// Rewrites every node of the plan's graph; `weights` holds each layer's int8 weights.
  /// - Returns: the QDQ graph, dead float nodes removed, validated.
  /// - Throws: `GraphIRError` when a tensor cannot be formed or the result is invalid.
  mutating func rewrite(weights: [String: LayerWeights]) throws -> Graph {
    for input in plan.graph.inputs where plan.anchors[input.name] != nil {
      try quantize(input.name, float: input.name, parameters: parameters[input.name]!, replacing: false)
    }
    for node in plan.graph.nodes where !plan.foldedRelus.contains(node.name) {
      if let layer = plan.layers[node.name] {
        try rewriteLayer(layer, weights: weights[node.name]!)
        continue
      }
      guard let w = node.outputs.first, let u = plan.derived[w], let source = coded[u] else {
        graph.nodes.append(node)
        for w in node.outputs where plan.anchors[w] != nil {
          try quantize(w, float: w, parameters: parameters[w]!, replacing: false)
        }
        continue
      }
      let replacing = plan.replaced.contains(w)
      if GraphQuantizationPlan.shapeOps.contains(node.op) {
        // The shape op runs on the codes; the float op stays for float readers when not replacing.
        if !replacing { graph.nodes.append(node) }
        var onCodes = node
        onCodes.name = replacing ? node.name : unique(node.name + ".int8")
        onCodes.inputs[0] = source.codes
        onCodes.outputs = [unique(w + ".quantized")]
        graph.nodes.append(onCodes)
        try dequantize(w, codes: onCodes.outputs[0], parameters: source.parameters, replacing: replacing)
      } else {
        // An order op (MaxPool, Relu) on dequantized codes, requantized with the same parameters.
        var op = node
        op.outputs[0] = unique(w + ".float")
        graph.nodes.append(op)
        try quantize(w, float: op.outputs[0], parameters: source.parameters, replacing: true)
      }
    }
    return try graph.removingDeadNodes().validate()
  }

  /// One layer: weights and bias as `DequantizeLinear`, the dequantized activation as input,
  /// the (folded-Relu) output quantized and dequantized under the output's original name.
  mutating func rewriteLayer(_ layer: QuantizableNode, weights q: LayerWeights) throws {
    let name = layer.node.name, n = layer.channels
    guard let input = coded[layer.activation] else {
      throw GraphIRError.invalidGraph("layer '\(name)': its input '\(layer.activation)' was not quantized")
    }
    let codes = layer.kind == .matMul ? QuantizableNode.transpose(q.codes, rows: n, columns: layer.inner) : q.codes
    let wCodes = constant(name + ".weight_quantized", try GraphTensor(.int8(codes), shape: layer.codeShape))
    let scaleShape = perChannel ? [n] : []
    let wScale = constant(name + ".weight_scale", try GraphTensor(float32: perChannel ? q.scales.scales : [q.scales.scales[0]], shape: scaleShape))
    let wZero = constant(name + ".weight_zero_point", try GraphTensor(zeros: .int8, shape: scaleShape))
    let w = emit(
      name + ".weight_dequantize", "DequantizeLinear", [wCodes, wScale, wZero], output: unique(name + ".weight_dequantized"),
      perChannel ? ["axis": .int(layer.channelAxis)] : [:])
    var node = layer.node
    node.inputs = [input.dequantized, w]
    if let bias = q.bias {
      let bCodes = constant(name + ".bias_quantized", try GraphTensor(.int32(bias), shape: [n]))
      let bScale = constant(name + ".bias_scale", try GraphTensor(float32: q.scales.scales.map { input.parameters.scale * $0 }, shape: [n]))
      let bZero = constant(name + ".bias_zero_point", try GraphTensor(zeros: .int32, shape: [n]))
      node.inputs.append(emit(
        name + ".bias_dequantize", "DequantizeLinear", [bCodes, bScale, bZero], output: unique(name + ".bias_dequantized"),
        ["axis": .int(0)]))
    }
    if layer.kind == .gemm {
      node.attributes["transB"] = .int(1)
      node.attributes["alpha"] = nil
      node.attributes["beta"] = nil
    }
    let point = layer.outputPoint
    let float = unique(point + ".float")
    if var relu = layer.relu {
      graph.nodes.append(node)
      relu.outputs = [float]
      graph.nodes.append(relu)
    } else {
      node.outputs = [float]
      graph.nodes.append(node)
    }
    try quantize(point, float: float, parameters: parameters[point]!, replacing: true)
  }
}
