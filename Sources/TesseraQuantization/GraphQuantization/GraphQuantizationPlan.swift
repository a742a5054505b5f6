import TesseraNN

/// Where the graph quantizer puts int8 values, decided before calibration (docs/quantization.md
/// §12):
///
/// - every quantizable node's activation input and output point (its output, or the output of a
///   Relu folded into it) needs int8 codes;
/// - a *shape op* (Flatten, Reshape, …) moves elements without changing them, so when its output
///   needs codes its input gets them instead and the op runs on the codes (the `QuantizeLinear`
///   is hoisted above it);
/// - an *order op* (MaxPool, Relu) commutes with the increasing quantization map, so when its
///   input already holds codes its output inherits the same scale and zero point, exactly;
/// - every other value needing codes is an *anchor*: it gets its own observer and parameters.
struct GraphQuantizationPlan: Sendable {
  /// The float graph, validated (nodes in topological order).
  let graph: Graph
  /// The nodes that become int8, by node name.
  let layers: [String: QuantizableNode]
  /// Quantizable nodes in graph order.
  let order: [String]
  /// Names of the Relu nodes folded into a layer.
  let foldedRelus: Set<String>
  /// Values that get int8 codes.
  let needsCodes: Set<String>
  /// Values whose codes come from another value's (shape or order op): value → source value.
  let derived: [String: String]
  /// Values whose every reader sees the dequantized codes (layer outputs and what inherits from
  /// them); other coded values keep their float value for float readers.
  let replaced: Set<String>
  /// Values observed during calibration, each with "calibrate with min-max" (model input region
  /// and the last layers' outputs, whose ranges are known or must not clip).
  let anchors: [String: Bool]

  /// Ops that only move elements: their codes are the codes of their input, rearranged.
  static let shapeOps: Set<String> = ["Flatten", "Reshape", "Identity", "Squeeze", "Unsqueeze", "Transpose"]
  /// Ops that commute with an increasing map: their output keeps their input's parameters.
  static let orderOps: Set<String> = ["MaxPool", "Relu", "GlobalMaxPool"]

  /// Plans the quantization of a float graph.
  /// - Parameter graph: a validated float graph (BatchNorm already folded).
  init(graph: Graph) {
    self.graph = graph
    var readers = [String: [Node]]()
    for node in graph.nodes {
      for input in Set(node.inputs) where !input.isEmpty { readers[input, default: []].append(node) }
    }
    let graphOutputs = Set(graph.outputs.map(\.name))
    var layers = [String: QuantizableNode](), order = [String](), folded = Set<String>()
    for node in graph.nodes {
      guard var layer = QuantizableNode.make(node, graph: graph) else { continue }
      let out = node.outputs[0]
      if !graphOutputs.contains(out), let r = readers[out], r.count == 1, r[0].op == "Relu", r[0].domain.isEmpty,
        r[0].outputs.count == 1
      {
        layer.relu = r[0]
        folded.insert(r[0].name)
      }
      layers[node.name] = layer
      order.append(node.name)
    }
    let outputPoints = Set(layers.values.map(\.outputPoint))
    // Backward: codes are needed at layer inputs and outputs, and above shape ops whose output needs them.
    var needs = Set(layers.values.map(\.activation)).union(outputPoints)
    for node in graph.nodes.reversed() where Self.isPassThrough(node, shape: true, graph: graph) {
      if needs.contains(node.outputs[0]) { needs.insert(node.inputs[0]) }
    }
    // Forward: which coded values inherit their codes, and which replace the float value.
    var derived = [String: String](), replaced = outputPoints
    for node in graph.nodes where layers[node.name] == nil && !folded.contains(node.name) {
      guard let u = node.input(0), needs.contains(u), node.outputs.count >= 1, needs.contains(node.outputs[0]) else { continue }
      let w = node.outputs[0]
      if Self.isPassThrough(node, shape: true, graph: graph) {
        derived[w] = u
        if replaced.contains(u) { replaced.insert(w) }
      } else if Self.isPassThrough(node, shape: false, graph: graph), replaced.contains(u) {
        derived[w] = u
        replaced.insert(w)
      }
    }
    // Which anchors use min-max: no layer upstream (the model input region), or a layer output
    // with no layer downstream (the logits side).
    var upstream = Set<String>()
    for node in graph.nodes where layers[node.name] != nil || node.inputs.contains(where: upstream.contains) {
      upstream.formUnion(node.outputs)
    }
    var reaches = Set<String>()
    for node in graph.nodes.reversed() {
      if let layer = layers[node.name] {
        reaches.insert(layer.activation)
      } else if node.outputs.contains(where: reaches.contains) {
        reaches.formUnion(node.inputs.filter { !$0.isEmpty })
      }
    }
    var anchors = [String: Bool]()
    for v in needs where derived[v] == nil {
      anchors[v] = !upstream.contains(v) || (outputPoints.contains(v) && !reaches.contains(v))
    }
    self.layers = layers
    self.order = order
    foldedRelus = folded
    needsCodes = needs
    self.derived = derived
    self.replaced = replaced
    self.anchors = anchors
  }

  /// True for a single-output shape op (`shape`) or order op (`!shape`) whose only float input
  /// is input 0 (the others are constants or integer values, such as a Reshape target).
  static func isPassThrough(_ node: Node, shape: Bool, graph: Graph) -> Bool {
    guard node.domain.isEmpty, (shape ? shapeOps : orderOps).contains(node.op), let x = node.input(0),
      graph.initializers[x] == nil, node.outputs.count == 1 || node.outputs[1...].allSatisfy(\.isEmpty)
    else { return false }
    return node.inputs.dropFirst().allSatisfy {
      $0.isEmpty || graph.initializers[$0] != nil || graph.type(of: $0).map { !$0.elementType.isFloatingPoint } == true
    }
  }
}
