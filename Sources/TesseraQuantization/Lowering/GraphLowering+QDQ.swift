import TesseraNN

extension GraphLowering {
  /// The int8 network for a QDQ chain as ONNX Runtime's `quantize_static` (or
  /// ``QuantizedNetwork/graphIR(name:)``) writes it: `QuantizeLinear` of the (optionally
  /// normalized) input, then per layer `DequantizeLinear` → `Gemm`/`MatMul`(+`Add`)/`Conv` with
  /// `DequantizeLinear` weights (symmetric, per tensor or per output channel) and an optional int32
  /// or float bias → optional `Relu` → `QuantizeLinear`; pooling and ReLU between `DequantizeLinear`
  /// and `QuantizeLinear` with unchanged parameters; `Flatten`/`Reshape` on int8 values; the
  /// logits are the last `DequantizeLinear` (then an optional `Softmax`).
  ///
  /// uint8 activations become int8 exactly (codes and zero points minus 128), so an ONNX Runtime
  /// model runs on Tessera's int8 kernels with the same integer arithmetic.
  /// - Parameter graph: the graph.
  /// - Returns: the network (recipe fields describe an imported model: 8-bit, calibration 0).
  /// - Throws: an error naming the first node that does not fit the pattern.
  public static func quantizedNetwork(_ graph: Graph) throws -> QuantizedNetwork {
    var reader = try ChainReader(graph)
    let sample = try sampleShape(reader.graph)
    var mean: [Float]?, std: [Float]?
    var inputQuantization: AffineQuantization?
    // Leading normalization, then the input QuantizeLinear.
    while inputQuantization == nil, let node = try reader.next() {
      switch node.op {
      case "Sub" where mean == nil && std == nil: mean = try normalizationConstant(reader, node, channels: sample.first ?? 1)
      case "Div" where std == nil: std = try normalizationConstant(reader, node, channels: sample.first ?? 1)
      case "Identity": break
      case "QuantizeLinear": inputQuantization = try activationParameters(node, reader: reader)
      default: throw LoweringError("node '\(node.name)' (\(node.op)) comes before the input QuantizeLinear")
      }
      reader.current = node.outputs[0]
    }
    guard var params = inputQuantization else { throw LoweringError("no QuantizeLinear of the input") }
    var ops = [QuantizedOperation]()
    var shape = sample
    var endsWithSoftmax = false
    while let node = try reader.next() {
      switch node.op {
      case "Flatten", "Reshape":
        guard try isFlatten(node, reader: reader, shape: shape) else { throw LoweringError("node '\(node.name)' (\(node.op)) does not flatten") }
        ops.append(.flatten(name: node.name))
        shape = [shape.reduce(1, *)]
        reader.current = node.outputs[0]
      case "DequantizeLinear":
        guard try activationParameters(node, reader: reader) == params else {
          throw LoweringError("node '\(node.name)' dequantizes with other parameters than the value was quantized with")
        }
        reader.current = node.outputs[0]
        if reader.finished { break }
        guard let body = try reader.next() else { break }
        if body.op == "Softmax", reader.output == body.outputs[0] {
          endsWithSoftmax = true
          reader.current = body.outputs[0]
          break
        }
        let (op, last) = try quantizedBody(body, reader: reader, input: params, shape: shape)
        guard let quantize = reader.follower(of: last, op: "QuantizeLinear") else {
          throw LoweringError("node '\(last.name)' (\(last.op)) is not followed by a QuantizeLinear")
        }
        let output = try activationParameters(quantize, reader: reader)
        switch op {
        case var .linear(l):
          l.output = output
          ops.append(.linear(l))
        case .maxPool, .avgPool, .relu:
          guard output == params else { throw LoweringError("node '\(quantize.name)' requantizes after \(body.op) (the fast engine keeps the parameters)") }
          ops.append(op)
        case .flatten:
          ops.append(op)
        }
        shape = outputShape(of: ops.last!, input: shape)
        params = output
        reader.current = quantize.outputs[0]
      default:
        throw LoweringError("node '\(node.name)' (\(node.op)) reads an int8 value; expected DequantizeLinear, Flatten or Reshape")
      }
    }
    let normalization = InputNormalization.leading(mean: mean, std: std)
    return try QuantizedNetwork(
      inputShape: sample, normalization: normalization, input: inputQuantization!, operations: ops,
      endsWithSoftmax: endsWithSoftmax, recipe: QuantizationRecipe(method: .minmax, perChannel: true))
  }

  /// Scale and zero point of a Quantize/DequantizeLinear on an activation, as int8 parameters
  /// (uint8 zero points shift by −128).
  static func activationParameters(_ node: Node, reader: ChainReader) throws -> AffineQuantization {
    guard let scale = reader.constant(node, 1), scale.count == 1, let s = scale.doubles.first else {
      throw LoweringError("node '\(node.name)' (\(node.op)): needs a constant per-tensor scale")
    }
    var zeroPoint: Int32 = 0
    var unsigned = node.op == "QuantizeLinear" && node.input(2) == nil
    if let zp = reader.constant(node, 2) {
      guard zp.count == 1, let z = zp.integers?.first, zp.elementType == .int8 || zp.elementType == .uint8 else {
        throw LoweringError("node '\(node.name)' (\(node.op)): needs an int8 or uint8 per-tensor zero point")
      }
      unsigned = zp.elementType == .uint8
      zeroPoint = Int32(z)
    }
    return try AffineQuantization(
      scale: Float(s), zeroPoint: unsigned ? zeroPoint - 128 : zeroPoint, grid: .activations, what: node.name)
  }

  /// The per-sample output shape of an int8 operation.
  static func outputShape(of op: QuantizedOperation, input: [Int]) -> [Int] {
    switch op {
    case let .linear(l):
      guard let g = l.convolution else { return [l.outputs] }
      return [l.outputs, g.outputHeight, g.outputWidth]
    case let .maxPool(_, g), let .avgPool(_, g): return [g.channels, g.outputHeight, g.outputWidth]
    case .relu: return input
    case .flatten: return [input.reduce(1, *)]
    }
  }
}
