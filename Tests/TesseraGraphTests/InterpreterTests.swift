import Foundation
import Testing

@testable import TesseraGraph

@Suite("Reference interpreter")
struct InterpreterTests: InterpreterTesting {
  @Test("every supported operator has a kernel")
  func registry() {
    #expect(OperatorKernels.implemented == OperatorSet.supported)
    for op in OperatorSet.supported {
      // Available from the opset that introduced it (11, the lowest supported, for most).
      let first = max(11, OperatorKernels.firstOpset[op]!)
      #expect(OperatorKernels.supports(op, domain: "", opset: first))
      #expect(!OperatorKernels.supports(op, domain: "", opset: first - 1))
      #expect(OperatorKernels.supports(op, domain: "ai.onnx", opset: 21))
    }
    #expect(!OperatorKernels.supports("Gelu", domain: "", opset: 19))
    #expect(!OperatorKernels.supports("LayerNormalization", domain: "", opset: 16))
    #expect(!OperatorKernels.supports("Relu", domain: "com.tessera", opset: 17))
    #expect(!OperatorKernels.supports("Relu", domain: "", opset: 22))
  }

  @Test("runs a graph and returns its outputs by name")
  func runsTiny() throws {
    let interpreter = try ReferenceInterpreter(graph: try tinyGraph())
    let out = try interpreter.run(["x": try f32([1, 1, 1, 0, 1, 0], [2, 3])])
    // h = x·Wᵀ + b: row 1 → [6.5, -5.5], row 2 → [2.5, -1.5]; relu.
    expectClose(out["y"]!, [6.5, 0, 2.5, 0], shape: [2, 2])
    #expect(out.count == 1)
  }

  @Test("observe sees every node's outputs in order")
  func observes() throws {
    var seen = [(String, [Int])]()
    _ = try ReferenceInterpreter(graph: try tinyGraph()).run(["x": try f32([1, 2, 3], [1, 3])]) { node, outputs in
      seen.append((node.name, outputs.map(\.count)))
    }
    #expect(seen.map(\.0) == ["fc", "relu"])
    #expect(seen.map(\.1) == [[2], [2]])
  }

  @Test("unsupported operators and domains are named at init")
  func unsupported() throws {
    var g = try tinyGraph()
    g.nodes[0] = Node(name: "relu", op: "Gelu", inputs: ["h"], outputs: ["y"])
    #expect(throws: GraphIRError.unsupportedOperator(node: "relu", op: "Gelu", opset: 17)) {
      try ReferenceInterpreter(graph: g)
    }
    g.nodes[0] = Node(name: "relu", op: "Relu", domain: "com.example", inputs: ["h"], outputs: ["y"])
    #expect(throws: GraphIRError.unsupportedOperator(node: "relu", op: "com.example.Relu", opset: 17)) {
      try ReferenceInterpreter(graph: g)
    }
    #expect(throws: GraphIRError.unsupportedOperator(node: "n", op: "Gelu", opset: 17)) { try evaluate("Gelu", []) }
  }

  @Test("inputs are checked: missing, unknown, type, rank, fixed size")
  func inputChecks() throws {
    let interpreter = try ReferenceInterpreter(graph: try tinyGraph())
    let x = try f32([1, 2, 3], [1, 3])
    expectError("input 'x' is missing") { try interpreter.run([:]) }
    expectError("'z' is not an input") { try interpreter.run(["x": x, "z": x]) }
    expectError("input 'x' is int64, expected float32") { try interpreter.run(["x": try i64([1, 2, 3], [1, 3])]) }
    expectError("input 'x'", "expected rank 2") { try interpreter.run(["x": try f32([1, 2, 3])]) }
    expectError("input 'x'", "dimension 1 is 4, not 3") { try interpreter.run(["x": try f32([1, 2, 3, 4], [1, 4])]) }
  }

  @Test("a symbolic dimension binds to one size across inputs")
  func symbols() throws {
    var g = Graph(name: "sum")
    g.inputs = [
      ValueInfo(name: "a", type: TensorType(.float32, ["batch", 2])),
      ValueInfo(name: "b", type: TensorType(.float32, ["batch", 2])),
    ]
    g.nodes = [Node(name: "add", op: "Add", inputs: ["a", "b"], outputs: ["c"])]
    g.outputs = [ValueInfo(name: "c", type: TensorType(.float32, ["batch", 2]))]
    let interpreter = try ReferenceInterpreter(graph: g)
    let out = try interpreter.run(["a": try f32([1, 2, 3, 4], [2, 2]), "b": try f32([10, 20, 30, 40], [2, 2])])
    expectClose(out["c"]!, [11, 22, 33, 44])
    expectError("input 'b' dimension 0 ('batch') is 1, but 'batch' is 2 in input 'a'") {
      try interpreter.run(["a": try f32([1, 2, 3, 4], [2, 2]), "b": try f32([1, 2], [1, 2])])
    }
  }

  @Test("NaN inputs propagate instead of being rejected")
  func nanPropagates() throws {
    let out = try ReferenceInterpreter(graph: try tinyGraph()).run(["x": try f32([.nan, 0, 0], [1, 3])])
    let y = out["y"]!.float32!
    #expect(y.allSatisfy { $0.isNaN })
  }

  @Test("node errors name the node and operator")
  func nodeErrors() throws {
    var g = try tinyGraph()
    g.initializers["w"] = try f32([1, 2, 3, 4], [2, 2])
    let interpreter = try ReferenceInterpreter(graph: g)
    #expect(throws: GraphIRError.self) { try interpreter.run(["x": try f32([1, 2, 3], [1, 3])]) }
    expectError("node 'fc' (Gemm)", "inner dimensions differ") { try interpreter.run(["x": try f32([1, 2, 3], [1, 3])]) }
  }

  @Test("values used by later nodes survive; graph outputs may be inputs or intermediates")
  func lifetimes() throws {
    var g = Graph(name: "diamond")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [2]))]
    g.nodes = [
      Node(name: "a", op: "Relu", inputs: ["x"], outputs: ["r"]),
      Node(name: "b", op: "Sigmoid", inputs: ["x"], outputs: ["s"]),
      Node(name: "c", op: "Add", inputs: ["r", "s"], outputs: ["t"]),
      Node(name: "d", op: "Mul", inputs: ["t", "r"], outputs: ["u"]),
      Node(name: "e", op: "Dropout", inputs: ["u"], outputs: ["v", ""]),
    ]
    g.outputs = [ValueInfo(name: "v", type: TensorType(.float32, [2])), ValueInfo(name: "x", type: TensorType(.float32, [2])),
                 ValueInfo(name: "t", type: TensorType(.float32, [2]))]
    let out = try ReferenceInterpreter(graph: g).run(["x": try f32([2, -1])])
    let s2 = 1 / (1 + exp(-2.0))
    expectClose(out["v"]!, [(2 + s2) * 2, 0])
    expectClose(out["t"]!, [2 + s2, 1 / (1 + exp(1.0))])
    expectClose(out["x"]!, [2, -1])
  }
}
