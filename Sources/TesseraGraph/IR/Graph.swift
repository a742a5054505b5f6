/// A model as a graph: named values with types, nodes that compute them, constant initializers,
/// and the graph's inputs and outputs. Every part of Tessera works on it: training exports its
/// networks to it, ONNX import and export map to it, the quantizer rewrites it, the engine and the
/// reference interpreter run it, the scheduler maps its GEMM and convolution nodes.
///
/// Values are named by strings; each value has exactly one producer (a graph input, an
/// initializer or one node output). Operators keep ONNX's names and semantics at the graph's
/// opset (``opset``), so import and export are a table, not a translation.
///
/// For example:
/// ```swift
/// var g = Graph(name: "tiny", opset: 17)
/// g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 4]))]
/// g.initializers["w"] = try GraphTensor(float32: Array(repeating: 0.1, count: 8), shape: [2, 4])
/// g.nodes = [Node(name: "fc", op: "Gemm", inputs: ["x", "w"], outputs: ["y"], attributes: ["transB": .int(1)])]
/// g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 2]))]
/// try g.validate()
/// ```
public struct Graph: Sendable, Equatable {
  /// Model name.
  public var name: String
  /// Opset version of the default (ONNX) domain the node semantics follow.
  public var opset: Int
  /// Graph inputs in order (initializers are not listed here).
  public var inputs: [ValueInfo]
  /// Graph outputs in order.
  public var outputs: [ValueInfo]
  /// Nodes (any order on construction; ``validate()`` and topological sorting order them).
  public var nodes: [Node]
  /// Constant tensors by value name.
  public var initializers: [String: GraphTensor]
  /// Known types of intermediate values (declared by an importer or filled by shape inference).
  public var valueTypes: [String: TensorType]
  /// Free-form string metadata (producer, classes, input normalization, …).
  public var metadata: [String: String]

  /// Makes an empty graph.
  /// - Parameters:
  ///   - name: model name.
  ///   - opset: opset version of the default domain.
  public init(name: String, opset: Int = Graph.defaultOpset) {
    self.name = name
    self.opset = opset
    inputs = []
    outputs = []
    nodes = []
    initializers = [:]
    valueTypes = [:]
    metadata = [:]
  }

  /// The opset Tessera writes by default (ONNX opset 17).
  public static let defaultOpset = 17
  /// Oldest and newest opsets of the default domain the IR accepts.
  public static let supportedOpsets = 11...21

  /// The type of a value when known: a graph input or output, an initializer, or a recorded type.
  /// - Parameter name: the value name.
  public func type(of name: String) -> TensorType? {
    if let t = initializers[name] { return t.type }
    if let i = inputs.first(where: { $0.name == name }) { return i.type }
    if let t = valueTypes[name] { return t }
    return outputs.first(where: { $0.name == name })?.type
  }

  /// The node that produces `value`, if any.
  /// - Parameter value: a value name.
  public func producer(of value: String) -> Node? { nodes.first { $0.outputs.contains(value) } }
}

/// A named graph input or output and its type.
public struct ValueInfo: Sendable, Equatable, Codable {
  /// The value name.
  public var name: String
  /// Its type.
  public var type: TensorType

  /// Makes a value description.
  /// - Parameters:
  ///   - name: value name.
  ///   - type: element type and shape.
  public init(name: String, type: TensorType) {
    self.name = name
    self.type = type
  }

  enum CodingKeys: String, CodingKey { case name, dtype, shape }

  /// Decodes `{"name", "dtype", "shape"}`.
  /// - Throws: `DecodingError` for missing fields.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    type = TensorType(
      try c.decode(ElementType.self, forKey: .dtype), try c.decodeIfPresent([Dimension].self, forKey: .shape))
  }

  /// Encodes `{"name", "dtype", "shape"}`.
  /// - Throws: `EncodingError` from the encoder.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(type.elementType, forKey: .dtype)
    try c.encodeIfPresent(type.shape, forKey: .shape)
  }
}
