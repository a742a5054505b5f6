import TesseraGraph

extension ModelLayer {
  /// The dense and convolution layers of a graph-IR model, for ``Workload/layers(of:inputShape:batch:)``.
  ///
  /// Shapes come from shape inference (`Graph.inferringTypes()`); every `Gemm`/`MatMul` with a
  /// constant (or dequantized constant) weight becomes a `dense` layer and every 2-D `Conv`
  /// (groups 1) a `conv2d` layer, each with its per-sample input shape. Weights that are int8
  /// codes behind a `DequantizeLinear` count as 8-bit; float weights as 32-bit… as the model file
  /// reader does, 8 unless stated. Density is the share of non-zero weights.
  /// - Parameter graph: the model (one input with a leading batch dimension).
  /// - Returns: the layers in topological order, and the per-sample input shape.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when shapes cannot be inferred.
  public static func layers(of graph: Graph) throws -> (layers: [ModelLayer], inputShape: [Int]) {
    let typed: Graph
    do {
      typed = try graph.inferringTypes().validate()
    } catch {
      throw SchedulerError.invalidWorkload("\(error)")
    }
    func sample(_ value: String) -> [Int]? {
      guard let dims = typed.type(of: value)?.shape, dims.count >= 1 else { return nil }
      let rest = dims.dropFirst().compactMap(\.value)
      return rest.count == dims.count - 1 ? Array(rest) : nil
    }
    // A weight: a constant, or DequantizeLinear of constant int8 codes.
    func weight(_ value: String) -> (tensor: GraphTensor, bits: Int?)? {
      if let t = typed.initializers[value] { return (t, t.elementType == .float32 ? nil : 8) }
      if let dq = typed.producer(of: value), dq.op == "DequantizeLinear", let codes = typed.initializers[dq.inputs[0]] {
        return (codes, 8)
      }
      return nil
    }
    var layers = [ModelLayer]()
    for node in typed.nodes {
      let base = node.domain == TesseraOperators.domain ? TesseraOperators.fusedBase[node.op] ?? node.op : node.op
      guard let x = node.input(0), let input = sample(x) else { continue }
      switch base {
      case "Gemm", "MatMul":
        guard input.count == 1, let w = node.input(1).flatMap(weight), w.tensor.shape.count == 2 else { continue }
        let transposed = base == "Gemm" && (node.attributes["transB"]?.int ?? 0) == 1
        let outputs = transposed ? w.tensor.shape[0] : w.tensor.shape[1]
        layers.append(ModelLayer(
          name: node.name, kind: "dense", attributes: ["inputs": [input[0]], "outputs": [outputs]], inputShape: input,
          weightBits: w.bits, weightDensity: density(w.tensor), weightStructure: structure(w.tensor, outputsFirst: transposed)))
      case "Conv":
        guard input.count == 3, let w = node.input(1).flatMap(weight), w.tensor.shape.count == 4,
          (node.attributes["group"]?.int ?? 1) == 1
        else { continue }
        let pads = node.attributes["pads"]?.ints ?? [0, 0, 0, 0]
        layers.append(ModelLayer(
          name: node.name, kind: "conv2d",
          attributes: [
            "in_channels": [w.tensor.shape[1]], "out_channels": [w.tensor.shape[0]],
            "kernel": [w.tensor.shape[2], w.tensor.shape[3]], "stride": node.attributes["strides"]?.ints ?? [1, 1],
            "padding": pads.count == 4 ? [pads[0], pads[1]] : [0, 0],
          ],
          inputShape: input, weightBits: w.bits, weightDensity: density(w.tensor),
          weightStructure: structure(w.tensor, outputsFirst: true)))
      default:
        continue
      }
    }
    let inputShape = typed.inputs.first.flatMap { sample($0.name) } ?? []
    return (layers, inputShape)
  }

  static func density(_ t: GraphTensor) -> Double {
    let values = t.doubles
    return values.isEmpty ? 1 : Double(values.filter { $0 != 0 }.count) / Double(values.count)
  }

  /// The zero pattern of a weight whose first dimension is the output (`outputsFirst`, as Gemm
  /// with transB and Conv store it) or, for `[K, N]`, the input.
  static func structure(_ t: GraphTensor, outputsFirst: Bool) -> SparsityStructure {
    let values = t.doubles
    guard let first = t.shape.first, first > 0, !values.isEmpty else { return .unstructured }
    let rest = values.count / first
    if outputsFirst { return SparsityStructure.detect(nonzero: values.map { $0 != 0 }, columns: rest) }
    // [K, N] → per output n, inputs k in order.
    var nonzero = [Bool](repeating: false, count: values.count)
    for k in 0..<first { for n in 0..<rest { nonzero[n * first + k] = values[k * rest + n] != 0 } }
    return SparsityStructure.detect(nonzero: nonzero, columns: first)
  }
}
