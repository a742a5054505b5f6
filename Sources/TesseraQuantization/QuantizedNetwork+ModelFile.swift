import Foundation
import Tessera
import TesseraNN

/// The `__metadata__["tessera.quantization"]` JSON of an int8 model file.
struct QuantizationMetadata: Codable {
  var version: Int
  var scheme: String
  var input: [String: String]
  var recipe: QuantizationRecipe
}

extension QuantizedNetwork {
  /// The model file: the graph (dense/conv layers with int8 `weight` — bit-packed or bitmask +
  /// packed codes when that is smaller, see `CompactWeights` —, int32 `bias`, fp32
  /// `weight_scale`, and `output_scale`/`output_zero_point`; ReLUs as their own layers) in
  /// `__metadata__["tessera.graph"]`, the input parameters and recipe in
  /// `__metadata__["tessera.quantization"]`.
  /// - Parameter name: model name for the graph.
  /// - Throws: `EncodingError` only for non-finite values, which a valid network cannot hold.
  public func modelFile(name: String) throws -> SafeTensorsFile {
    var file = SafeTensorsFile()
    func scalarF(_ key: String, _ v: Float) throws { file[key] = .float32(try Tensor(shape: [1], scalars: [v])) }
    func scalarI(_ key: String, _ v: Int32) throws { file[key] = .int32(try Tensor(shape: [1], scalars: [v])) }
    try scalarF("input.scale", input.scale)
    try scalarI("input.zero_point", input.zeroPoint)
    var layers = [LayerSpec]()
    let float = try floatNetwork()
    for (index, op) in operations.enumerated() {
      let inShape = float.inputShape(of: index), outShape = float.shapes[index]
      switch op {
      case let .linear(l):
        var attributes: [String: GraphValue] = ["bias": true, "weight_bits": .int(l.weights.grid.bits)]
        let weightShape: [Int]
        if let g = l.convolution {
          attributes["in_channels"] = .int(g.channels)
          attributes["out_channels"] = .int(l.outputs)
          attributes["kernel"] = GraphValue([g.kernelHeight, g.kernelWidth])
          attributes["stride"] = GraphValue([g.strideY, g.strideX])
          attributes["padding"] = GraphValue([g.padY, g.padX])
          weightShape = [l.outputs, g.channels, g.kernelHeight, g.kernelWidth]
        } else {
          attributes["inputs"] = .int(l.inner)
          attributes["outputs"] = .int(l.outputs)
          weightShape = [l.outputs, l.inner]
        }
        let roles = ["weight", "bias", "weight_scale", "output_scale", "output_zero_point"]
        var tensors = [String: String]()
        for role in roles { tensors[role] = "\(l.name).\(role)" }
        let (encoding, packed) = CompactWeights.encode(l.codes, bits: l.weights.grid.bits)
        if encoding == .dense {
          file["\(l.name).weight"] = .int8(try Tensor(shape: weightShape, scalars: l.codes))
        } else {
          attributes[CompactWeights.attribute] = .string(encoding.rawValue)
          file["\(l.name).weight"] = .uint8(try Tensor(shape: [packed.count], scalars: packed))
        }
        file["\(l.name).bias"] = .int32(try Tensor(shape: [l.outputs], scalars: l.bias))
        file["\(l.name).weight_scale"] = .float32(try Tensor(shape: [l.outputs], scalars: l.weights.scales))
        try scalarF("\(l.name).output_scale", l.output.scale)
        try scalarI("\(l.name).output_zero_point", l.output.zeroPoint)
        layers.append(LayerSpec(
          name: l.name, kind: l.convolution == nil ? "dense" : "conv2d", attributes: attributes, tensors: tensors,
          inputShape: inShape, outputShape: outShape))
        if l.relu {
          layers.append(LayerSpec(name: "\(l.name).relu", kind: "relu", inputShape: outShape, outputShape: outShape))
        }
      case let .maxPool(name, g), let .avgPool(name, g):
        let kind = if case .maxPool = op { "maxpool2d" } else { "avgpool2d" }
        layers.append(LayerSpec(
          name: name, kind: kind,
          attributes: ["kernel": GraphValue([g.kernelHeight, g.kernelWidth]), "stride": GraphValue([g.strideY, g.strideX]),
                       "padding": GraphValue([g.padY, g.padX])],
          inputShape: inShape, outputShape: outShape))
      case let .relu(name):
        layers.append(LayerSpec(name: name, kind: "relu", inputShape: inShape, outputShape: outShape))
      case let .flatten(name):
        layers.append(LayerSpec(name: name, kind: "flatten", inputShape: inShape, outputShape: outShape))
      }
    }
    if endsWithSoftmax { layers.append(LayerSpec(name: "softmax", kind: "softmax")) }
    let graph = ModelGraph(
      name: name, input: .init(shape: inputShape, dtype: "float32", normalization: normalization),
      layers: layers, classes: float.outputCount)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let meta = QuantizationMetadata(
      version: 1, scheme: "qs8-qc8w", input: ["scale": "input.scale", "zero_point": "input.zero_point"], recipe: recipe)
    file.metadata[FusedNetwork.graphKey] = String(decoding: try encoder.encode(graph), as: UTF8.self)
    file.metadata[Self.metadataKey] = String(decoding: try encoder.encode(meta), as: UTF8.self)
    return file
  }

  /// Writes the model file atomically (nothing is written when encoding fails).
  /// - Parameters:
  ///   - path: destination.
  ///   - name: model name.
  /// - Throws: `SafeTensorsError.io(path:reason:)` when the file cannot be written.
  public func write(to path: String, name: String) throws {
    try modelFile(name: name).write(to: path)
  }

  /// Reads and validates an int8 model file.
  /// - Parameter path: the file.
  /// - Throws: `SafeTensorsError` for unreadable files; ``QuantizationError`` naming the file and
  ///   layer for a missing/malformed graph or quantization metadata, a missing tensor or one of the
  ///   wrong dtype or shape, a zero/negative/NaN scale, an out-of-range zero point, weight codes
  ///   outside their bit width, or layers whose shapes do not chain.
  public init(contentsOf path: String) throws {
    let file = try SafeTensorsFile(contentsOf: path)
    try self.init(file: file, source: path)
  }

  /// Reads an int8 network from a parsed model file.
  /// - Throws: see ``init(contentsOf:)``.
  public init(file: SafeTensorsFile, source: String) throws {
    guard let text = file.metadata[Self.metadataKey] else {
      throw QuantizationError.invalidModel("\(source): not a quantized model (no __metadata__[\"\(Self.metadataKey)\"])")
    }
    let meta: QuantizationMetadata
    do {
      meta = try JSONDecoder().decode(QuantizationMetadata.self, from: Data(text.utf8))
    } catch {
      throw QuantizationError.invalidModel("\(source): quantization metadata is not valid JSON")
    }
    guard meta.version == 1, meta.scheme == "qs8-qc8w" else {
      throw QuantizationError.invalidModel("\(source): unsupported quantization scheme '\(meta.scheme)' version \(meta.version)")
    }
    let graph = try FusedNetwork.graph(in: file, source: source)
    var reader = QuantizedGraphReader(file: file, source: source)
    let input = try reader.affine(scale: meta.input["scale"], zeroPoint: meta.input["zero_point"], what: "input")
    try reader.read(graph, input: input)
    do {
      try self.init(
        inputShape: graph.input.shape, normalization: graph.input.normalization, input: input,
        operations: reader.operations, endsWithSoftmax: reader.softmax, recipe: meta.recipe)
    } catch let error as QuantizationError {
      throw QuantizationError.invalidModel("\(source): \(error.description)")
    }
  }
}
