import Foundation

/// Graph JSON version 2: the form a ``Graph`` takes inside a model file's
/// `__metadata__["tessera.graph"]`. Initializer data lives in the file's tensors under the
/// initializer's name; the JSON lists each initializer's type so the two can be checked.
///
/// ```json
/// {"version": 2, "name": "mlp", "opset": 17,
///  "inputs": [{"name": "input", "dtype": "float32", "shape": ["batch", 1, 28, 28]}],
///  "outputs": [{"name": "logits", "dtype": "float32", "shape": ["batch", 10]}],
///  "initializers": [{"name": "fc1.weight", "dtype": "float32", "shape": [256, 784]}],
///  "nodes": [{"name": "fc1", "op": "Gemm", "inputs": ["flat", "fc1.weight", "fc1.bias"],
///             "outputs": ["fc1"], "attributes": {"transB": {"int": 1}}}],
///  "value_types": {"fc1": {"dtype": "float32", "shape": ["batch", 256]}},
///  "metadata": {"tessera.classes": "10"}}
/// ```
/// Version-1 documents (a list of layers) are read by TesseraNN and converted.
public struct GraphDocument: Sendable, Equatable, Codable {
  /// The schema version this type reads and writes.
  public static let version = 2

  /// Always ``version``.
  public var version: Int
  /// Model name.
  public var name: String
  /// Default-domain opset.
  public var opset: Int
  /// Graph inputs.
  public var inputs: [ValueInfo]
  /// Graph outputs.
  public var outputs: [ValueInfo]
  /// Initializer names and types (data in the file's tensors).
  public var initializers: [ValueInfo]
  /// Nodes in topological order.
  public var nodes: [NodeDocument]
  /// Known intermediate types.
  public var valueTypes: [String: TensorType]?
  /// String metadata.
  public var metadata: [String: String]?

  enum CodingKeys: String, CodingKey {
    case version, name, opset, inputs, outputs, initializers, nodes, metadata
    case valueTypes = "value_types"
  }

  /// The document for a graph (nodes topologically sorted, initializers by name).
  /// - Parameter graph: the graph.
  /// - Throws: ``GraphIRError`` when the graph is invalid.
  public init(_ graph: Graph) throws {
    let sorted = try graph.validate()
    version = Self.version
    name = graph.name
    opset = graph.opset
    inputs = graph.inputs
    outputs = graph.outputs
    initializers = graph.initializers.keys.sorted().map { ValueInfo(name: $0, type: graph.initializers[$0]!.type) }
    nodes = sorted.nodes.map(NodeDocument.init)
    valueTypes = graph.valueTypes.isEmpty ? nil : graph.valueTypes
    metadata = graph.metadata.isEmpty ? nil : graph.metadata
  }

  /// The graph, with initializer data taken from `tensors`.
  /// - Parameter tensors: tensors by name (a model file's).
  /// - Throws: ``GraphIRError`` when a listed initializer is missing or has another type, or the
  ///   graph is invalid.
  public func graph(tensors: [String: GraphTensor]) throws -> Graph {
    guard version == Self.version else { throw GraphIRError.invalidGraph("graph JSON version \(version), expected \(Self.version)") }
    var g = Graph(name: name, opset: opset)
    g.inputs = inputs
    g.outputs = outputs
    for info in initializers {
      guard let t = tensors[info.name] else {
        throw GraphIRError.invalidGraph("initializer '\(info.name)' is listed in the graph but not stored in the file")
      }
      guard t.type == info.type else {
        throw GraphIRError.invalidGraph("initializer '\(info.name)' is declared \(info.type) but stored as \(t.type)")
      }
      g.initializers[info.name] = t
    }
    g.nodes = nodes.map(\.node)
    g.valueTypes = valueTypes ?? [:]
    g.metadata = metadata ?? [:]
    return try g.validate()
  }

  /// Sorted-key JSON.
  /// - Throws: `EncodingError` for non-finite attribute values.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(self)
  }
}

/// A node in graph JSON (``Node`` with optional `domain` and `attributes`).
public struct NodeDocument: Sendable, Equatable, Codable {
  /// The node.
  public var node: Node

  /// Wraps a node.
  /// - Parameter node: the node.
  public init(_ node: Node) { self.node = node }

  enum CodingKeys: String, CodingKey { case name, op, domain, inputs, outputs, attributes }

  /// Decodes `{"name", "op", "domain"?, "inputs", "outputs", "attributes"?}`.
  /// - Throws: `DecodingError` for missing fields.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    node = Node(
      name: try c.decode(String.self, forKey: .name), op: try c.decode(String.self, forKey: .op),
      domain: try c.decodeIfPresent(String.self, forKey: .domain) ?? "",
      inputs: try c.decode([String].self, forKey: .inputs), outputs: try c.decode([String].self, forKey: .outputs),
      attributes: try c.decodeIfPresent([String: Attribute].self, forKey: .attributes) ?? [:])
  }

  /// Encodes the node, leaving out an empty domain and empty attributes.
  /// - Throws: `EncodingError` for non-finite attribute values.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(node.name, forKey: .name)
    try c.encode(node.op, forKey: .op)
    if !node.domain.isEmpty { try c.encode(node.domain, forKey: .domain) }
    try c.encode(node.inputs, forKey: .inputs)
    try c.encode(node.outputs, forKey: .outputs)
    if !node.attributes.isEmpty { try c.encode(node.attributes, forKey: .attributes) }
  }
}
