import Tessera
import TesseraGraph

extension Graph {
  /// The graph with every Linear layer — a `MatMul` of a float activation by a constant float
  /// `[K, N]` weight, with a following `Add` of a constant `[N]` bias folded in — replaced by a
  /// `com.tessera.DynamicQuantizedLinear` node: int8 weights `[N, K]`, symmetric per output
  /// channel (scale = max|w|/127, round half to even), activations quantized per row when the
  /// model runs (qd8-f32-qc8w, docs/quantization.md §13). Embedding tables, attention products
  /// (MatMul of two activations) and everything else stay float.
  ///
  /// - Parameter keepFloat: names of MatMul nodes to leave in float.
  /// - Returns: the rewritten graph; `metadata["tessera.precision"]` is `dynamic-int8`.
  /// - Throws: `GraphIRError` when shape inference fails; a weight with NaN or infinity
  ///   throws `TesseraError.invalidArgument` naming it.
  public func quantizingLinearDynamically(keepFloat: Set<String> = []) throws -> Graph {
    let (float, layers, removed) = try linearLayers(keepFloat: keepFloat)
    var g = float
    var replaced: [Int: Node] = [:]
    for (i, layer) in layers {
      let (q, scales) = DynamicQuantizedLinear.quantizeWeights(layer.weightsNK, n: layer.n, k: layer.k)
      g.initializers[layer.weightName + ".int8"] = try GraphTensor(.int8(q), shape: [layer.n, layer.k])
      g.initializers[layer.weightName + ".scale"] = try GraphTensor(float32: scales, shape: [layer.n])
      replaced[i] = Node(
        name: layer.node.name, op: TesseraOperators.dynamicQuantizedLinear, domain: TesseraOperators.domain,
        inputs: [layer.activation, layer.weightName + ".int8", layer.weightName + ".scale"] + (layer.bias.map { [$0] } ?? []),
        outputs: [layer.output])
    }
    return try g.replacingLinearLayers(replaced, removing: removed, precision: "dynamic-int8")
  }
}

extension Graph {
  /// The graph with each `com.tessera.DynamicQuantizedLinear` and `StaticQuantizedLinear`
  /// written in standard ONNX operators for export: `DequantizeLinear(W int8 [N, K], w_scale,
  /// axis 0)` → `Transpose` → `MatMul` → `Add` bias. A static layer first multiplies the
  /// activation by its SmoothQuant multipliers (`Mul`) and rounds it through
  /// `QuantizeLinear`/`DequantizeLinear` with its calibrated uint8 scale and zero point, so
  /// other runtimes see the same activation grid. Dynamic layers' activations are not quantized
  /// there, so their outputs differ from Tessera's by the activation rounding.
  /// - Returns: the graph unchanged when it has no such node.
  public func expandingDynamicQuantization() throws -> Graph {
    let kinds: Set<String> = [TesseraOperators.dynamicQuantizedLinear, TesseraOperators.staticQuantizedLinear]
    guard nodes.contains(where: { $0.domain == TesseraOperators.domain && kinds.contains($0.op) }) else {
      return self
    }
    var g = self
    g.nodes = []
    for node in nodes {
      guard node.domain == TesseraOperators.domain, kinds.contains(node.op) else {
        g.nodes.append(node)
        continue
      }
      let p = node.name
      var x = node.inputs[0]
      if node.op == TesseraOperators.staticQuantizedLinear {
        if let multipliers = node.input(4) {
          g.nodes.append(Node(name: p + "/Smooth", op: "Mul", inputs: [x, multipliers], outputs: [p + "/Xs"]))
          x = p + "/Xs"
        }
        let scale = try node.float(TesseraOperators.activationScaleAttribute, default: nil)
        let zero = try node.int(TesseraOperators.activationZeroPointAttribute, default: nil)
        g.initializers[p + "/x_scale"] = try GraphTensor(float32: [scale], shape: [])
        g.initializers[p + "/x_zero_point"] = try GraphTensor(.uint8([UInt8(clamping: zero)]), shape: [])
        let qdq = [p + "/x_scale", p + "/x_zero_point"]
        g.nodes.append(Node(name: p + "/QuantizeX", op: "QuantizeLinear", inputs: [x] + qdq, outputs: [p + "/Xq"]))
        g.nodes.append(Node(name: p + "/DequantizeX", op: "DequantizeLinear", inputs: [p + "/Xq"] + qdq, outputs: [p + "/Xd"]))
        x = p + "/Xd"
      }
      g.nodes.append(Node(name: p + "/Dequantize", op: "DequantizeLinear", inputs: [node.inputs[1], node.inputs[2]], outputs: [p + "/W"], attributes: ["axis": .int(0)]))
      g.nodes.append(Node(name: p + "/Transpose", op: "Transpose", inputs: [p + "/W"], outputs: [p + "/WT"], attributes: ["perm": .ints([1, 0])]))
      if let bias = node.input(3) {
        g.nodes.append(Node(name: p + "/MatMul", op: "MatMul", inputs: [x, p + "/WT"], outputs: [p + "/Y"]))
        g.nodes.append(Node(name: p, op: "Add", inputs: [p + "/Y", bias], outputs: node.outputs))
      } else {
        g.nodes.append(Node(name: p, op: "MatMul", inputs: [x, p + "/WT"], outputs: node.outputs))
      }
    }
    g.valueTypes = [:]
    return try g.inferringTypes().validate()
  }
}
