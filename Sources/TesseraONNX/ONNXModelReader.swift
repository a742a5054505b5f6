import TesseraGraph

/// Converts a decoded `ModelProto` to a `Graph`: opset, nodes and their attributes,
/// initializers, inputs, outputs, value types and metadata; then validates the graph.
struct ONNXModelReader {
  /// The file name (or caller-given source) used in messages.
  let source: String
  /// Converts the tensors.
  let tensors: ONNXTensorReader
  /// Symbolic dimension names already used in the model.
  var usedSymbols = Set<String>()
  /// The next number tried for a fresh `unk__<n>` symbol.
  var nextUnknown = 0

  /// Makes a reader.
  /// - Parameters:
  ///   - source: file name for messages.
  ///   - directory: the folder external data is read from, or nil.
  init(source: String, directory: String?) {
    self.source = source
    tensors = ONNXTensorReader(directory: directory)
  }

  /// The graph a model describes, validated and in topological order.
  /// - Throws: ``ONNXError`` for file-level and unsupported features, `GraphIRError` for
  ///   unsupported operators and structural problems (cycles, missing values).
  mutating func graph(_ model: Onnx_ModelProto) throws -> Graph {
    guard model.hasGraph else {
      throw ONNXError.invalidFile(source: source, what: "ONNX model", reason: "it has no graph")
    }
    let proto = model.graph
    let opset = try defaultOpset(model)
    if let sparse = proto.sparseInitializer.first {
      throw ONNXError.unsupportedFeature(source: source, feature: "sparse initializer '\(sparse.values.name)'")
    }
    for info in proto.input + proto.output + proto.valueInfo { collectSymbols(info) }

    var graph = Graph(name: proto.name.isEmpty ? Self.stem(of: source) : proto.name, opset: opset)
    graph.nodes = try nodes(proto.node, opset: opset)
    for initializer in proto.initializer {
      let name = initializer.name
      guard !name.isEmpty else { throw GraphIRError.invalidGraph("an initializer has no name") }
      guard graph.initializers[name] == nil else { throw GraphIRError.invalidGraph("two initializers are named '\(name)'") }
      graph.initializers[name] = try tensors.tensor(initializer, name: name)
    }
    // Before IR version 4 every initializer was also listed as a graph input.
    for info in proto.input where graph.initializers[info.name] == nil {
      graph.inputs.append(ValueInfo(name: info.name, type: try requiredType(info, role: "graph input")))
    }
    for info in proto.output {
      graph.outputs.append(ValueInfo(name: info.name, type: try requiredType(info, role: "graph output")))
    }
    for info in proto.valueInfo {
      if let type = try tensorType(info) { graph.valueTypes[info.name] = type }
    }
    for entry in model.metadataProps { graph.metadata[entry.key] = entry.value }
    return try graph.validate()
  }

  /// The version of the default domain (`""` or `ai.onnx`), checked against the supported range.
  private func defaultOpset(_ model: Onnx_ModelProto) throws -> Int {
    guard let entry = model.opsetImport.last(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
      throw ONNXError.unsupportedOpset(source: source, opset: nil)
    }
    let version = Int(clamping: entry.version)
    guard Graph.supportedOpsets.contains(version) else { throw ONNXError.unsupportedOpset(source: source, opset: version) }
    return version
  }

  /// The nodes, named (`<op>_<index>` when unnamed), with supported domains and operators.
  private func nodes(_ protos: [Onnx_NodeProto], opset: Int) throws -> [Node] {
    var taken = Set(protos.map(\.name).filter { !$0.isEmpty })
    var result = [Node]()
    result.reserveCapacity(protos.count)
    for (index, proto) in protos.enumerated() {
      var name = proto.name
      if name.isEmpty {
        name = "\(proto.opType)_\(index)"
        var suffix = 2
        while taken.contains(name) {
          name = "\(proto.opType)_\(index)_\(suffix)"
          suffix += 1
        }
        taken.insert(name)
      }
      let isDefault = proto.domain.isEmpty || proto.domain == "ai.onnx"
      guard isDefault else { throw ONNXError.unsupportedDomain(node: name, op: proto.opType, domain: proto.domain) }
      guard OperatorSet.supports(proto.opType, domain: proto.domain) else {
        throw GraphIRError.unsupportedOperator(node: name, op: proto.opType, opset: opset)
      }
      var attributes = [String: Attribute]()
      for a in proto.attribute {
        guard attributes[a.name] == nil else {
          throw GraphIRError.invalidNode(node: name, op: proto.opType, reason: "attribute '\(a.name)' appears twice")
        }
        attributes[a.name] = try attribute(a, node: name)
      }
      result.append(
        Node(name: name, op: proto.opType, domain: "", inputs: proto.input, outputs: proto.output, attributes: attributes))
    }
    return result
  }

  /// The file name without folder and extension (`models/mlp.onnx` → `mlp`).
  static func stem(of source: String) -> String {
    let base = ONNXFile.baseName(of: source)
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
    return String(base[..<dot])
  }
}
