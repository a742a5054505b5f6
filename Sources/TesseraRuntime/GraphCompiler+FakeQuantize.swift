import TesseraNN

extension GraphCompiler {
  /// Finds the activation QuantizeLinear nodes whose every reader is a DequantizeLinear with
  /// the same per-tensor scale and zero point (and whose output is no graph output): they get
  /// no step, and each reader becomes a fake-quantize step on the quantizer's float input.
  mutating func pairFakeQuantization() {
    let graphOutputs = Set(graph.outputs.map(\.name))
    var readers = [String: [Node]]()
    for node in graph.nodes { for name in Set(node.inputs) where !name.isEmpty { readers[name, default: []].append(node) } }
    for node in graph.nodes where Self.isDefaultDomain(node) && node.op == "QuantizeLinear" {
      guard let code = node.outputs.first, !code.isEmpty, !graphOutputs.contains(code),
        let x = node.input(0), sampleShape(of: x) != nil, let q = quantization(node),
        let dequantizers = readers[code], !dequantizers.isEmpty
      else { continue }
      let paired = dequantizers.allSatisfy { r in
        Self.isDefaultDomain(r) && r.op == "DequantizeLinear" && r.input(0) == code && quantization(r) == q
          && r.outputs.first.map { sampleShape(of: $0) == sampleShape(of: x) } == true
      }
      guard paired else { continue }
      let kernel = UnaryKernel.fakeQuantize(
        scale: q.scale, zeroPoint: Float(q.zeroPoint), low: Float(q.low), high: Float(q.high))
      pairedQuantizers.insert(node.name)
      for r in dequantizers { fakeQuantizers[r.name] = (node, kernel) }
    }
  }

  /// The fake-quantize step of a DequantizeLinear reader of a paired quantizer.
  func fakeQuantizeStep(_ node: Node) -> LoweredNode? {
    guard let (quantizer, kernel) = fakeQuantizers[node.name], pairedQuantizers.contains(quantizer.name),
      let x = batched(quantizer, 0)
    else { return nil }
    return LoweredNode(kind: .unary(kernel), inputs: [x.id], macs: 0)
  }

  /// The per-tensor quantization of a QuantizeLinear or DequantizeLinear node with constant
  /// parameters: its scale, zero point and the integer type's range; nil for per-axis or
  /// blocked parameters, an `output_dtype` without a zero point, or an unsupported type.
  private func quantization(_ node: Node) -> Quantization? {
    guard let scaleName = node.input(1), let scale = graph.initializers[scaleName], scale.elementType == .float32,
      scale.count == 1, scale.shape.count <= 1, (try? node.int("block_size", default: 0)) == 0
    else { return nil }
    var type = ElementType.uint8, zero = 0
    if let name = node.input(2) {
      guard let z = graph.initializers[name], z.count == 1, z.shape.count <= 1, let v = z.integers?.first else { return nil }
      type = z.elementType
      zero = v
    } else if node.op == "QuantizeLinear" {
      if node.attributes["output_dtype"] != nil { return nil }
    } else {
      guard let t = graph.type(of: node.input(0)!)?.elementType else { return nil }
      type = t
    }
    switch type {
    case .uint8: return Quantization(scale: scale.float32![0], zeroPoint: zero, low: 0, high: 255)
    case .int8: return Quantization(scale: scale.float32![0], zeroPoint: zero, low: -128, high: 127)
    default: return nil
    }
  }

  private static func isDefaultDomain(_ node: Node) -> Bool { node.domain.isEmpty || node.domain == "ai.onnx" }
}

/// Per-tensor quantization parameters (compared bitwise on the scale).
private struct Quantization: Equatable {
  let scale: Float
  let zeroPoint: Int
  let low: Int, high: Int

  static func == (a: Self, b: Self) -> Bool {
    a.scale.bitPattern == b.scale.bitPattern && a.zeroPoint == b.zeroPoint && a.low == b.low && a.high == b.high
  }
}
