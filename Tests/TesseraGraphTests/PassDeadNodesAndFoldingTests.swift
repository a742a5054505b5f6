import Testing

@testable import TesseraGraph

@Suite("Passes: dead nodes and constant folding")
struct PassDeadNodesAndFoldingTests {
  typealias P = PassFixtures

  @Test("removingDeadNodes drops unreachable nodes and unused initializers, keeps partly used nodes")
  func deadNodes() throws {
    var g = Graph(name: "dead")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["b", 2]))]
    g.initializers = ["w": try GraphTensor(float32: [1, 2, 3, 4], shape: [2, 2]), "unused": try GraphTensor(float32: [1], shape: [1])]
    g.nodes = [
      Node(name: "relu", op: "Relu", inputs: ["x"], outputs: ["y"]),
      Node(name: "fc", op: "Gemm", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "sig", op: "Sigmoid", inputs: ["h"], outputs: ["s"]),
      Node(name: "drop", op: "Dropout", inputs: ["y"], outputs: ["d", "mask"]),
    ]
    g.outputs = [ValueInfo(name: "mask", type: TensorType(.bool, ["b", 2]))]
    g.valueTypes["h"] = TensorType(.float32, ["b", 2])
    let pruned = g.removingDeadNodes()
    #expect(pruned.nodes.map(\.name) == ["relu", "drop"])
    #expect(pruned.initializers.isEmpty)
    #expect(pruned.valueTypes["h"] == nil)
    try pruned.validate()
  }

  func foldable() throws -> Graph {
    var g = Graph(name: "fold", opset: 17)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [2, 3]))]
    g.initializers = [
      "a": try GraphTensor(float32: [1, 2, 3, 4, 5, 6], shape: [6]),
      "target": try GraphTensor(int64: [2, 3], shape: [2]),
    ]
    g.nodes = [
      Node(name: "two", op: "Constant", inputs: [], outputs: ["k"], attributes: ["value_float": .float(2)]),
      Node(name: "scale", op: "Mul", inputs: ["a", "k"], outputs: ["a2"]),
      Node(name: "shape", op: "Reshape", inputs: ["a2", "target"], outputs: ["w"]),
      Node(name: "use", op: "Add", inputs: ["x", "w"], outputs: ["y"]),
      Node(name: "xs", op: "Shape", inputs: ["x"], outputs: ["sx"]),
      Node(name: "cat", op: "Concat", inputs: ["sx", "target"], outputs: ["both"], attributes: ["axis": .int(0)]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, [2, 3])), ValueInfo(name: "both", type: TensorType(.int64, [4]))]
    return g
  }

  @Test("constant chains, Constant nodes and Shape of a fixed shape fold into initializers")
  func folding() throws {
    var calls = [String]()
    let folded = try foldable().foldingConstants { node, inputs in
      calls.append(node.name)
      return try P.evaluate(node, inputs)
    }
    #expect(calls == ["scale", "shape", "cat"])
    #expect(folded.nodes.map(\.name).sorted() == ["cat_identity", "use"])
    #expect(folded.initializers["w"] == (try GraphTensor(float32: [2, 4, 6, 8, 10, 12], shape: [2, 3])))
    #expect(folded.initializers["both_folded"] == (try GraphTensor(int64: [2, 3, 2, 3], shape: [4])))
    #expect(folded.initializers["a"] == nil && folded.initializers["target"] == nil && folded.initializers["k"] == nil)
    #expect(folded.producer(of: "both")?.op == "Identity")
    try folded.validate()
  }

  @Test("the element limit stops folding, before evaluating when the type is known")
  func sizeLimit() throws {
    var g = Graph(name: "big")
    g.initializers["s"] = try GraphTensor(float32: [1], shape: [1])
    g.nodes = [Node(name: "grow", op: "Add", inputs: ["s", "s"], outputs: ["big"]), Node(name: "id", op: "Identity", inputs: ["big"], outputs: ["y"])]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil))]
    g.valueTypes["big"] = TensorType(.float32, fixed: [4097, 4096])
    var called = false
    var out = try g.foldingConstants { _, _ in
      called = true
      return []
    }
    #expect(!called && out.nodes.count == 2)
    g.valueTypes = [:]
    out = try g.foldingConstants { node, _ in
      node.name == "grow" ? [try GraphTensor(zeros: .uint8, shape: [Graph.constantFoldingElementLimit + 1])] : [try GraphTensor(zeros: .uint8, shape: [1])]
    }
    #expect(out.nodes.map(\.name) == ["grow", "id"])
    out = try g.foldingConstants { _, _ in [try GraphTensor(zeros: .uint8, shape: [Graph.constantFoldingElementLimit])] }
    #expect(out.nodes.map(\.op) == ["Identity"] && out.initializers["y_folded"]?.count == Graph.constantFoldingElementLimit)
  }

  @Test("a wrong result count and evaluation errors are reported")
  func evaluationErrors() throws {
    let g = try foldable()
    #expect(throws: GraphIRError.invalidNode(node: "scale", op: "Mul", reason: "evaluation returned 0 tensors for 1 outputs")) {
      try g.foldingConstants { _, _ in [] }
    }
    #expect(throws: GraphIRError.self) {
      try g.foldingConstants { node, _ in throw GraphIRError.unsupportedOperator(node: node.name, op: node.op, opset: 17) }
    }
  }
}
