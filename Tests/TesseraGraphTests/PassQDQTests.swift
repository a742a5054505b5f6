import Testing

@testable import TesseraGraph

@Suite("Passes: QDQ fusion")
struct PassQDQTests {
  func scalar(_ v: Float) throws -> GraphTensor { try GraphTensor(float32: [v], shape: []) }

  /// DQ(x_q) and DQ(w_q) → Conv(pads 1, float bias) → Q, int8 per-channel weights.
  func convGraph() throws -> Graph {
    var g = Graph(name: "qdq-conv", opset: 13)
    g.inputs = [ValueInfo(name: "x_q", type: TensorType(.uint8, ["n", 1, 4, 4]))]
    g.initializers = [
      "xs": try scalar(0.1), "xz": try GraphTensor(.uint8([128]), shape: []),
      "w_q": try GraphTensor(.int8((0..<18).map { Int8($0 - 9) }), shape: [2, 1, 3, 3]),
      "ws": try GraphTensor(float32: [0.5, 0.25], shape: [2]), "wz": try GraphTensor(.int8([0, 0]), shape: [2]),
      "b": try GraphTensor(float32: [1.0, -0.5], shape: [2]), "ys": try scalar(0.2), "yz": try GraphTensor(.int8([-3]), shape: []),
    ]
    g.nodes = [
      Node(name: "dqx", op: "DequantizeLinear", inputs: ["x_q", "xs", "xz"], outputs: ["x"]),
      Node(name: "dqw", op: "DequantizeLinear", inputs: ["w_q", "ws", "wz"], outputs: ["w"], attributes: ["axis": .int(0)]),
      Node(name: "conv", op: "Conv", inputs: ["x", "w", "b"], outputs: ["yf"], attributes: ["pads": .ints([1, 1, 1, 1])]),
      Node(name: "q", op: "QuantizeLinear", inputs: ["yf", "ys", "yz"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.int8, ["n", 2, 4, 4]))]
    return g
  }

  @Test("Conv with per-channel weights and a float bias becomes QLinearConv with an int32 bias")
  func conv() throws {
    let fused = try convGraph().fusingQDQ()
    #expect(fused.nodes == [
      Node(name: "conv", op: "QLinearConv", inputs: ["x_q", "xs", "xz", "w_q", "ws", "wz", "ys", "yz", "conv_bias_q"], outputs: ["y"],
        attributes: ["pads": .ints([1, 1, 1, 1])])
    ])
    #expect(fused.initializers["conv_bias_q"] == (try GraphTensor(.int32([20, -20]), shape: [2])))
    #expect(fused.initializers["b"] == nil)
    #expect(try fused.inferringTypes().valueTypes["y"] == TensorType(.int8, ["n", 2, 4, 4]))
  }

  @Test("MatMul with per-column weights and omitted zero points becomes QLinearMatMul with zero initializers")
  func matMul() throws {
    var g = Graph(name: "qdq-mm", opset: 13)
    g.inputs = [ValueInfo(name: "x_q", type: TensorType(.int8, ["n", 4]))]
    g.initializers = [
      "xs": try scalar(0.1), "w_q": try GraphTensor(.uint8(Array(0..<12)), shape: [4, 3]),
      "ws": try GraphTensor(float32: [0.5, 0.25, 0.125], shape: [3]), "ys": try scalar(0.2),
    ]
    g.nodes = [
      Node(name: "dqx", op: "DequantizeLinear", inputs: ["x_q", "xs"], outputs: ["x"]),
      Node(name: "dqw", op: "DequantizeLinear", inputs: ["w_q", "ws"], outputs: ["w"]),
      Node(name: "mm", op: "MatMul", inputs: ["x", "w"], outputs: ["yf"]),
      Node(name: "q", op: "QuantizeLinear", inputs: ["yf", "ys"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.uint8, ["n", 3]))]
    let fused = g.fusingQDQ()
    #expect(fused.nodes.map(\.op) == ["QLinearMatMul"])
    #expect(fused.nodes[0].inputs == ["x_q", "xs", "dqx_zero_point", "w_q", "ws", "dqw_zero_point", "ys", "q_zero_point"])
    #expect(fused.initializers["dqx_zero_point"] == (try GraphTensor(.int8([0]), shape: [])))
    #expect(fused.initializers["dqw_zero_point"] == (try GraphTensor(.uint8([0, 0, 0]), shape: [3])))
    #expect(fused.initializers["q_zero_point"] == (try GraphTensor(.uint8([0]), shape: [])))
    try fused.validate()
  }

  @Test("Gemm (transB) with a dequantized int32 bias becomes QGemm computing what the float path computes")
  func gemm() throws {
    var g = Graph(name: "qdq-gemm", opset: 17)
    g.inputs = [ValueInfo(name: "x_q", type: TensorType(.uint8, ["n", 3]))]
    g.initializers = [
      "xs": try scalar(0.5), "xz": try GraphTensor(.uint8([128]), shape: []),
      "w_q": try GraphTensor(.int8([3, -7, 1, 127, -128, 5]), shape: [2, 3]), "ws": try GraphTensor(float32: [0.25, 0.125], shape: [2]),
      "b_q": try GraphTensor(.int32([5, -7]), shape: [2]), "bs": try GraphTensor(float32: [0.125, 0.0625], shape: [2]),
      "ys": try scalar(2), "yz": try GraphTensor(.uint8([128]), shape: []),
    ]
    g.nodes = [
      Node(name: "dqx", op: "DequantizeLinear", inputs: ["x_q", "xs", "xz"], outputs: ["x"]),
      Node(name: "dqw", op: "DequantizeLinear", inputs: ["w_q", "ws"], outputs: ["w"], attributes: ["axis": .int(0)]),
      Node(name: "dqb", op: "DequantizeLinear", inputs: ["b_q", "bs"], outputs: ["b"], attributes: ["axis": .int(0)]),
      Node(name: "fc", op: "Gemm", inputs: ["x", "w", "b"], outputs: ["yf"], attributes: ["transB": .int(1)]),
      Node(name: "q", op: "QuantizeLinear", inputs: ["yf", "ys", "yz"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.uint8, ["n", 2]))]
    let fused = g.fusingQDQ()
    #expect(fused.nodes.count == 1)
    let node = fused.nodes[0]
    #expect(node.op == "QGemm" && node.domain == "com.tessera" && node.attributes == ["transB": .int(1)])
    #expect(node.inputs == ["x_q", "xs", "xz", "w_q", "ws", "dqw_zero_point", "fc_bias_q", "ys", "yz"])
    #expect(fused.initializers["fc_bias_q"] == g.initializers["b_q"])
    #expect(fused.initializers["b_q"] == nil && fused.initializers["bs"] == nil)
    try fused.validate()

    // The float path: dequantize, Gemm, quantize (round half to even, saturate to uint8).
    let xq: [UInt8] = [120, 140, 130, 128, 129, 127, 133, 101, 160]
    let x = try GraphTensor(.uint8(xq), shape: [3, 3])
    let w = g.initializers["w_q"]!.doubles, ws = [0.25, 0.125], bias = [5 * 0.125, -7 * 0.0625]
    var expected = [UInt8]()
    for i in 0..<3 {
      for j in 0..<2 {
        var y = bias[j]
        for k in 0..<3 { y += (Double(xq[i * 3 + k]) - 128) * 0.5 * w[j * 3 + k] * ws[j] }
        expected.append(UInt8(min(max((y / 2).rounded(.toNearestOrEven) + 128, 0), 255)))
      }
    }
    let inputs = node.inputs.map { $0 == "x_q" ? x : fused.initializers[$0] }
    #expect(expected == [122, 48, 128, 124, 143, 255])
    #expect(try QGemmReference.evaluate(node, inputs: inputs) == (try GraphTensor(.uint8(expected), shape: [3, 2])))
  }

  @Test("the float path stays when the pattern is not exact")
  func noMatch() throws {
    var relu = try convGraph()
    relu.nodes[3].inputs[0] = "r"
    relu.nodes.append(Node(name: "relu", op: "Relu", inputs: ["yf"], outputs: ["r"]))
    #expect(relu.fusingQDQ() == relu)
    var dynamicWeight = try convGraph()
    dynamicWeight.initializers["w_q"] = nil
    dynamicWeight.inputs.append(ValueInfo(name: "w_q", type: TensorType(.int8, [2, 1, 3, 3])))
    #expect(dynamicWeight.fusingQDQ() == dynamicWeight)
    var wrongAxis = try convGraph()
    wrongAxis.nodes[1].attributes["axis"] = .int(1)
    wrongAxis.initializers["w_q"] = try GraphTensor(zeros: .int8, shape: [2, 2, 3, 3])
    #expect(wrongAxis.fusingQDQ() == wrongAxis)
    var shared = try convGraph()
    shared.outputs.append(ValueInfo(name: "yf", type: TensorType(.float32, nil)))
    #expect(shared.fusingQDQ() == shared)
  }
}
