import Testing

@testable import TesseraGraph

@Suite("Passes: activation and bias fusion")
struct PassActivationTests {
  func graph(_ nodes: [Node], initializers: [String: GraphTensor] = [:], outputs: [String] = ["y"]) throws -> Graph {
    var g = Graph(name: "act")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["b", 4]))]
    g.initializers = initializers
    g.initializers["w"] = try GraphTensor(float32: PassFixtures.values(12, seed: 1), shape: [4, 3])
    g.nodes = nodes
    g.outputs = outputs.map { ValueInfo(name: $0, type: TensorType(.float32, ["b", 3])) }
    return g
  }

  func scalar(_ v: Float) throws -> GraphTensor { try GraphTensor(float32: [v], shape: []) }

  @Test("Gemm → Relu becomes FusedGemm; unfusing restores Gemm → Relu")
  func relu() throws {
    let g = try graph([
      Node(name: "fc", op: "Gemm", inputs: ["x", "w"], outputs: ["h"], attributes: ["alpha": .float(2)]),
      Node(name: "act", op: "Relu", inputs: ["h"], outputs: ["y"]),
    ])
    let fused = g.fusingActivations()
    #expect(fused.nodes == [
      Node(name: "fc", op: "FusedGemm", domain: "com.tessera", inputs: ["x", "w"], outputs: ["y"],
        attributes: ["alpha": .float(2), "activation": .string("Relu")])
    ])
    try fused.validate()
    let back = fused.unfusingActivations()
    #expect(back.nodes == [
      Node(name: "fc", op: "Gemm", inputs: ["x", "w"], outputs: ["y_preact"], attributes: ["alpha": .float(2)]),
      Node(name: "fc_relu", op: "Relu", inputs: ["y_preact"], outputs: ["y"]),
    ])
    try back.validate()
  }

  @Test("Clip(0, 6) from Constant nodes fuses with its bounds; unfusing writes them as initializers")
  func clip() throws {
    let g = try graph([
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "lo", op: "Constant", inputs: [], outputs: ["zero"], attributes: ["value": .tensor(try scalar(0))]),
      Node(name: "act", op: "Clip", inputs: ["h", "zero", "six"], outputs: ["y"]),
    ], initializers: ["six": try scalar(6)])
    let fused = g.fusingActivations()
    #expect(fused.nodes.count == 1 && fused.initializers.keys.sorted() == ["w"])
    #expect(fused.nodes[0].op == "FusedMatMul" && fused.nodes[0].attributes["activation"] == .string("Clip"))
    #expect(fused.nodes[0].attributes["activation_min"] == .float(0) && fused.nodes[0].attributes["activation_max"] == .float(6))
    let back = fused.unfusingActivations()
    #expect(back.nodes.map(\.op) == ["MatMul", "Clip"])
    #expect(back.nodes[1].inputs == ["y_preact", "mm_clip_min", "mm_clip_max"])
    let (six, zero) = (try scalar(6), try scalar(0))
    #expect(back.initializers["mm_clip_max"] == six && back.initializers["mm_clip_min"] == zero)
    try back.validate()
  }

  @Test("Clip without max fuses as Relu; Clip with min ≠ 0, a shared output or a non-fusable producer does not fuse")
  func preconditions() throws {
    let noMax = try graph([
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "act", op: "Clip", inputs: ["h", "zero"], outputs: ["y"]),
    ], initializers: ["zero": try scalar(0)])
    #expect(noMax.fusingActivations().nodes.map(\.attributes) == [["activation": .string("Relu")]])
    let negative = try graph([
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "act", op: "Clip", inputs: ["h", "lo", "hi"], outputs: ["y"]),
    ], initializers: ["lo": try scalar(-1), "hi": try scalar(1)])
    #expect(negative.fusingActivations() == negative)
    let shared = try graph([
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "act", op: "Relu", inputs: ["h"], outputs: ["y"]),
    ], outputs: ["y", "h"])
    #expect(shared.fusingActivations() == shared)
    let sigmoid = try graph([
      Node(name: "s", op: "Sigmoid", inputs: ["x"], outputs: ["h"]),
      Node(name: "act", op: "Relu", inputs: ["h"], outputs: ["y"]),
    ])
    #expect(sigmoid.fusingActivations() == sigmoid)
  }

  @Test("MatMul + Add(bias) becomes Gemm with C, then Relu fuses into FusedGemm")
  func bias() throws {
    let g = try graph([
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "add", op: "Add", inputs: ["bias", "h"], outputs: ["z"]),
      Node(name: "act", op: "Relu", inputs: ["z"], outputs: ["y"]),
    ], initializers: ["bias": try GraphTensor(float32: [1, 2, 3], shape: [3])])
    let withBias = g.fusingBias()
    #expect(withBias.nodes.map(\.op) == ["Gemm", "Relu"])
    #expect(withBias.nodes[0].inputs == ["x", "w", "bias"] && withBias.nodes[0].outputs == ["z"])
    let fused = withBias.fusingActivations()
    #expect(fused.nodes.map(\.op) == ["FusedGemm"] && fused.nodes[0].inputs == ["x", "w", "bias"])
    try fused.validate()

    var wrongShape = g
    wrongShape.initializers["bias"] = try GraphTensor(float32: [1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(wrongShape.fusingBias() == wrongShape)
    var rank3 = g
    rank3.inputs[0].type = TensorType(.float32, ["b", 2, 4])
    #expect(rank3.fusingBias() == rank3)
    var transposed = g
    transposed.nodes[0] = Node(name: "mm", op: "Gemm", inputs: ["x", "w2"], outputs: ["h"], attributes: ["transB": .int(1), "beta": .float(3)])
    transposed.initializers["w2"] = try GraphTensor(zeros: .float32, shape: [3, 4])
    let gemm = transposed.fusingBias()
    #expect(gemm.nodes[0].inputs == ["x", "w2", "bias"] && gemm.nodes[0].attributes == ["transB": .int(1)])
  }
}
