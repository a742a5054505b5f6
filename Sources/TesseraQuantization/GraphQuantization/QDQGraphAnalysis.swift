import TesseraNN

/// Which nodes of a QDQ graph compute in int8 and which fall back to float.
///
/// A node is *not* float when it is
/// - a `QuantizeLinear`/`DequantizeLinear` (or `DynamicQuantizeLinear`);
/// - a quantized compute node: `Conv`/`Gemm`/`MatMul` (or their `com.tessera` fused forms) whose
///   activation and weight both come from `DequantizeLinear`, or an integer operator
///   (`QLinearConv`, `QLinearMatMul`, `QGemm`, `ConvInteger`, `MatMulInteger`);
/// - the epilogue of one: a `Relu`/`Clip` (or a bias `Add`) that alone reads its output and
///   ends in `QuantizeLinear`;
/// - an exact int8 pass-through: a node all of whose inputs are integers (a `Flatten` of codes, a
///   `Shape`), or a MaxPool/Relu/shape op between `DequantizeLinear` and `QuantizeLinear` with the
///   same scale and zero point;
/// - a `Constant`.
///
/// Everything else (`Add`, `Concat`, `Softmax`, average pooling, …) is the float fallback.
public enum QDQGraphAnalysis {
  /// A node that computes in float.
  public struct FloatNode: Sendable, Equatable, Encodable {
    /// Node name.
    public var name: String
    /// Operator (domain-qualified outside the ONNX domain).
    public var op: String

    /// Makes an entry.
    /// - Parameters:
    ///   - name: node name.
    ///   - op: operator.
    public init(name: String, op: String) {
      self.name = name
      self.op = op
    }
  }

  /// True when `graph` holds `QuantizeLinear` or `DequantizeLinear` nodes.
  public static func isQDQ(_ graph: Graph) -> Bool {
    graph.nodes.contains { $0.op == "QuantizeLinear" || $0.op == "DequantizeLinear" }
  }

  /// The float-fallback nodes of a QDQ graph, in topological order (graph order when the graph
  /// does not validate).
  /// - Parameter graph: any graph (for a graph without Q/DQ every compute node is listed).
  public static func floatNodes(in graph: Graph) -> [FloatNode] {
    let sorted = (try? graph.validate()) ?? graph
    let typed = (try? sorted.inferringTypes()) ?? sorted
    var producer = [String: Node](), readers = [String: [Node]]()
    for node in sorted.nodes {
      for o in node.outputs where !o.isEmpty { producer[o] = node }
      for i in Set(node.inputs) where !i.isEmpty { readers[i, default: []].append(node) }
    }
    let outputs = Set(sorted.outputs.map(\.name))
    func op(_ v: String) -> String? { producer[v]?.op }
    func isInteger(_ v: String) -> Bool {
      if let t = typed.type(of: v) { return !t.elementType.isFloatingPoint }
      return op(v) == "QuantizeLinear"
    }
    func isConstant(_ v: String) -> Bool { sorted.initializers[v] != nil || op(v) == "Constant" }
    func endsInQuantize(_ v: String) -> Bool {
      guard !outputs.contains(v), let r = readers[v], !r.isEmpty else { return false }
      return r.allSatisfy { $0.op == "QuantizeLinear" }
    }
    func parameters(_ node: Node) -> [GraphTensor?] { [1, 2].map { node.input($0).flatMap { sorted.initializers[$0] } } }
    var quantized = Set<String>()
    var result = [FloatNode]()
    for node in sorted.nodes {
      let x = node.input(0) ?? ""
      var isFloat = true
      switch node.op {
      case "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "Constant":
        isFloat = false
      case "QLinearConv", "QLinearMatMul", "QGemm", "ConvInteger", "MatMulInteger":
        isFloat = false
      case "Conv", "Gemm", "MatMul", "FusedConv", "FusedGemm", "FusedMatMul":
        if op(x) == "DequantizeLinear", node.input(1).map({ op($0) == "DequantizeLinear" }) == true {
          isFloat = false
          quantized.insert(node.outputs[0])
        }
      case "Relu", "Clip", "Add":
        // A bias Add (after MatMul) or an activation that the layer's requantization absorbs.
        let data = node.inputs.filter { !$0.isEmpty && !isConstant($0) && op($0) != "DequantizeLinear" }
        guard data.count == 1, let v = data.first, quantized.contains(v), readers[v]?.count == 1, !outputs.contains(v),
          node.op != "Add" || op(v) == "MatMul"
        else { break }
        let y = node.outputs[0]
        if endsInQuantize(y) || readers[y]?.allSatisfy({ $0.op == "Relu" || $0.op == "Clip" }) == true {
          isFloat = false
          quantized.insert(y)
        }
      default:
        break
      }
      if isFloat {
        let inputs = node.inputs.filter { !$0.isEmpty }
        if !inputs.isEmpty && inputs.allSatisfy(isInteger) {
          isFloat = false
        } else if (GraphQuantizationPlan.shapeOps.contains(node.op) || GraphQuantizationPlan.orderOps.contains(node.op)),
          let dq = producer[x], dq.op == "DequantizeLinear", node.outputs.count == 1, endsInQuantize(node.outputs[0]),
          readers[node.outputs[0]]!.allSatisfy({ parameters($0) == parameters(dq) })
        {
          isFloat = false
        }
      }
      if isFloat {
        result.append(FloatNode(name: node.name, op: node.domain.isEmpty || node.domain == "ai.onnx" ? node.op : "\(node.domain).\(node.op)"))
      }
    }
    return result
  }
}
