import Foundation
import Testing
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

/// `tessera inspect` on graph files: the summary lists a QDQ graph's float-fallback nodes.
@Suite("Graph summary report")
struct GraphSummaryReportTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  /// `x → DequantizeLinear → Gemm (DQ weights) → QuantizeLinear → DequantizeLinear → Add(x) → y`.
  static func qdqGraphWithAdd() throws -> Graph {
    var g = Graph(name: "qdq-add")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 2]))]
    g.initializers["s"] = try GraphTensor(float32: [0.1], shape: [])
    g.initializers["z"] = try GraphTensor(.int8([0]), shape: [])
    g.initializers["w_q"] = try GraphTensor(.int8([1, 2, 3, 4]), shape: [2, 2])
    g.initializers["w_s"] = try GraphTensor(float32: [0.5, 0.25], shape: [2])
    g.nodes = [
      Node(name: "xq", op: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["x_q"]),
      Node(name: "xdq", op: "DequantizeLinear", inputs: ["x_q", "s", "z"], outputs: ["x_dq"]),
      Node(name: "wdq", op: "DequantizeLinear", inputs: ["w_q", "w_s"], outputs: ["w"], attributes: ["axis": .int(0)]),
      Node(name: "fc", op: "Gemm", inputs: ["x_dq", "w"], outputs: ["h"], attributes: ["transB": .int(1)]),
      Node(name: "relu", op: "Relu", inputs: ["h"], outputs: ["h_relu"]),
      Node(name: "hq", op: "QuantizeLinear", inputs: ["h_relu", "s", "z"], outputs: ["h_q"]),
      Node(name: "hdq", op: "DequantizeLinear", inputs: ["h_q", "s", "z"], outputs: ["h_dq"]),
      Node(name: "skip", op: "Add", inputs: ["h_dq", "x"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 2]))]
    return try g.validate()
  }

  @Test func qdqGraphListsItsFloatNodes() throws {
    let report = try GraphSummaryReport(graph: try Self.qdqGraphWithAdd(), model: "qdq-add")
    #expect(report.floatNodes == [QDQGraphAnalysis.FloatNode(name: "skip", op: "Add")])
    // A Gemm with float weights is float even in a QDQ graph.
    var g = try Self.qdqGraphWithAdd()
    g.initializers["w_float"] = try GraphTensor(float32: [1, 0, 0, 1], shape: [2, 2])
    let fc = g.nodes.firstIndex { $0.name == "fc" }!
    g.nodes[fc].inputs[1] = "w_float"
    #expect(try GraphSummaryReport(graph: g.removingDeadNodes(), model: "m").floatNodes?.map(\.name) == ["fc", "relu", "skip"])
    #expect(report.notes.contains { $0.hasPrefix("float fallback: 1 nodes (skip Add)") })
    let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
    #expect((json?["float_nodes"] as? [[String: String]])?.first?["op"] == "Add")
  }

  @Test func bundledInt8ChainHasNoFloatNodesAndFloatGraphsNoField() throws {
    let int8 = try QuantizedNetwork(contentsOf: "\(Self.root)/Models/mlp-int8.safetensors").graphIR(name: "mlp-int8")
    #expect(try GraphSummaryReport(graph: int8, model: "mlp-int8").floatNodes == [])
    let float = try ModelFile(contentsOf: "\(Self.root)/Models/mlp.safetensors").graphIR()
    let report = try GraphSummaryReport(graph: float, model: "mlp")
    #expect(report.floatNodes == nil)
    let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
    #expect(json?["float_nodes"] == nil)
  }
}
