import TesseraGraph

/// Builds a BERT encoder with sentence pooling as a graph IR from Hugging Face weights.
///
/// The graph uses standard ONNX operators at opset 17 (so `Graph` → ONNX export runs in
/// ONNX Runtime): Gather for the word embedding, Shape/Gather/Slice for the positions,
/// LayerNormalization, MatMul + Add for every Linear (weights stored transposed, `[in, out]`),
/// Reshape/Transpose to split heads, MatMul for Q·Kᵀ and P·V with heads as a batch dimension,
/// an additive mask `(1 − mask) · −10000` broadcast over heads and queries, Softmax, GELU in its
/// erf form `x · 0.5 · (1 + erf(x/√2))` (or the tanh form), and pooling over the mask
/// (mean: ReduceSum of masked states ÷ max(token count, 1e-9); CLS: the first token; max:
/// masked maximum), then optional L2 normalization `x / max(‖x‖, 1e-12)`.
///
/// Inputs: `input_ids` and `attention_mask`, int64 `[batch, sequence]` (token types are all 0).
/// Output: `sentence_embedding`, float32 `[batch, hidden]`.
public struct BERTGraphBuilder: Sendable {
  /// The encoder's sizes.
  public let configuration: BERTConfiguration
  /// How token states become one embedding.
  public let pooling: PoolingConfiguration

  /// Makes a builder.
  public init(configuration: BERTConfiguration, pooling: PoolingConfiguration) {
    self.configuration = configuration
    self.pooling = pooling
  }

  /// Builds the graph.
  /// - Parameter weights: the safetensors file (names with or without the `bert.` prefix).
  /// - Throws: ``EmbeddingModelError/weightMismatch(name:reason:)`` for a missing weight, a
  ///   weight that is not float32 or float64 (converted), or a shape that disagrees
  ///   with ``configuration``.
  public func build(weights: SafeTensorsFile) throws -> Graph {
    var b = Builder(configuration: configuration, weights: weights)
    let states = try b.addEncoder()
    try b.addPooling(pooling, states: states)
    return b.graph
  }
}

/// The mutable state of one ``BERTGraphBuilder/build(weights:)``.
private struct Builder {
  let c: BERTConfiguration
  let weights: SafeTensorsFile
  let prefix: String
  var graph = Graph(name: "bert", opset: 17)
  var counter = 0

  init(configuration: BERTConfiguration, weights: SafeTensorsFile) {
    c = configuration
    self.weights = weights
    prefix = weights.names.contains { $0.hasPrefix("bert.") } ? "bert." : ""
    graph.inputs = [
      ValueInfo(name: "input_ids", type: TensorType(.int64, [.symbol("batch"), .symbol("sequence")])),
      ValueInfo(name: "attention_mask", type: TensorType(.int64, [.symbol("batch"), .symbol("sequence")])),
    ]
  }

  // MARK: Weights

  /// A float32 weight of the expected shape.
  func weight(_ name: String, _ shape: [Int]) throws -> GraphTensor {
    guard let t = weights[graphTensor: prefix + name] ?? weights[graphTensor: name] else {
      throw EmbeddingModelError.weightMismatch(name: prefix + name, reason: "missing from the weights file")
    }
    guard t.shape == shape else {
      throw EmbeddingModelError.weightMismatch(
        name: prefix + name, reason: "shape \(t.shape) disagrees with config.json (expected \(shape))")
    }
    let values: [Float]
    if let f = t.float32 { values = f } else if t.elementType.isFloatingPoint {
      values = t.doubles.map(Float.init)
    } else {
      throw EmbeddingModelError.weightMismatch(name: prefix + name, reason: "element type \(t.elementType), expected a float type")
    }
    guard values.allSatisfy(\.isFinite) else {
      throw EmbeddingModelError.weightMismatch(name: prefix + name, reason: "contains NaN or infinity")
    }
    return try GraphTensor(float32: values, shape: shape)
  }

  /// Adds an initializer and returns its name.
  mutating func constant(_ name: String, _ tensor: GraphTensor) -> String {
    graph.initializers[name] = tensor
    return name
  }

  mutating func scalar(_ name: String, _ value: Float) -> String {
    constant(name, try! GraphTensor(float32: [value], shape: []))
  }

  mutating func ints(_ name: String, _ values: [Int64]) -> String {
    constant(name, try! GraphTensor(int64: values, shape: [values.count]))
  }

  /// Adds a node with one output and returns the output's name.
  @discardableResult
  mutating func node(_ op: String, _ inputs: [String], name: String? = nil, _ attributes: [String: Attribute] = [:]) -> String {
    counter += 1
    let n = name ?? "\(op.lowercased())_\(counter)"
    graph.nodes.append(Node(name: n, op: op, inputs: inputs, outputs: [n], attributes: attributes))
    return n
  }

  // MARK: Encoder

  mutating func layerNorm(_ x: String, _ weightPrefix: String, name: String) throws -> String {
    let g = constant(weightPrefix + ".weight", try weight(weightPrefix + ".weight", [c.hiddenSize]))
    let b = constant(weightPrefix + ".bias", try weight(weightPrefix + ".bias", [c.hiddenSize]))
    return node("LayerNormalization", [x, g, b], name: name, ["axis": .int(-1), "epsilon": .float(c.layerNormEpsilon)])
  }

  /// `x · Wᵀ + b` for a Hugging Face Linear (weight `[out, in]`, stored transposed).
  mutating func linear(_ x: String, _ weightPrefix: String, in k: Int, out n: Int, name: String) throws -> String {
    let w = try weight(weightPrefix + ".weight", [n, k]).float32!
    var t = [Float](repeating: 0, count: k * n)
    for o in 0..<n { for i in 0..<k { t[i * n + o] = w[o * k + i] } }
    let wt = constant(weightPrefix + ".weight", try GraphTensor(float32: t, shape: [k, n]))
    let bias = constant(weightPrefix + ".bias", try weight(weightPrefix + ".bias", [n]))
    let product = node("MatMul", [x, wt], name: name + "/MatMul")
    return node("Add", [product, bias], name: name)
  }

  /// Adds the embeddings and encoder layers; returns the name of the final token states.
  mutating func addEncoder() throws -> String {
    let h = c.hiddenSize
    let words = constant("embeddings.word_embeddings.weight", try weight("embeddings.word_embeddings.weight", [c.vocabularySize, h]))
    let positions = constant(
      "embeddings.position_embeddings.weight", try weight("embeddings.position_embeddings.weight", [c.maxPositions, h]))
    let types = try weight("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])
    let type0 = constant("embeddings.token_type_embeddings.row0", try GraphTensor(float32: Array(types.float32![0..<h]), shape: [h]))

    let shape = node("Shape", ["input_ids"], name: "embeddings/Shape")
    let length = node("Gather", [shape, ints("const/one", [1])], name: "embeddings/SequenceLength", ["axis": .int(0)])
    let positionRows = node("Slice", [positions, ints("const/zero", [0]), length, ints("const/zero", [0])], name: "embeddings/Positions")
    let word = node("Gather", [words, "input_ids"], name: "embeddings/Words", ["axis": .int(0)])
    let sum = node("Add", [node("Add", [word, positionRows], name: "embeddings/AddPositions"), type0], name: "embeddings/AddTypes")
    var x = try layerNorm(sum, "embeddings.LayerNorm", name: "embeddings/LayerNorm")

    // Additive mask [batch, 1, 1, sequence]: 0 where mask = 1, −10000 where 0.
    let maskFloat = node("Cast", ["attention_mask"], name: "mask/Cast", ["to": .int(ElementType.float32.onnxCode)])
    let inverted = node("Sub", [scalar("const/1f", 1), maskFloat], name: "mask/Invert")
    let additive = node("Mul", [inverted, scalar("const/mask_value", -10000)], name: "mask/Scale")
    let mask4 = node("Unsqueeze", [additive, ints("const/axes12", [1, 2])], name: "mask/Unsqueeze")

    let heads = Int64(c.heads), d = Int64(c.headSize)
    let splitShape = ints("const/split_heads", [0, 0, heads, d])
    let mergeShape = ints("const/merge_heads", [0, 0, Int64(h)])
    let scale = scalar("const/attention_scale", 1 / Float(c.headSize).squareRoot())
    for i in 0..<c.layers {
      let p = "encoder.layer.\(i)."
      let n = "layer\(i)/"
      func heads(_ t: String, _ perm: [Int], _ label: String) -> String {
        let r = node("Reshape", [t, splitShape], name: n + label + "/Split")
        return node("Transpose", [r], name: n + label + "/Transpose", ["perm": .ints(perm)])
      }
      let q = heads(try linear(x, p + "attention.self.query", in: h, out: h, name: n + "query"), [0, 2, 1, 3], "query")
      let k = heads(try linear(x, p + "attention.self.key", in: h, out: h, name: n + "key"), [0, 2, 3, 1], "key")
      let v = heads(try linear(x, p + "attention.self.value", in: h, out: h, name: n + "value"), [0, 2, 1, 3], "value")
      let scores = node("Mul", [node("MatMul", [q, k], name: n + "scores"), scale], name: n + "scores/Scale")
      let probs = node("Softmax", [node("Add", [scores, mask4], name: n + "scores/Mask")], name: n + "probs", ["axis": .int(-1)])
      let context = node("MatMul", [probs, v], name: n + "context")
      let merged = node(
        "Reshape", [node("Transpose", [context], name: n + "context/Transpose", ["perm": .ints([0, 2, 1, 3])]), mergeShape],
        name: n + "context/Merge")
      let attention = try linear(merged, p + "attention.output.dense", in: h, out: h, name: n + "attention_output")
      let a = try layerNorm(node("Add", [attention, x], name: n + "attention_residual"), p + "attention.output.LayerNorm", name: n + "attention_norm")
      let up = try linear(a, p + "intermediate.dense", in: h, out: c.intermediateSize, name: n + "intermediate")
      let act = gelu(up, name: n + "gelu")
      let down = try linear(act, p + "output.dense", in: c.intermediateSize, out: h, name: n + "output")
      x = try layerNorm(node("Add", [down, a], name: n + "output_residual"), p + "output.LayerNorm", name: n + "output_norm")
    }
    return x
  }

  /// GELU from primitive operators (opset 17 has no Gelu): erf form, or tanh form for `gelu_new`.
  mutating func gelu(_ x: String, name: String) -> String {
    let half = scalar("const/0.5", 0.5), one = scalar("const/1f", 1)
    let inner: String
    if c.activation == "gelu" {
      let scaled = node("Div", [x, scalar("const/sqrt2", Float(2).squareRoot())], name: name + "/Div")
      inner = node("Erf", [scaled], name: name + "/Erf")
    } else {
      let cube = node("Mul", [node("Mul", [x, x], name: name + "/Square"), x], name: name + "/Cube")
      let poly = node("Add", [x, node("Mul", [cube, scalar("const/0.044715", 0.044715)], name: name + "/CubeScale")], name: name + "/Poly")
      let arg = node("Mul", [poly, scalar("const/sqrt2overpi", Float((2 / Double.pi).squareRoot()))], name: name + "/Arg")
      inner = node("Tanh", [arg], name: name + "/Tanh")
    }
    let plusOne = node("Add", [inner, one], name: name + "/AddOne")
    return node("Mul", [node("Mul", [x, plusOne], name: name + "/MulX"), half], name: name)
  }

  // MARK: Pooling

  /// Adds pooling (and normalization) over the token states `x` and the graph output.
  mutating func addPooling(_ pooling: PoolingConfiguration, states x: String) throws {
    SentencePooling.append(to: &graph, states: x, hidden: c.hiddenSize, pooling: pooling)
  }
}
