import TesseraNN

/// One `Gemm`, `MatMul` or `Conv` of a float graph that the graph quantizer turns into int8:
/// its weights as an `[N, K]` matrix (row n = output channel n), its bias, and where its output
/// is quantized.
struct QuantizableNode: Sendable {
  /// The operator family.
  enum Kind: Sendable { case gemm, matMul, conv }

  /// The node as it stands in the float graph.
  var node: Node
  var kind: Kind
  /// The activation input (input 0).
  var activation: String
  /// Output channels N.
  var channels: Int
  /// `[N, K]` row-major float weights (Gemm: `alpha` folded in, transposed when `transB` was 0;
  /// MatMul: `B` transposed; Conv: `W` as stored).
  var weight: [Float]
  /// The shape the int8 codes are stored in: `[N, K]` (Gemm, then `transB` 1), `[K, N]` (MatMul,
  /// channel axis 1) or the Conv weight shape (channel axis 0).
  var codeShape: [Int]
  /// N float biases (Gemm `beta·C` broadcast, Conv `B`), nil without a bias.
  var bias: [Float]?
  /// A `Relu` that alone reads the node's output and is folded into the requantization.
  var relu: Node?

  /// Inner dimension K.
  var inner: Int { weight.count / channels }
  /// The axis of the stored codes that holds the output channels.
  var channelAxis: Int { kind == .matMul ? 1 : 0 }
  /// The value whose `QuantizeLinear` ends this layer: the Relu's output when one is folded,
  /// else the node's.
  var outputPoint: String { relu?.outputs[0] ?? node.outputs[0] }

  /// The quantizable form of `node`, or nil when it stays float: a `Gemm` (transA 0) with a
  /// constant float32 2-D `B` and a bias `C` of 1 or N values; a `MatMul` with a constant float32
  /// 2-D `B`; a `Conv` with a constant float32 weight and an optional bias of N values. The
  /// activation must not be a constant.
  /// - Parameters:
  ///   - node: a node of `graph`.
  ///   - graph: the float graph.
  static func make(_ node: Node, graph: Graph) -> QuantizableNode? {
    guard node.domain.isEmpty || node.domain == "ai.onnx", node.outputs.count == 1,
      let x = node.input(0), graph.initializers[x] == nil, (graph.type(of: x)?.elementType ?? .float32) == .float32,
      let wName = node.input(1), let w = graph.initializers[wName], let values = w.float32, !values.isEmpty
    else { return nil }
    func floatBias(_ index: Int, n: Int) -> [Float]?? {
      guard let name = node.input(index) else { return .some(nil) }
      guard let c = graph.initializers[name], let v = c.float32, v.count == 1 || v.count == n,
        c.shape.count <= 1 || (c.shape.count == 2 && c.shape[0] == 1)
      else { return nil }
      return .some(v.count == n ? v : Array(repeating: v[0], count: n))
    }
    switch node.op {
    case "Gemm":
      guard w.shape.count == 2, (try? node.int("transA", default: 0)) == 0,
        let alpha = try? node.float("alpha", default: 1), let beta = try? node.float("beta", default: 1),
        let transB = try? node.int("transB", default: 0)
      else { return nil }
      let (n, k) = transB != 0 ? (w.shape[0], w.shape[1]) : (w.shape[1], w.shape[0])
      guard n > 0, k > 0, let c = floatBias(2, n: n) else { return nil }
      var weight = transB != 0 ? values : Self.transpose(values, rows: k, columns: n)
      if alpha != 1 { weight = weight.map { $0 * alpha } }
      return QuantizableNode(
        node: node, kind: .gemm, activation: x, channels: n, weight: weight, codeShape: [n, k],
        bias: c.map { $0.map { $0 * beta } }, relu: nil)
    case "MatMul":
      guard w.shape.count == 2, node.inputs.count == 2, w.shape[0] > 0, w.shape[1] > 0 else { return nil }
      let (k, n) = (w.shape[0], w.shape[1])
      return QuantizableNode(
        node: node, kind: .matMul, activation: x, channels: n, weight: Self.transpose(values, rows: k, columns: n),
        codeShape: [k, n], bias: nil, relu: nil)
    case "Conv":
      guard w.shape.count >= 3, w.shape[0] > 0, let b = floatBias(2, n: w.shape[0]) else { return nil }
      if let name = node.input(2), graph.initializers[name]?.count != w.shape[0] { return nil }
      return QuantizableNode(
        node: node, kind: .conv, activation: x, channels: w.shape[0], weight: values, codeShape: w.shape, bias: b,
        relu: nil)
    default:
      return nil
    }
  }

  /// `values` (`rows × columns`, row-major) transposed.
  static func transpose<T>(_ values: [T], rows: Int, columns: Int) -> [T] {
    (0..<(rows * columns)).map { i in values[(i % rows) * columns + i / rows] }
  }
}
