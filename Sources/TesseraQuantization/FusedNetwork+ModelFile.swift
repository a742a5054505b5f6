import Foundation
import Tessera
import TesseraNN

extension FusedNetwork {
  /// Metadata key holding the graph JSON in a model file.
  public static let graphKey = "tessera.graph"

  /// Reads a float model file (`.safetensors` with the graph in `__metadata__["tessera.graph"]`)
  /// and folds it (BatchNorm into weights, ReLU into producers, dropout removed).
  /// - Parameter path: the model file.
  /// - Throws: `SafeTensorsError` for unreadable files, ``QuantizationError/invalidModel(_:)`` when
  ///   the graph is missing, malformed, uses an unsupported layer, or disagrees with the tensors
  ///   (the message names the file and the layer).
  public init(contentsOf path: String) throws {
    let file = try SafeTensorsFile(contentsOf: path)
    if file.metadata[QuantizedNetwork.metadataKey] != nil {
      throw QuantizationError.invalidModel("\(path): is a quantized model; a float model is expected here")
    }
    try self.init(graph: try Self.graph(in: file, source: path), tensors: file, source: path)
  }

  /// Decodes the graph JSON of a model file.
  /// - Throws: ``QuantizationError/invalidModel(_:)`` when it is missing or malformed.
  public static func graph(in file: SafeTensorsFile, source: String) throws -> ModelGraph {
    guard let text = file.metadata[graphKey] else {
      throw QuantizationError.invalidModel("\(source): no model graph (__metadata__[\"\(graphKey)\"] is missing)")
    }
    do {
      return try JSONDecoder().decode(ModelGraph.self, from: Data(text.utf8))
    } catch {
      throw QuantizationError.invalidModel("\(source): the model graph is not valid JSON for the graph schema")
    }
  }

  /// Builds the folded network from a graph and its float tensors.
  /// - Throws: ``QuantizationError/invalidModel(_:)`` naming `source` and the layer on any disagreement.
  public init(graph: ModelGraph, tensors: SafeTensorsFile, source: String) throws {
    var reader = GraphReader(graph: graph, file: tensors, source: source)
    try reader.read()
    do {
      try self.init(
        inputShape: graph.input.shape, normalization: graph.input.normalization,
        operations: reader.operations, endsWithSoftmax: reader.softmax)
    } catch let error as QuantizationError {
      throw QuantizationError.invalidModel("\(source): \(error.description)")
    }
  }
}

/// Walks a float graph layer by layer, folding as it goes.
struct GraphReader {
  let graph: ModelGraph
  let file: SafeTensorsFile
  let source: String
  var operations: [FusedOperation] = []
  var softmax = false
  var shape: [Int] = []

  init(graph: ModelGraph, file: SafeTensorsFile, source: String) {
    self.graph = graph
    self.file = file
    self.source = source
  }

  func fail(_ layer: LayerSpec?, _ reason: String) -> QuantizationError {
    guard let layer else { return .invalidModel("\(source): \(reason)") }
    return .invalidModel("\(source): layer '\(layer.name)' (\(layer.kind)): \(reason)")
  }

  /// A float32 tensor of the given role and shape.
  func tensor(_ layer: LayerSpec, _ role: String, shape expected: [Int], required: Bool = true) throws -> [Float]? {
    guard let name = layer.tensors[role] else {
      if required { throw fail(layer, "no '\(role)' tensor in the graph") }
      return nil
    }
    guard let stored = file[name] else { throw fail(layer, "tensor '\(name)' is missing from the file") }
    guard let t = stored.float32 else {
      throw fail(layer, "tensor '\(name)' is \(stored.dtype.rawValue), expected float32")
    }
    guard t.shape == expected else {
      throw fail(layer, "tensor '\(name)' has shape \(t.shape), expected \(expected)")
    }
    let values = t.scalars
    guard values.allSatisfy(\.isFinite) else { throw fail(layer, "tensor '\(name)' contains NaN or infinity") }
    return values
  }

  mutating func read() throws {
    shape = graph.input.shape
    guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { throw fail(nil, "input shape \(shape) is invalid") }
    for (index, layer) in graph.layers.enumerated() {
      if let declared = layer.inputShape, declared != shape {
        throw fail(layer, "graph says input shape \(declared) but the previous layer produces \(shape)")
      }
      if softmax { throw fail(layer, "layers after a softmax are not supported") }
      do {
        try read(layer, isLast: index == graph.layers.count - 1)
      } catch let error as GraphError {
        throw QuantizationError.invalidModel("\(source): \(error.description)")
      }
      if let declared = layer.outputShape, declared != shape {
        throw fail(layer, "graph says output shape \(declared) but the layer produces \(shape)")
      }
    }
  }

  mutating func append(_ op: FusedOperation, _ layer: LayerSpec) throws {
    do {
      shape = try FusedNetwork.outputShape(of: op, input: shape)
    } catch let error as QuantizationError {
      throw fail(layer, error.description)
    }
    operations.append(op)
  }

  mutating func read(_ layer: LayerSpec, isLast: Bool) throws {
    switch layer.kind {
    case "dense":
      let inputs = try layer.int("inputs"), outputs = try layer.int("outputs")
      guard inputs > 0, outputs > 0 else { throw fail(layer, "inputs and outputs must be positive") }
      let w = try tensor(layer, "weight", shape: [outputs, inputs])!
      let b = try tensor(layer, "bias", shape: [outputs], required: try layer.bool("bias", default: true))
      try append(.dense(DenseStage(
        name: layer.name, inputs: inputs, outputs: outputs, weight: w,
        bias: b ?? [Float](repeating: 0, count: outputs), relu: false)), layer)
    case "conv2d":
      guard shape.count == 3 else { throw fail(layer, "expects [C, H, W] input, gets \(shape)") }
      let c = try layer.int("in_channels"), o = try layer.int("out_channels")
      guard c == shape[0], o > 0 else { throw fail(layer, "in_channels \(c) does not match the input \(shape)") }
      let k = try layer.pair("kernel"), s = try layer.pair("stride", default: (1, 1))
      let p = try layer.pair("padding", default: (0, 0), allowZero: true)
      let g = try WindowGeometry(channels: c, height: shape[1], width: shape[2], kernel: k, stride: s, padding: p, what: "\(source): layer '\(layer.name)'")
      let w = try tensor(layer, "weight", shape: [o, c, k.0, k.1])!
      let b = try tensor(layer, "bias", shape: [o], required: try layer.bool("bias", default: true))
      try append(.conv(ConvStage(
        name: layer.name, geometry: g, outputChannels: o, weight: w,
        bias: b ?? [Float](repeating: 0, count: o), relu: false)), layer)
    case "maxpool2d", "avgpool2d":
      guard shape.count == 3 else { throw fail(layer, "expects [C, H, W] input, gets \(shape)") }
      let k = try layer.pair("kernel"), s = try layer.pair("stride", default: k)
      let p = try layer.pair("padding", default: (0, 0), allowZero: true)
      let g = try WindowGeometry(channels: shape[0], height: shape[1], width: shape[2], kernel: k, stride: s, padding: p, what: "\(source): layer '\(layer.name)'")
      try append(layer.kind == "maxpool2d" ? .maxPool(name: layer.name, geometry: g) : .avgPool(name: layer.name, geometry: g), layer)
    case "flatten":
      try append(.flatten(name: layer.name), layer)
    case "dropout":
      break
    case "softmax":
      guard isLast else { throw fail(layer, "a softmax is only supported as the last layer") }
      softmax = true
    case "relu":
      try fuseReLU(layer)
    case "batchnorm":
      try foldBatchNorm(layer)
    default:
      throw fail(layer, "unsupported layer kind '\(layer.kind)'")
    }
  }

  /// Marks the producer of the current tensor as ReLU-fused when only max-pools and flattens lie
  /// between (both commute with ReLU); otherwise keeps a standalone ReLU.
  mutating func fuseReLU(_ layer: LayerSpec) throws {
    var index = operations.count - 1
    while index >= 0 {
      switch operations[index] {
      case var .dense(d):
        d.relu = true
        operations[index] = .dense(d)
        return
      case var .conv(c):
        c.relu = true
        operations[index] = .conv(c)
        return
      case .maxPool, .flatten:
        index -= 1
      case .relu:
        return  // ReLU is idempotent
      case .avgPool:
        index = -1
      }
    }
    try append(.relu(name: layer.name), layer)
  }

  /// Folds an inference BatchNorm into the directly preceding dense or convolution.
  mutating func foldBatchNorm(_ layer: LayerSpec) throws {
    let channels: Int
    switch operations.last {
    case let .dense(d) where !d.relu: channels = d.outputs
    case let .conv(c) where !c.relu: channels = c.outputChannels
    default: throw fail(layer, "can only be folded directly after a dense or conv2d layer")
    }
    let gamma = try tensor(layer, "weight", shape: [channels])!
    let beta = try tensor(layer, "bias", shape: [channels])!
    let mean = try tensor(layer, "running_mean", shape: [channels])!
    let variance = try tensor(layer, "running_var", shape: [channels])!
    let epsilon = Float(try layer.double("epsilon", default: 1e-5))
    var scale = [Float](repeating: 0, count: channels)
    for k in 0..<channels {
      guard variance[k] + epsilon > 0 else { throw fail(layer, "running_var[\(k)] + epsilon is not positive") }
      scale[k] = gamma[k] / (variance[k] + epsilon).squareRoot()
    }
    func fold(_ weight: inout [Float], _ bias: inout [Float]) {
      let per = weight.count / channels
      for k in 0..<channels {
        for j in 0..<per { weight[k * per + j] *= scale[k] }
        bias[k] = (bias[k] - mean[k]) * scale[k] + beta[k]
      }
    }
    switch operations.removeLast() {
    case var .dense(d):
      fold(&d.weight, &d.bias)
      operations.append(.dense(d))
    case var .conv(c):
      fold(&c.weight, &c.bias)
      operations.append(.conv(c))
    default:
      break
    }
  }
}
