import TesseraNN

/// Lowers chain-shaped graph-IR models onto the fast engine's network types: a float graph to a
/// ``FusedNetwork``, a QDQ graph to a ``QuantizedNetwork``. Graphs with branches, several inputs
/// or operators the fast engine lacks are refused with the reason, and run on the reference
/// interpreter instead.
public enum GraphLowering {
  /// The float network for a chain of `Gemm`/`MatMul`(+`Add`)/`Conv`/`BatchNormalization`/
  /// `Relu`/`MaxPool`/`AveragePool`/`GlobalAveragePool`/`Flatten`/`Reshape`(to 2-D)/`Softmax`
  /// (last)/`Identity`/`Dropout` nodes, with an optional leading `Sub`/`Div` normalization.
  /// BatchNormalization folds into the preceding dense/conv layer; a `Relu` right after one fuses.
  /// - Parameter graph: the graph.
  /// - Returns: the network.
  /// - Throws: an error naming the first node that does not fit.
  public static func floatNetwork(_ graph: Graph) throws -> FusedNetwork {
    var reader = try ChainReader(graph)
    let sample = try sampleShape(reader.graph)
    var shape = sample
    var ops = [FusedOperation]()
    var mean: [Float]?, std: [Float]?
    var endsWithSoftmax = false
    while let node = try reader.next() {
      let started = ops.isEmpty
      switch node.op {
      case "Sub" where started && mean == nil && std == nil:
        mean = try normalizationConstant(reader, node, channels: sample.first ?? 1)
      case "Div" where started && std == nil:
        std = try normalizationConstant(reader, node, channels: sample.first ?? 1)
      case "Identity", "Dropout":
        break
      case "Softmax" where reader.output == node.outputs[0]:
        let axis = try node.int("axis", default: reader.graph.opset >= 13 ? -1 : 1)
        guard axis == -1 || axis == 1, shape.count == 1 else { throw LoweringError("Softmax '\(node.name)' is not over the classes") }
        endsWithSoftmax = true
      default:
        if let op = try floatOperation(node, reader: reader, shape: shape, previous: &ops) {
          shape = try FusedNetwork.outputShape(of: op, input: shape)
          ops.append(op)
        }
      }
      reader.current = node.outputs[0]
    }
    let normalization = InputNormalization.leading(mean: mean, std: std)
    return try FusedNetwork(inputShape: sample, normalization: normalization, operations: ops, endsWithSoftmax: endsWithSoftmax)
  }

  /// The per-sample shape of the graph's input (`[batch, …]` with every other dimension fixed).
  static func sampleShape(_ graph: Graph) throws -> [Int] {
    guard let dims = graph.inputs.first?.type.shape, dims.count >= 2 else {
      throw LoweringError("the input has no batch dimension")
    }
    let rest = dims.dropFirst().compactMap(\.value)
    guard rest.count == dims.count - 1, rest.count == 1 || rest.count == 3 else {
      throw LoweringError("the input's per-sample shape must be fixed [features] or [C, H, W]")
    }
    return rest
  }

  /// Mean or std values from a leading Sub/Div by a constant of shape [], [1], [C] or [C, 1, 1].
  static func normalizationConstant(_ reader: ChainReader, _ node: Node, channels: Int) throws -> [Float] {
    guard node.input(0) == reader.current, let c = reader.constant(node, 1), let values = c.float32,
      values.count == 1 || values.count == channels
    else { throw LoweringError("'\(node.name)' (\(node.op)) is not a per-channel input normalization") }
    return values
  }
}
