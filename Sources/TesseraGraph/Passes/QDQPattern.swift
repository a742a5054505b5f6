/// One matched QDQ pattern — `DequantizeLinear(x_q)`, `DequantizeLinear(w_q initializer)` →
/// Conv/Gemm/MatMul → `QuantizeLinear` — and the integer node that replaces it.
struct QDQPattern {
  /// Index of the float Conv/Gemm/MatMul node (replaced by ``replacement``).
  var producer: Int
  /// Name of the QuantizeLinear node (removed).
  var quantize: String
  /// The QLinearConv, QLinearMatMul or QGemm node.
  var replacement: Node
  /// New initializers (zero points that were omitted, the int32 bias).
  var initializers: [String: GraphTensor] = [:]
  /// Nodes that may have become dead (the DequantizeLinear nodes).
  var released: Set<String> = []
  /// Initializers that may have become unused (a float bias, a dequantized bias's parts).
  var releasedInitializers: Set<String> = []

  private static let codes: Set<ElementType> = [.int8, .uint8]

  /// A scale and zero point as value names (a zero point may be new), with their values.
  private struct Quantization {
    var scale: String
    var zeroPoint: String
    var scales: [Double]
  }

  /// Matches the pattern ending in QuantizeLinear `q`, or returns nil (then nothing changes).
  /// - Parameters:
  ///   - q: a QuantizeLinear node.
  ///   - graph: the graph being rewritten.
  ///   - index: its use index (new names are reserved in it).
  init?(quantize q: Node, graph g: Graph, index: inout GraphUseIndex) {
    guard q.op == "QuantizeLinear", q.domain.isEmpty, q.outputs.count == 1, (try? q.int("block_size", default: 0)) == 0,
      let y = q.input(0), let p = index.producer[y], index.soleConsumer(of: y) != nil
    else { return nil }
    let op = g.nodes[p]
    guard op.domain.isEmpty, ["Conv", "Gemm", "MatMul"].contains(op.op), op.outputs.count == 1, op.inputs.count >= 2,
      let dqx = Self.dequantize(op.inputs[0], g, index), let dqw = Self.dequantize(op.inputs[1], g, index),
      let w = g.initializers[dqw.inputs[0]], Self.codes.contains(w.elementType)
    else { return nil }
    var outputType = ElementType.uint8
    if g.opset >= 21, let code = q.attributes["output_dtype"]?.int, code != 0 {
      guard let t = ElementType(onnxCode: code) else { return nil }
      outputType = t
    }
    if let z = q.input(2) { outputType = index.constant(z, in: g)?.elementType ?? outputType }
    let xType = g.type(of: dqx.inputs[0])?.elementType ?? dqx.input(2).flatMap { index.constant($0, in: g)?.elementType }
    guard let xType, Self.codes.contains(outputType),
      let xq = Self.quantization(q: dqx, type: xType, channels: nil, g, &index, into: &initializers),
      let yq = Self.quantization(q: q, type: outputType, channels: nil, g, &index, into: &initializers)
    else { return nil }

    // The weight's output-channel axis: Conv 0, MatMul 1, Gemm 0 with transB and 1 without.
    let transB = (try? op.int("transB", default: 0)) != 0
    let axis = op.op == "Conv" || (op.op == "Gemm" && transB) ? 0 : 1
    guard op.op == "Conv" || w.shape.count == 2, axis < w.shape.count,
      let wq = Self.quantization(q: dqw, type: w.elementType, channels: (axis, w.shape[axis]), g, &index, into: &initializers)
    else { return nil }

    var bias: String?
    if op.op != "MatMul", let c = op.input(2) {
      guard let values = Self.floatBias(c, g, index, released: &released, releasedInitializers: &releasedInitializers),
        values.count == w.shape[axis]
      else { return nil }
      let name = index.uniqueName("\(op.name)_bias_q")
      let quantized = QGemmReference.quantizeBias(values, xScale: xq.scales[0], wScale: wq.scales)
      initializers[name] = try? GraphTensor(.int32(quantized), shape: [quantized.count])
      bias = name
    }
    let common = [dqx.inputs[0], xq.scale, xq.zeroPoint, dqw.inputs[0], wq.scale, wq.zeroPoint]
    switch op.op {
    case "Conv":
      replacement = Node(
        name: op.name, op: "QLinearConv", inputs: common + [yq.scale, yq.zeroPoint] + (bias.map { [$0] } ?? []), outputs: q.outputs,
        attributes: op.attributes)
    case "MatMul":
      replacement = Node(name: op.name, op: "QLinearMatMul", inputs: common + [yq.scale, yq.zeroPoint], outputs: q.outputs)
    default:
      guard (try? op.int("transA", default: 0)) == 0, (try? op.float("alpha", default: 1)) == 1,
        bias == nil || (try? op.float("beta", default: 1)) == 1
      else { return nil }
      replacement = Node(
        name: op.name, op: TesseraOperators.qGemm, domain: TesseraOperators.domain,
        inputs: common + [bias ?? "", yq.scale, yq.zeroPoint], outputs: q.outputs, attributes: ["transB": .int(transB ? 1 : 0)])
    }
    producer = p
    quantize = q.name
    released.formUnion([dqx.name, dqw.name])
    if let c = op.input(2), g.initializers[c] != nil { releasedInitializers.insert(c) }
  }

  /// The DequantizeLinear node producing `value`, if it is one.
  private static func dequantize(_ value: String, _ g: Graph, _ index: GraphUseIndex) -> Node? {
    guard let p = index.producer[value], g.nodes[p].op == "DequantizeLinear", g.nodes[p].domain.isEmpty,
      (try? g.nodes[p].int("block_size", default: 0)) == 0
    else { return nil }
    return g.nodes[p]
  }

  /// The scale and zero point of a (De)QuantizeLinear node `q` whose quantized side has element
  /// type `type`: per-tensor, or with `channels` per-axis along that axis (checked against the
  /// node's `axis`). An omitted zero point becomes a new zero initializer.
  private static func quantization(
    q: Node, type: ElementType, channels: (axis: Int, count: Int)?, _ g: Graph, _ index: inout GraphUseIndex,
    into initializers: inout [String: GraphTensor]
  ) -> Quantization? {
    guard codes.contains(type), let scaleName = q.input(1), let scale = index.constant(scaleName, in: g),
      scale.elementType == .float32, scale.doubles.allSatisfy({ $0 > 0 && $0.isFinite })
    else { return nil }
    if scale.count != 1 {
      guard let channels, scale.shape == [channels.count], let rank = g.type(of: q.inputs[0])?.shape?.count,
        let axis = try? q.int("axis", default: 1), (axis < 0 ? axis + rank : axis) == channels.axis
      else { return nil }
    }
    var zeroPoint: String
    if let z = q.input(2) {
      guard let t = index.constant(z, in: g), t.elementType == type, t.shape == scale.shape else { return nil }
      zeroPoint = z
    } else {
      zeroPoint = index.uniqueName("\(q.name)_zero_point")
      initializers[zeroPoint] = try? GraphTensor(zeros: type, shape: scale.shape)
    }
    return Quantization(scale: scaleName, zeroPoint: zeroPoint, scales: scale.doubles)
  }

  /// The float values of a bias: a float initializer of shape `[N]` or `[1, N]`, or a
  /// DequantizeLinear of an int32 initializer with per-tensor or per-element constant scale.
  private static func floatBias(
    _ c: String, _ g: Graph, _ index: GraphUseIndex, released: inout Set<String>, releasedInitializers: inout Set<String>
  ) -> [Double]? {
    func oneRow(_ t: GraphTensor) -> Bool { t.shape.count == 1 || (t.shape.count == 2 && t.shape[0] == 1) }
    if let t = g.initializers[c] { return t.elementType == .float32 && oneRow(t) ? t.doubles : nil }
    guard let dq = dequantize(c, g, index), let t = g.initializers[dq.inputs[0]], t.elementType == .int32, t.shape.count == 1,
      let s = dq.input(1).flatMap({ index.constant($0, in: g) }), s.elementType == .float32, s.count == 1 || s.count == t.count
    else { return nil }
    let z = dq.input(2).flatMap { index.constant($0, in: g) }?.doubles ?? [0]
    guard z.count == 1 || z.count == s.count else { return nil }
    released.insert(dq.name)
    releasedInitializers.formUnion(dq.inputs.filter { !$0.isEmpty })
    let (q, scales) = (t.doubles, s.doubles)
    return q.indices.map { (q[$0] - z[z.count == 1 ? 0 : $0]) * scales[scales.count == 1 ? 0 : $0] }
  }
}
