extension Graph {
  /// The graph with inference `BatchNormalization` nodes folded into the `Conv` or `Gemm` that
  /// feeds them.
  ///
  /// With `s = scale / √(variance + epsilon)` per channel (computed in Double), the producer's
  /// weight is scaled per output channel and its bias becomes `(bias − mean) · s + B`:
  /// - `Conv`: channel = weight axis 0; a missing bias is created (`<conv>_bias`);
  /// - `Gemm` (BN over axis 1 of its 2-D output): channel = weight axis 0 with `transB` 1, axis 1
  ///   with `transB` 0; the new C is `(beta · C − mean) · s + B` (C of N values, one value, or
  ///   absent) and `beta` becomes 1 (`alpha` is kept: it multiplies the scaled product).
  ///
  /// Preconditions, else the pair is left unchanged: the producer's output is read by the BN
  /// alone and is not a graph output; the weight, bias/C and the four BN parameters are
  /// floating-point initializers with one value per channel; the BN is in inference mode
  /// (`training_mode` 0, no extra outputs). A weight or bias that other nodes also read is copied
  /// (`<name>_bn`) rather than changed; parameters left unused are removed.
  /// - Returns: the fused graph (the producer takes the BN's output name; BN nodes removed).
  public func fusingBatchNorm() -> Graph {
    var g = self
    var index = GraphUseIndex(self)
    var fused = Set<String>()
    var replaced = Set<String>()
    for bn in nodes where bn.op == "BatchNormalization" && bn.domain.isEmpty {
      guard let x = bn.input(0), let p = index.producer[x], index.soleConsumer(of: x) != nil,
        let plan = BatchNormFolding(bn: bn, producer: g.nodes[p], graph: g)
      else { continue }
      var producer = g.nodes[p]
      func store(_ tensor: GraphTensor, replacing old: String?, fallback: String) -> String {
        if let old, index.soleConsumer(of: old) == p {
          g.initializers[old] = tensor
          return old
        }
        let name = index.uniqueName(old.map { "\($0)_bn" } ?? fallback)
        g.initializers[name] = tensor
        return name
      }
      producer.inputs[1] = store(plan.weight, replacing: producer.inputs[1], fallback: "")
      let bias = store(plan.bias, replacing: producer.input(2), fallback: "\(producer.name)_bias")
      if producer.inputs.count > 2 { producer.inputs[2] = bias } else { producer.inputs.append(bias) }
      if producer.op == "Gemm" { producer.attributes["beta"] = nil }
      producer.outputs[0] = bn.outputs[0]
      g.nodes[p] = producer
      g.valueTypes[x] = nil
      fused.insert(bn.name)
      replaced.formUnion(bn.inputs.dropFirst().filter { !$0.isEmpty })
      replaced.formUnion(nodes[p].inputs.dropFirst().filter { !$0.isEmpty })
    }
    g.nodes.removeAll { fused.contains($0.name) }
    return GraphRewriting.prune(g, nodes: [], initializers: replaced)
  }
}

/// The folded weight and bias of one Conv/Gemm → BatchNormalization pair, or nil when the pair
/// does not meet ``Graph/fusingBatchNorm()``'s preconditions.
struct BatchNormFolding {
  /// The producer's scaled weight.
  var weight: GraphTensor
  /// The producer's new bias (Conv B or Gemm C), one value per channel.
  var bias: GraphTensor

  init?(bn: Node, producer: Node, graph: Graph) {
    guard producer.domain.isEmpty, producer.op == "Conv" || producer.op == "Gemm", producer.outputs.count == 1,
      bn.outputs.dropFirst().allSatisfy(\.isEmpty), (try? bn.int("training_mode", default: 0)) == 0,
      let epsilon = try? bn.float("epsilon", default: 1e-5),
      let w = producer.input(1).flatMap({ graph.initializers[$0] }), w.elementType.isFloatingPoint, w.shape.count >= 2
    else { return nil }
    var params = [[Double]]()
    for i in 1...4 {
      guard let t = bn.input(i).flatMap({ graph.initializers[$0] }), t.elementType.isFloatingPoint else { return nil }
      params.append(t.doubles)
    }
    let (gamma, beta, mean, variance) = (params[0], params[1], params[2], params[3])
    let transB = producer.op == "Gemm" && (try? producer.int("transB", default: 0)) != 0
    let channelAxis = producer.op == "Gemm" && !transB ? 1 : 0
    if producer.op == "Gemm" && w.shape.count != 2 { return nil }
    let channels = w.shape[channelAxis]
    guard params.allSatisfy({ $0.count == channels }) else { return nil }
    let s = (0..<channels).map { gamma[$0] / (variance[$0] + Double(epsilon)).squareRoot() }

    var oldBias = [Double](repeating: 0, count: channels)
    if let c = producer.input(2) {
      guard let t = graph.initializers[c], t.elementType.isFloatingPoint else { return nil }
      let cValues = t.doubles
      if producer.op == "Conv" {
        guard cValues.count == channels else { return nil }
        oldBias = cValues
      } else {
        guard t.shape.count <= 2, cValues.count == channels || cValues.count == 1,
          let betaAttribute = try? producer.float("beta", default: 1)
        else { return nil }
        if cValues.count == channels && t.shape.count == 2 && t.shape[0] != 1 { return nil }
        oldBias = (0..<channels).map { Double(betaAttribute) * cValues[cValues.count == 1 ? 0 : $0] }
      }
    }
    var scaled = w.doubles
    let inner = w.shape[(channelAxis + 1)...].reduce(1, *)
    for i in scaled.indices { scaled[i] *= s[(i / inner) % channels] }
    let newBias = (0..<channels).map { (oldBias[$0] - mean[$0]) * s[$0] + beta[$0] }
    func tensor(_ v: [Double], _ shape: [Int]) -> GraphTensor? {
      try? GraphTensor(w.elementType == .float64 ? .float64(v) : .float32(v.map { Float($0) }), shape: shape)
    }
    guard let weight = tensor(scaled, w.shape), let bias = tensor(newBias, [channels]) else { return nil }
    self.weight = weight
    self.bias = bias
  }
}
