import Foundation
import Tessera
import TesseraNN
import TesseraQuantization

/// What `tessera import` and `tessera inspect` print for a graph-IR model: its inputs and
/// outputs, the operators it uses with their counts, and which engine runs it (the compiled fast
/// chain engine when the graph lowers onto it, else the compiled float graph engine
/// (``GraphPlan``), else the reference interpreter, with the reason).
///
/// JSON: `{"model", "name", "opset", "inputs": [{"name", "dtype", "shape"}], "outputs": [...],
/// "nodes", "initializers", "parameters", "engine", "engine_note", "ops": [{"op", "count"}],
/// "float_nodes": [{"name", "op"}], "out"}` (`engine` is `fast-float`, `fast-int8`, `graph-float`, `graph-dynamic`,
/// `graph-qdq` (a QDQ graph on ``GraphPlan``: float compute with fake-quantize steps) or
/// `interpreter`; `float_nodes`, only for QDQ graphs, lists the nodes that compute in float:
/// neither Q/DQ nor quantized compute nodes, see `QDQGraphAnalysis`).
public struct GraphSummaryReport: TabularReport, Sendable {
  /// A graph input or output.
  public struct Value: Encodable, Sendable, Equatable {
    /// Value name.
    public var name: String
    /// Element type.
    public var dtype: String
    /// Dimensions (numbers or symbol names).
    public var shape: [String]
  }
  /// One operator type and how many nodes use it.
  public struct Op: Encodable, Sendable, Equatable {
    /// Operator (domain-qualified outside the ONNX domain).
    public var op: String
    /// Nodes using it.
    public var count: Int
  }

  /// The file read.
  public var model: String
  /// The graph name.
  public var name: String
  /// Default-domain opset.
  public var opset: Int
  /// Graph inputs.
  public var inputs: [Value]
  /// Graph outputs.
  public var outputs: [Value]
  /// Node count.
  public var nodes: Int
  /// Initializer count.
  public var initializers: Int
  /// Elements in all initializers.
  public var parameters: Int
  /// `fast-float`, `fast-int8` (chain engine), `graph-float` (``GraphPlan``), `graph-qdq` (a QDQ
  /// graph on ``GraphPlan``), `graph-dynamic` (``DynamicGraphPlan``: several inputs, symbolic
  /// dimensions) or `interpreter`.
  public var engine: String
  /// Why the graph runs on the interpreter, or for `graph-float` its steps and the nodes on the
  /// reference fallback (nil on the chain engine).
  public var engineNote: String?
  /// Operators by first use.
  public var ops: [Op]
  /// For a QDQ graph, the nodes that compute in float (nil for other graphs).
  public var floatNodes: [QDQGraphAnalysis.FloatNode]?
  /// The file written, when the command wrote one.
  public var out: String?

  enum CodingKeys: String, CodingKey {
    case model, name, opset, inputs, outputs, nodes, initializers, parameters, engine, ops, out
    case engineNote = "engine_note"
    case floatNodes = "float_nodes"
  }

  /// Summarizes a graph.
  /// - Parameters:
  ///   - graph: the model.
  ///   - model: the file it came from.
  ///   - out: the file written, if any.
  /// - Throws: `GraphIRError` when the graph is invalid.
  public init(graph: Graph, model: String, out: String? = nil) throws {
    let loaded = try LoadedModel(graph: graph)
    self.model = model
    name = graph.name
    opset = graph.opset
    func value(_ v: ValueInfo) -> Value {
      Value(name: v.name, dtype: v.type.elementType.rawValue, shape: v.type.shape?.map(\.description) ?? ["?"])
    }
    inputs = graph.inputs.map(value)
    outputs = graph.outputs.map(value)
    nodes = graph.nodes.count
    initializers = graph.initializers.count
    parameters = graph.initializers.values.reduce(0) { $0 + $1.count }
    switch loaded {
    case .float: engine = "fast-float"
    case .quantized: engine = "fast-int8"
    case let .graph(g, reason):
      do {
        let compiled = try GraphPlan(graph: g)
        engine = compiled.isQuantized ? "graph-qdq" : "graph-float"
        let fallback = compiled.stepKinds.filter { $0.kind.hasPrefix("reference-") }
        engineNote = "\(compiled.stepKinds.count) steps, \(fallback.count) on the reference fallback"
          + (fallback.isEmpty ? "" : " (" + fallback.map { "\($0.node): \($0.kind.dropFirst(10))" }.joined(separator: ", ") + ")")
      } catch {
        if let dynamic = try? DynamicGraphPlan(graph: g) {
          // Several inputs or symbolic dimensions besides the batch (text encoders).
          engine = "graph-dynamic"
          let fallback = dynamic.fallbackNodes
          let int8 = dynamic.stepKinds.filter { $0.kind.hasPrefix("qd8-") }.count
          engineNote = "\(dynamic.stepKinds.count) steps, \(int8) int8 Linear, \(fallback.count) on the reference fallback"
        } else {
          // Both reasons: why the chain engine and why the graph engine do not take it.
          engine = "interpreter"
          engineNote = "chain engine: \(reason); graph engine: \(error)"
        }
      }
    }
    var counts = [String: Int](), order = [String]()
    for node in graph.nodes {
      let key = node.domain.isEmpty || node.domain == "ai.onnx" ? node.op : "\(node.domain).\(node.op)"
      if counts[key] == nil { order.append(key) }
      counts[key, default: 0] += 1
    }
    ops = order.map { Op(op: $0, count: counts[$0]!) }
    floatNodes = QDQGraphAnalysis.isQDQ(graph) ? QDQGraphAnalysis.floatNodes(in: graph) : nil
    self.out = out
  }

  /// `model (name): N nodes, opset K`.
  public var title: String? { "\(model) (\(name)): \(nodes) nodes, \(initializers) initializers, opset \(opset)" }

  /// Inputs, outputs and the engine.
  public var notes: [String] {
    var lines = inputs.map { "input  \($0.name): \($0.dtype)[\($0.shape.joined(separator: ", "))]" }
    lines += outputs.map { "output \($0.name): \($0.dtype)[\($0.shape.joined(separator: ", "))]" }
    lines.append("parameters: \(parameters)")
    switch engine {
    case "interpreter": lines.append("engine: reference interpreter (\(engineNote ?? ""))")
    case "graph-float": lines.append("engine: compiled float graph engine (\(engineNote ?? ""))")
    case "graph-qdq": lines.append("engine: compiled graph engine, QDQ in float with fake-quantize steps (\(engineNote ?? ""))")
    case "graph-dynamic": lines.append("engine: dynamic-shape graph engine (\(engineNote ?? ""))")
    default: lines.append("engine: compiled \(engine == "fast-int8" ? "int8" : "float") engine")
    }
    if let floatNodes {
      lines.append(
        floatNodes.isEmpty
          ? "float fallback: none (every compute node is int8)"
          : "float fallback: \(floatNodes.count) nodes (\(floatNodes.map { "\($0.name) \($0.op)" }.joined(separator: ", ")))")
    }
    if let out { lines.append("wrote \(out)") }
    return lines
  }

  /// One row per operator.
  public func table(for format: ReportFormat) -> ReportTable {
    var table = ReportTable(columns: [.init("op"), .init("count", alignment: .right)])
    for op in ops { try? table.append([op.op, "\(op.count)"]) }
    return table
  }
}
