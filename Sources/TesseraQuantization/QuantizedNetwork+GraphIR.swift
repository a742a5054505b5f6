import TesseraNN

extension QuantizedNetwork {
  /// The int8 network as a graph-IR `Graph` in ONNX's QDQ form, the form ONNX Runtime's
  /// `quantize_static` writes and reads.
  ///
  /// The float input (pixels in [0, 1], normalized by `Sub`/`Div` when the model says so) is
  /// quantized by `QuantizeLinear` (int8, the network's input scale and zero point). Every
  /// operation then reads `DequantizeLinear` of the previous int8 value and ends in
  /// `QuantizeLinear` with its output parameters: dense → `Gemm` (transB = 1), convolution →
  /// `Conv`, each with weights `DequantizeLinear(int8 codes, per-channel scales, axis 0)` and bias
  /// `DequantizeLinear(int32, s_in·s_w[n], axis 0)`, a fused ReLU as `Relu` before the
  /// quantization; pooling and ReLU keep their input's parameters; `Flatten` works on the int8
  /// value directly. The logits are `DequantizeLinear` of the last int8 value (then `Softmax` when
  /// the float model ended in one).
  /// - Parameter name: the graph name.
  /// - Returns: a validated graph.
  /// - Throws: `GraphIRError` when a tensor cannot be formed.
  public func graphIR(name: String) throws -> Graph {
    var g = Graph(name: name)
    g.inputs = [ValueInfo(name: "input", type: TensorType(.float32, [.symbol("batch")] + inputShape.map { .fixed($0) }))]
    var current = "input"
    func constant(_ name: String, _ tensor: GraphTensor) -> String {
      g.initializers[name] = tensor
      return name
    }
    func scalar(_ q: AffineQuantization, _ prefix: String) throws -> (scale: String, zeroPoint: String) {
      (
        constant(prefix + ".scale", try GraphTensor(float32: [q.scale], shape: [])),
        constant(prefix + ".zero_point", try GraphTensor(.int8([Int8(clamping: q.zeroPoint)]), shape: []))
      )
    }
    func node(_ name: String, _ op: String, _ inputs: [String], _ attributes: [String: Attribute] = [:]) -> String {
      g.nodes.append(Node(name: name, op: op, inputs: inputs, outputs: [name], attributes: attributes))
      return name
    }
    if let n = normalization {
      current = try n.appendNodes(to: &g, input: current, sampleRank: inputShape.count)
    }
    var params = try scalar(input, "input")
    current = node("input.quantize", "QuantizeLinear", [current, params.scale, params.zeroPoint])
    for op in operations {
      switch op {
      case let .linear(l):
        let x = node(l.name + ".input", "DequantizeLinear", [current, params.scale, params.zeroPoint])
        let wShape = l.convolution.map { [l.outputs, $0.channels, $0.kernelHeight, $0.kernelWidth] } ?? [l.outputs, l.inner]
        let codes = constant(l.name + ".weight_quantized", try GraphTensor(.int8(l.codes), shape: wShape))
        let wScale = constant(l.name + ".weight_scale", try GraphTensor(float32: l.weights.scales, shape: [l.outputs]))
        let wZero = constant(l.name + ".weight_zero_point", try GraphTensor(.int8(Array(repeating: 0, count: l.outputs)), shape: [l.outputs]))
        let w = node(l.name + ".weight", "DequantizeLinear", [codes, wScale, wZero], ["axis": .int(0)])
        let bCodes = constant(l.name + ".bias_quantized", try GraphTensor(.int32(l.bias), shape: [l.outputs]))
        let bScale = constant(
          l.name + ".bias_scale", try GraphTensor(float32: l.weights.scales.map { l.input.scale * $0 }, shape: [l.outputs]))
        let bZero = constant(l.name + ".bias_zero_point", try GraphTensor(.int32(Array(repeating: 0, count: l.outputs)), shape: [l.outputs]))
        let b = node(l.name + ".bias", "DequantizeLinear", [bCodes, bScale, bZero], ["axis": .int(0)])
        var y: String
        if let c = l.convolution {
          y = node(
            l.name, "Conv", [x, w, b],
            [
              "kernel_shape": .ints([c.kernelHeight, c.kernelWidth]), "strides": .ints([c.strideY, c.strideX]),
              "pads": .ints([c.padY, c.padX, c.padY, c.padX]),
            ])
        } else {
          y = node(l.name, "Gemm", [x, w, b], ["transB": .int(1)])
        }
        if l.relu { y = node(l.name + ".relu", "Relu", [y]) }
        params = try scalar(l.output, l.name + ".output")
        current = node(l.name + ".quantize", "QuantizeLinear", [y, params.scale, params.zeroPoint])
      case let .maxPool(name, geometry), let .avgPool(name, geometry):
        let isMax = if case .maxPool = op { true } else { false }
        let x = node(name + ".input", "DequantizeLinear", [current, params.scale, params.zeroPoint])
        var attributes: [String: Attribute] = [
          "kernel_shape": .ints([geometry.kernelHeight, geometry.kernelWidth]),
          "strides": .ints([geometry.strideY, geometry.strideX]),
          "pads": .ints([geometry.padY, geometry.padX, geometry.padY, geometry.padX]),
        ]
        if !isMax { attributes["count_include_pad"] = .int(1) }
        let y = node(name, isMax ? "MaxPool" : "AveragePool", [x], attributes)
        current = node(name + ".quantize", "QuantizeLinear", [y, params.scale, params.zeroPoint])
      case let .relu(name):
        let y = node(name, "Relu", [node(name + ".input", "DequantizeLinear", [current, params.scale, params.zeroPoint])])
        current = node(name + ".quantize", "QuantizeLinear", [y, params.scale, params.zeroPoint])
      case let .flatten(name):
        current = node(name, "Flatten", [current], ["axis": .int(1)])
      }
    }
    let logits = endsWithSoftmax ? "logits.dequantize" : "logits"
    g.nodes.append(Node(name: logits, op: "DequantizeLinear", inputs: [current, params.scale, params.zeroPoint], outputs: [logits]))
    if endsWithSoftmax {
      g.nodes.append(Node(name: "logits", op: "Softmax", inputs: [logits], outputs: ["logits"], attributes: ["axis": .int(-1)]))
    }
    let classes = try floatNetwork().outputCount
    g.outputs = [ValueInfo(name: "logits", type: TensorType(.float32, [.symbol("batch"), .fixed(classes)]))]
    g.metadata[ModelFile.classesMetadataKey] = "\(classes)"
    return try g.validate()
  }
}
