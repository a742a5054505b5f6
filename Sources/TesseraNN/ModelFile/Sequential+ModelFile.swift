import Tessera

extension Sequential {
  /// Builds a model from a validated model file, loading every float32 parameter.
  ///
  /// For example:
  /// ```swift
  /// let model = try Sequential(modelFile: ModelFile(contentsOf: "Models/lenet.safetensors"))
  /// model.isTraining = false
  /// ```
  /// - Parameters:
  ///   - modelFile: the file (see ``ModelFile``).
  ///   - factory: builds kinds this module does not know (nil → built-in kinds only).
  ///   - source: a name for messages (the file path).
  /// - Throws: `SafeTensorsError.graph(path:reason:)` for an unknown kind, a non-float32
  ///   parameter (quantized files need the int8 engine) or a shape mismatch.
  public convenience init(modelFile: ModelFile, factory: LayerFactory? = nil, source: String = "model") throws {
    let layers = try Self.buildLayers(modelFile.graph, factory: factory, source: source)
    for (spec, layer) in zip(modelFile.graph.layers, layers) {
      for parameter in layer.parameters {
        guard let name = spec.tensors[parameter.role], let stored = modelFile.tensors[name] else {
          throw SafeTensorsError.graph(path: source, reason: "layer '\(spec.name)' has no '\(parameter.role)' tensor")
        }
        guard let tensor = stored.float32 else {
          throw SafeTensorsError.graph(
            path: source,
            reason: "tensor '\(name)' is \(stored.dtype.rawValue); float layers need float32 (quantized models run on the int8 engine)")
        }
        guard tensor.shape == parameter.shape else {
          throw SafeTensorsError.graph(path: source, reason: "tensor '\(name)' has shape \(tensor.shape), expected \(parameter.shape)")
        }
        parameter.value = tensor.scalars
      }
    }
    self.init(
      name: modelFile.graph.name, inputShape: modelFile.graph.input.shape,
      normalization: modelFile.graph.input.normalization, layers: layers)
    isTraining = false
  }

  /// Builds a freshly initialized model from a graph (its tensors, if any, are ignored), e.g.
  /// the `graph.json` given to `tessera train --model`.
  /// - Parameters:
  ///   - graph: the network description.
  ///   - seed: seed of the initial weights.
  ///   - factory: builds kinds this module does not know.
  ///   - source: a name for messages (the graph file path).
  /// - Throws: `SafeTensorsError.graph(path:reason:)` for an unknown kind, a bad attribute
  ///   or shapes that do not chain.
  public convenience init(graph: ModelGraph, seed: UInt64, factory: LayerFactory? = nil, source: String = "graph") throws {
    let layers = try Self.buildLayers(graph, factory: factory, source: source)
    self.init(name: graph.name, inputShape: graph.input.shape, normalization: graph.input.normalization, layers: layers)
    do {
      try graph.checkClasses(finalShape: try outputShape(), source: source)
    } catch let error as TesseraError {
      throw SafeTensorsError.graph(path: source, reason: error.description)
    }
    resetParameters(seed: seed)
  }

  private static func buildLayers(_ graph: ModelGraph, factory: LayerFactory?, source: String) throws -> [any Layer] {
    guard !graph.layers.isEmpty else { throw SafeTensorsError.graph(path: source, reason: "no layers") }
    try graph.validateInput(source: source)
    guard graph.input.dtype == "float32" else {
      throw SafeTensorsError.graph(path: source, reason: "input dtype \(graph.input.dtype): float models take float32 input")
    }
    var names = Set<String>()
    return try graph.layers.map { spec in
      guard names.insert(spec.name).inserted else {
        throw SafeTensorsError.graph(path: source, reason: "duplicate layer name '\(spec.name)'")
      }
      do {
        if let custom = try factory?(spec) { return custom }
        return try LayerKinds.makeLayer(spec)
      } catch let error as GraphError {
        throw SafeTensorsError.graph(path: source, reason: error.description)
      }
    }
  }

  /// The graph of this model as it is (Dropout and BatchNorm kept, nothing folded).
  /// - Throws: `TesseraError` when shapes do not chain.
  public func graph() throws -> ModelGraph {
    var shape = inputShape
    let specs = try layers.map { layer in
      let spec = try layer.spec(inputShape: shape)
      shape = spec.outputShape ?? shape
      return spec
    }
    return ModelGraph(
      name: name, input: .init(shape: inputShape, normalization: normalization), layers: specs,
      classes: shape.count == 1 ? shape[0] : nil)
  }

  /// The inference model file: Dropout removed, and each BatchNorm that directly follows a
  /// ``Dense`` or ``Conv2D`` folded into it (`W' = W·s`, `b' = (b − μ)·s + β` with
  /// `s = γ / √(σ² + ε)` per output channel, running statistics). Other BatchNorms are kept.
  /// - Parameters:
  ///   - foldBatchNorm: fold BatchNorm into the preceding weights.
  ///   - training: optional training record stored under `"tessera.training"`.
  /// - Returns: a validated model file.
  /// - Throws: `TesseraError` when shapes do not chain.
  public func modelFile(foldBatchNorm: Bool = true, training: [String: GraphValue]? = nil) throws -> ModelFile {
    var specs = [LayerSpec]()
    var file = SafeTensorsFile()
    var shape = inputShape
    var index = 0
    let kept = layers.filter { !($0 is Dropout) }
    while index < kept.count {
      let layer = kept[index]
      var spec = try layer.spec(inputShape: shape)
      var values = Dictionary(uniqueKeysWithValues: layer.parameters.map { ($0.role, ($0.shape, $0.value)) })
      if foldBatchNorm, index + 1 < kept.count, let bn = kept[index + 1] as? BatchNorm,
        let (weight, bias) = Self.fold(layer, bn)
      {
        values["weight"]?.1 = weight
        values["bias"] = ([bias.count], bias)
        spec.attributes["bias"] = .bool(true)
        spec.tensors["bias"] = "\(layer.name).bias"
        index += 1
      }
      for role in values.keys.sorted(by: { Self.roleOrder($0) < Self.roleOrder($1) }) {
        let (roleShape, roleValues) = values[role]!
        file[spec.tensors[role]!] = .float32(try Tensor(shape: roleShape, scalars: roleValues))
      }
      shape = spec.outputShape ?? shape
      specs.append(spec)
      index += 1
    }
    let graph = ModelGraph(
      name: name, input: .init(shape: inputShape, normalization: normalization), layers: specs,
      classes: shape.count == 1 ? shape[0] : nil)
    let model = ModelFile(graph: graph, tensors: file, training: training)
    try model.validate(source: name)
    return model
  }

  private static func roleOrder(_ role: String) -> String {
    ["weight": "0", "bias": "1", "running_mean": "2", "running_var": "3"][role] ?? "4" + role
  }

  /// Folded (weight, bias) of a Dense/Conv2D followed by `bn`, or nil when not foldable.
  static func fold(_ layer: any Layer, _ bn: BatchNorm) -> ([Float], [Float])? {
    let weight: Parameter, bias: Parameter?, outputs: Int
    if let dense = layer as? Dense {
      (weight, bias, outputs) = (dense.weight, dense.bias, dense.outputs)
    } else if let conv = layer as? Conv2D {
      (weight, bias, outputs) = (conv.weight, conv.bias, conv.outputChannels)
    } else {
      return nil
    }
    guard bn.featureCount == outputs else { return nil }
    let perOutput = weight.count / outputs
    var w = weight.value
    var b = bias?.value ?? [Float](repeating: 0, count: outputs)
    for o in 0..<outputs {
      let scale = bn.gamma.value[o] / (bn.runningVariance.value[o] + bn.epsilon).squareRoot()
      for i in (o * perOutput)..<((o + 1) * perOutput) { w[i] *= scale }
      b[o] = (b[o] - bn.runningMean.value[o]) * scale + bn.beta.value[o]
    }
    return (w, b)
  }
}
