import Tessera

extension ModelFile {
  /// Metadata key (in `Graph.metadata`) holding the number of classes of a classifier.
  public static let classesMetadataKey = "tessera.classes"

  /// The float model as a graph-IR `Graph` (ONNX operators at `Graph.defaultOpset`).
  ///
  /// The graph input `input` is `float32[batch, …per-sample shape]` holding pixels in [0, 1];
  /// a declared input normalization becomes `Sub` and `Div` nodes with per-channel constants.
  /// Layers map one to one: dense → `Gemm` (transB = 1), conv2d → `Conv`, maxpool2d → `MaxPool`,
  /// avgpool2d → `AveragePool` (count_include_pad = 1), relu → `Relu`, flatten → `Flatten`,
  /// batchnorm → `BatchNormalization`, softmax → `Softmax` (last axis); dropout (identity at
  /// inference) is dropped. Node and value names are the layer names; initializers keep the
  /// file's tensor names. The last value is the graph output `logits`.
  /// - Returns: a validated graph.
  /// - Throws: `GraphIRError` for a layer kind with no IR form (for example an int8 layer: use
  ///   the quantization module's conversion for quantized files).
  public func graphIR() throws -> Graph {
    var g = Graph(name: graph.name)
    let sample = graph.input.shape
    g.inputs = [ValueInfo(name: "input", type: TensorType(.float32, [.symbol("batch")] + sample.map { .fixed($0) }))]
    var current = "input"
    var shape = sample
    func tensor(_ spec: LayerSpec, _ role: String) throws -> String? {
      guard let name = spec.tensors[role] else { return nil }
      guard let stored = tensors[name] else {
        throw GraphIRError.invalidGraph("layer '\(spec.name)' names tensor '\(name)', which is not in the file")
      }
      guard stored.dtype == .float32 else {
        throw GraphIRError.invalidGraph("layer '\(spec.name)' tensor '\(name)' is \(stored.dtype), not float32 (a quantized file?)")
      }
      g.initializers[name] = GraphTensor(stored)
      return name
    }
    if let n = graph.input.normalization {
      current = try n.appendNodes(to: &g, input: current, sampleRank: sample.count)
    }
    for spec in graph.layers {
      let out = spec.name
      var node: Node
      switch spec.kind {
      case "dropout":
        continue
      case "flatten":
        node = Node(name: out, op: "Flatten", inputs: [current], outputs: [out], attributes: ["axis": .int(1)])
      case "dense":
        if shape.count != 1 {
          let flat = out + ".flatten"
          g.nodes.append(Node(name: flat, op: "Flatten", inputs: [current], outputs: [flat], attributes: ["axis": .int(1)]))
          current = flat
        }
        let inputs = [current, try tensor(spec, "weight") ?? ""] + [try tensor(spec, "bias")].compactMap { $0 }
        node = Node(name: out, op: "Gemm", inputs: inputs, outputs: [out], attributes: ["transB": .int(1)])
      case "conv2d":
        let k = try spec.pair("kernel"), s = try spec.pair("stride", default: (1, 1))
        let p = try spec.pair("padding", default: (0, 0), allowZero: true)
        let inputs = [current, try tensor(spec, "weight") ?? ""] + [try tensor(spec, "bias")].compactMap { $0 }
        node = Node(
          name: out, op: "Conv", inputs: inputs, outputs: [out],
          attributes: ["kernel_shape": .ints([k.0, k.1]), "strides": .ints([s.0, s.1]), "pads": .ints([p.0, p.1, p.0, p.1])])
      case "maxpool2d", "avgpool2d":
        let k = try spec.pair("kernel"), s = try spec.pair("stride", default: k)
        let p = try spec.pair("padding", default: (0, 0), allowZero: true)
        var attributes: [String: Attribute] = [
          "kernel_shape": .ints([k.0, k.1]), "strides": .ints([s.0, s.1]), "pads": .ints([p.0, p.1, p.0, p.1]),
        ]
        if spec.kind == "avgpool2d" { attributes["count_include_pad"] = .int(1) }
        node = Node(name: out, op: spec.kind == "maxpool2d" ? "MaxPool" : "AveragePool", inputs: [current], outputs: [out], attributes: attributes)
      case "relu":
        node = Node(name: out, op: "Relu", inputs: [current], outputs: [out])
      case "softmax":
        node = Node(name: out, op: "Softmax", inputs: [current], outputs: [out], attributes: ["axis": .int(-1)])
      case "batchnorm":
        let roles = try ["weight", "bias", "running_mean", "running_var"].map { role in
          guard let name = try tensor(spec, role) else {
            throw GraphIRError.invalidGraph("layer '\(spec.name)' (batchnorm) has no '\(role)' tensor")
          }
          return name
        }
        node = Node(
          name: out, op: "BatchNormalization", inputs: [current] + roles, outputs: [out],
          attributes: ["epsilon": .float(Float(try spec.double("epsilon", default: 1e-5)))])
      default:
        throw GraphIRError.invalidGraph("layer '\(spec.name)' has kind '\(spec.kind)', which has no graph-IR form")
      }
      g.nodes.append(node)
      current = out
      if let next = spec.outputShape {
        shape = next
      } else if let layer = try? LayerKinds.makeLayer(spec), let next = try? layer.outputShape(for: shape) {
        shape = next
      }
    }
    // The final value is called "logits" (an Identity keeps a graph with no layers valid).
    if let last = g.nodes.indices.last, g.nodes[last].outputs == [current], current != "input" {
      g.nodes[last].outputs = ["logits"]
    } else {
      g.nodes.append(Node(name: "logits", op: "Identity", inputs: [current], outputs: ["logits"]))
    }
    g.outputs = [ValueInfo(name: "logits", type: TensorType(.float32, [.symbol("batch")] + shape.map { .fixed($0) }))]
    if let classes = graph.classes { g.metadata[Self.classesMetadataKey] = "\(classes)" }
    return try g.validate()
  }
}
