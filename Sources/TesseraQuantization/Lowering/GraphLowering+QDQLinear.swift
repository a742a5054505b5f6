import TesseraNN

extension GraphLowering {
  /// The operation between a `DequantizeLinear` and the next `QuantizeLinear`, and the node whose
  /// output that `QuantizeLinear` reads (the body itself, a bias `Add` or a `Relu`).
  static func quantizedBody(
    _ body: Node, reader: ChainReader, input: AffineQuantization, shape: [Int]
  ) throws -> (QuantizedOperation, Node) {
    func fail(_ why: String) -> LoweringError { LoweringError("node '\(body.name)' (\(body.op)): \(why)") }
    switch body.op {
    case "MaxPool", "AveragePool", "GlobalAveragePool":
      guard shape.count == 3 else { throw fail("needs a [C, H, W] input") }
      let g = try poolWindow(body, shape: shape)
      return (body.op == "MaxPool" ? .maxPool(name: body.name, geometry: g) : .avgPool(name: body.name, geometry: g), body)
    case "Relu":
      return (.relu(name: body.name), body)
    case "Gemm", "MatMul", "Conv":
      break
    default:
      throw fail("no int8 form in the fast engine")
    }
    guard body.input(0) == reader.current else { throw fail("the activation must be the first input") }
    let isConv = body.op == "Conv"
    if body.op == "Gemm" {
      guard try body.int("transA", default: 0) == 0, try body.float("alpha", default: 1) == 1, try body.float("beta", default: 1) == 1
      else { throw fail("transA, alpha or beta") }
    }
    guard isConv ? shape.count == 3 : shape.count == 1 else { throw fail("input shape \(shape)") }
    // Weights: DequantizeLinear(int8 codes, scale, zero point 0) of constants.
    guard let wName = body.input(1), let wNode = reader.graph.producer(of: wName), wNode.op == "DequantizeLinear",
      let codesTensor = reader.constant(wNode, 0), case let .int8(rawCodes) = codesTensor.storage,
      let scaleTensor = reader.constant(wNode, 1)
    else { throw fail("weights must be DequantizeLinear of constant int8 codes") }
    if let zp = reader.constant(wNode, 2), zp.integers.map({ $0.contains { $0 != 0 } }) ?? true {
      throw fail("weights must be symmetric (zero point 0)")
    }
    let transposed = try body.op == "Gemm" && body.int("transB", default: 0) == 1
    // Output-channel axis of the stored codes: 0 for Conv and transposed Gemm, 1 for [K, N].
    let channelAxis = isConv || transposed ? 0 : 1
    guard codesTensor.shape.count == (isConv ? 4 : 2) else { throw fail("weight rank \(codesTensor.shape.count)") }
    let n = codesTensor.shape[channelAxis]
    let k = codesTensor.count / max(n, 1)
    var scales = scaleTensor.doubles.map { Float($0) }
    if scales.count == 1 {
      scales = Array(repeating: scales[0], count: n)
    } else {
      guard scales.count == n, try wNode.int("axis", default: 1) == channelAxis else { throw fail("per-axis weight scales on the wrong axis") }
    }
    let codes = channelAxis == 0 ? rawCodes : transpose(rawCodes, rows: k, columns: n)
    var geometry: WindowGeometry?
    if isConv {
      guard try body.int("group", default: 1) == 1, codesTensor.shape[1] == shape[0] else { throw fail("groups or channels") }
      geometry = try window(body, shape: shape, kernel: (codesTensor.shape[2], codesTensor.shape[3]))
    } else {
      guard k == shape[0] else { throw fail("weights have \(k) inputs, the value has \(shape[0])") }
    }
    // Bias: Gemm/Conv input 2, or a following Add; int32 via DequantizeLinear or float.
    var last = body
    var biasInput: (node: Node, index: Int)? = body.op != "MatMul" && body.input(2) != nil ? (body, 2) : nil
    if body.op == "MatMul", let add = reader.follower(of: body, op: "Add") {
      biasInput = (add, add.input(0) == body.outputs[0] ? 1 : 0)
      last = add
    }
    var bias = [Int32](repeating: 0, count: n)
    if let (node, index) = biasInput {
      bias = try integerBias(node, index, reader: reader, n: n, scales: scales.map { $0 * input.scale })
    }
    var relu = false
    if let r = reader.follower(of: last, op: "Relu") {
      relu = true
      last = r
    }
    let grid = codes.contains(Int8.min) ? QuantizationGrid.activations : try QuantizationGrid.weights(bits: 8)
    let linear = QuantizedLinear(
      name: body.name, convolution: geometry, outputs: n, inner: k, codes: codes,
      weights: try ChannelQuantization(scales: scales, grid: grid, what: body.name), bias: bias, input: input, output: input,
      relu: relu)
    return (.linear(linear), last)
  }

  /// An int32 bias at scale `s_in·s_w[n]` from a DequantizeLinear of int32 codes (re-rounded when
  /// its scale differs) or a float constant (rounded half to even).
  static func integerBias(_ node: Node, _ index: Int, reader: ChainReader, n: Int, scales: [Float]) throws -> [Int32] {
    guard let name = node.input(index) else { return Array(repeating: 0, count: n) }
    var values: [Double]
    if let c = reader.constants[name] {
      values = c.doubles
    } else if let dq = reader.graph.producer(of: name), dq.op == "DequantizeLinear", let codes = reader.constant(dq, 0),
      let s = reader.constant(dq, 1)
    {
      let scale = s.doubles
      let zero = reader.constant(dq, 2)?.doubles ?? [0]
      values = codes.doubles.enumerated().map { i, q in
        (q - zero[zero.count == 1 ? 0 : i % zero.count]) * scale[scale.count == 1 ? 0 : i % scale.count]
      }
    } else {
      throw LoweringError("node '\(node.name)' (\(node.op)): the bias is not a constant")
    }
    if values.count == 1 { values = Array(repeating: values[0], count: n) }
    guard values.count == n else { throw LoweringError("node '\(node.name)' (\(node.op)): bias has \(values.count) values for \(n) outputs") }
    return try values.enumerated().map { i, v in
      let q = (v / Double(scales[i])).rounded(.toNearestOrEven)
      guard q.isFinite, abs(q) < 2_147_483_647 else { throw LoweringError("node '\(node.name)': bias \(v) does not fit int32 at scale \(scales[i])") }
      return Int32(q)
    }
  }
}
