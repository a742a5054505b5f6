import TesseraNN
import TesseraQuantization

/// A model file's content: an int8 network (quantization metadata present) or a float one.
public enum LoadedModel: Sendable {
  /// A float model, folded.
  case float(FusedNetwork)
  /// An int8 model.
  case quantized(QuantizedNetwork)
  /// A graph the chain engine cannot lower, with the reason; an ``Engine`` runs it on
  /// ``GraphPlan``, ``DynamicGraphPlan`` or the reference interpreter (see
  /// ``Engine/init(graph:configuration:)``).
  case graph(Graph, reason: String)

  /// Lowers a graph-IR model onto the fast engine's networks when it is a chain (QDQ graphs, those
  /// with QuantizeLinear nodes, become int8 networks), else keeps the graph.
  /// - Parameter graph: the model.
  /// - Throws: `GraphIRError` when the graph is invalid.
  public init(graph: Graph) throws {
    let sorted = try graph.validate()
    do {
      if sorted.nodes.contains(where: { $0.op == "QuantizeLinear" }) {
        self = .quantized(try GraphLowering.quantizedNetwork(sorted))
      } else {
        self = .float(try GraphLowering.floatNetwork(sorted))
      }
    } catch {
      self = .graph(sorted, reason: "\(error)")
    }
  }

  /// Reads a model file and decides its kind from `__metadata__["tessera.quantization"]`.
  /// - Parameter path: a `.safetensors` model file.
  /// - Throws: `SafeTensorsError` or `QuantizationError` naming the file and problem.
  public init(contentsOf path: String) throws {
    try self.init(file: try SafeTensorsFile(contentsOf: path), source: path)
  }

  /// Decides a read model file's kind (see ``init(contentsOf:)``).
  init(file: SafeTensorsFile, source path: String) throws {
    if GraphModelFile.version(of: file) == GraphDocument.version {
      try self.init(graph: try GraphModelFile(file: file, source: path).graph)
    } else if file.metadata[QuantizedNetwork.metadataKey] != nil {
      self = .quantized(try QuantizedNetwork(file: file, source: path))
    } else {
      self = .float(try FusedNetwork(graph: try FusedNetwork.graph(in: file, source: path), tensors: file, source: path))
    }
  }

  /// Per-sample input shape.
  public var inputShape: [Int] {
    switch self {
    case let .float(f): f.inputShape
    case let .quantized(q): q.inputShape
    case let .graph(g, _): g.inputs.first?.type.shape.map { $0.dropFirst().map { $0.value ?? 0 } } ?? []
    }
  }
}
