import TesseraGraph

/// Pooling of token states into one sentence embedding, as graph nodes (standard ONNX
/// operators at opset 17): mean over the attention mask, the first (`[CLS]`) token, or the
/// masked maximum; then optionally `x / max(‖x‖₂, 1e-12)`.
public enum SentencePooling {
  /// Appends pooling to `graph` and makes `sentence_embedding` `[batch, hidden]` its only output.
  /// - Parameters:
  ///   - graph: a graph with an `attention_mask` input (int64 `[batch, sequence]`).
  ///   - x: (`states:`) the token states `[batch, sequence, hidden]`.
  ///   - hidden: the width.
  ///   - pooling: mode and normalization.
  public static func append(to graph: inout Graph, states x: String, hidden: Int, pooling: PoolingConfiguration) {
    var b = NodeAdder(graph: graph, prefix: "pool")
    let float = Attribute.int(ElementType.float32.onnxCode)
    var e: String
    switch pooling.mode {
    case .mean:
      let m3 = b.node("Unsqueeze", [b.node("Cast", ["attention_mask"], "MaskFloat", ["to": float]), b.ints("axis2", [2])], "MaskUnsqueeze")
      let total = b.node("ReduceSum", [b.node("Mul", [x, m3], "Masked"), b.ints("axis1", [1])], "Sum", ["keepdims": .int(0)])
      let count = b.node("ReduceSum", [m3, b.ints("axis1", [1])], "Count", ["keepdims": .int(0)])
      e = b.node("Div", [total, b.node("Max", [count, b.scalar("1e-9", 1e-9)], "CountClamp")], "Mean")
    case .cls:
      e = b.node("Gather", [x, b.constant("zero", try! GraphTensor(int64: [0], shape: []))], "CLS", ["axis": .int(1)])
    case .max:
      let m3 = b.node("Unsqueeze", [b.node("Cast", ["attention_mask"], "MaskFloat", ["to": float]), b.ints("axis2", [2])], "MaskUnsqueeze")
      let penalty = b.node("Mul", [b.node("Sub", [m3, b.scalar("one", 1)], "MaskInvert"), b.scalar("1e9", 1e9)], "Penalty")
      e = b.node("ReduceMax", [b.node("Add", [x, penalty], "MaskedStates")], "Max", ["axes": .ints([1]), "keepdims": .int(0)])
    }
    if pooling.normalize {
      let norm = b.node("ReduceL2", [e], "Norm", ["axes": .ints([1]), "keepdims": .int(1)])
      e = b.node("Div", [e, b.node("Max", [norm, b.scalar("1e-12", 1e-12)], "NormClamp")], "Normalize")
    }
    b.graph.nodes.append(Node(name: "sentence_embedding", op: "Identity", inputs: [e], outputs: ["sentence_embedding"]))
    b.graph.outputs = [ValueInfo(name: "sentence_embedding", type: TensorType(.float32, [.symbol("batch"), .fixed(hidden)]))]
    b.graph.metadata["tessera.pooling"] = pooling.mode.rawValue
    b.graph.metadata["tessera.normalize"] = pooling.normalize ? "true" : "false"
    graph = b.graph
  }

  /// `graph` unchanged when its first output is already `[batch, hidden]`; with mean pooling and
  /// normalization appended when it is token states `[batch, sequence, hidden]` (a Hugging Face
  /// encoder exported to ONNX, whose first output is `last_hidden_state`).
  /// - Throws: ``EmbeddingModelError/unsupported(_:)`` for other outputs or without an `attention_mask` input.
  public static func pooledIfNeeded(_ graph: Graph, pooling: PoolingConfiguration = PoolingConfiguration()) throws -> Graph {
    let g = try graph.inferringTypes()
    guard let first = g.outputs.first, let shape = g.type(of: first.name)?.shape ?? first.type.shape else {
      throw EmbeddingModelError.unsupported("\(graph.name): the first output's shape is unknown")
    }
    if shape.count == 2 { return graph }
    guard shape.count == 3, let hidden = shape[2].value, g.inputs.contains(where: { $0.name == "attention_mask" }) else {
      throw EmbeddingModelError.unsupported(
        "\(graph.name): expected an output [batch, hidden] or token states [batch, sequence, hidden] and an attention_mask input")
    }
    var pooled = g
    append(to: &pooled, states: first.name, hidden: hidden, pooling: pooling)
    return try pooled.removingDeadNodes().validate()
  }
}

/// Adds nodes and constants with names under a prefix.
struct NodeAdder {
  var graph: Graph
  let prefix: String

  mutating func constant(_ name: String, _ t: GraphTensor) -> String {
    let full = "\(prefix)/const/\(name)"
    graph.initializers[full] = t
    return full
  }

  mutating func scalar(_ name: String, _ v: Float) -> String { constant(name, try! GraphTensor(float32: [v], shape: [])) }

  mutating func ints(_ name: String, _ v: [Int64]) -> String { constant(name, try! GraphTensor(int64: v, shape: [v.count])) }

  mutating func node(_ op: String, _ inputs: [String], _ name: String, _ attributes: [String: Attribute] = [:]) -> String {
    let full = "\(prefix)/\(name)"
    graph.nodes.append(Node(name: full, op: op, inputs: inputs, outputs: [full], attributes: attributes))
    return full
  }
}
