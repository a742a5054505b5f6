import Testing

@testable import TesseraGraph

@Suite("Passes: BatchNormalization fusion")
struct PassBatchNormTests {
  typealias P = PassFixtures

  /// BN parameters for `c` channels: scale, bias, mean, positive variance.
  func bnParameters(_ c: Int, seed: UInt64) throws -> [String: GraphTensor] {
    let v = P.values(4 * c, seed: seed)
    return [
      "gamma": try GraphTensor(float32: Array(v[0..<c]), shape: [c]),
      "beta": try GraphTensor(float32: Array(v[c..<(2 * c)]), shape: [c]),
      "mean": try GraphTensor(float32: Array(v[(2 * c)..<(3 * c)]), shape: [c]),
      "var": try GraphTensor(float32: v[(3 * c)...].map { $0 * $0 + 0.1 }, shape: [c]),
    ]
  }

  func bn(_ input: String, epsilon: Float = 1e-3) -> Node {
    Node(name: "bn", op: "BatchNormalization", inputs: [input, "gamma", "beta", "mean", "var"], outputs: ["y"], attributes: ["epsilon": .float(epsilon)])
  }

  func expectClose(_ a: [Double], _ b: [Double]) {
    #expect(a.count == b.count)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-5, "max difference \(worst)")
  }

  @Test("Conv → BN folds into the weight and a new bias; outputs match a naive conv within 1e-5", arguments: [false, true])
  func conv(withBias: Bool) throws {
    var g = Graph(name: "convbn")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["n", 2, 5, 5]))]
    g.initializers = try bnParameters(3, seed: 1)
    g.initializers["w"] = try GraphTensor(float32: P.values(54, seed: 2), shape: [3, 2, 3, 3])
    if withBias { g.initializers["b"] = try GraphTensor(float32: P.values(3, seed: 3), shape: [3]) }
    g.nodes = [Node(name: "conv", op: "Conv", inputs: ["x", "w"] + (withBias ? ["b"] : []), outputs: ["c"]), bn("c")]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["n", 3, 3, 3]))]
    g.valueTypes["c"] = TensorType(.float32, ["n", 3, 3, 3])

    let fused = g.fusingBatchNorm()
    #expect(fused.nodes.map(\.op) == ["Conv"])
    #expect(fused.nodes[0].outputs == ["y"] && fused.valueTypes["c"] == nil)
    #expect(Set(fused.initializers.keys) == ["w", withBias ? "b" : "conv_bias"])
    try fused.validate()

    let x = P.values(50, seed: 4).map(Double.init)
    let p = g.initializers.mapValues(\.doubles)
    let before = P.batchNorm(
      P.conv(x: x, xShape: [1, 2, 5, 5], w: p["w"]!, wShape: [3, 2, 3, 3], bias: p["b"]), channels: 3, inner: 9,
      scale: p["gamma"]!, bias: p["beta"]!, mean: p["mean"]!, variance: p["var"]!, epsilon: Double(Float(1e-3)))
    let node = fused.nodes[0]
    let after = P.conv(x: x, xShape: [1, 2, 5, 5], w: fused.initializers[node.inputs[1]]!.doubles, wShape: [3, 2, 3, 3],
      bias: fused.initializers[node.inputs[2]]!.doubles)
    expectClose(before, after)
  }

  @Test("Gemm → BN folds for transB 0 and 1, with C of N values, one value or none, alpha and beta",
    arguments: [(false, 0), (true, 3), (false, 1), (true, 0)])
  func gemm(transB: Bool, cCount: Int) throws {
    let (m, k, n) = (2, 4, 3)
    var g = Graph(name: "gemmbn")
    g.inputs = [ValueInfo(name: "a", type: TensorType(.float32, ["batch", .fixed(k)]))]
    g.initializers = try bnParameters(n, seed: 5)
    g.initializers["w"] = try GraphTensor(float32: P.values(k * n, seed: 6), shape: transB ? [n, k] : [k, n])
    if cCount > 0 { g.initializers["c"] = try GraphTensor(float32: P.values(cCount, seed: 7), shape: cCount == 1 ? [] : [1, cCount]) }
    g.nodes = [
      Node(name: "fc", op: "Gemm", inputs: ["a", "w"] + (cCount > 0 ? ["c"] : []), outputs: ["h"],
        attributes: ["transB": .int(transB ? 1 : 0), "alpha": .float(0.5), "beta": .float(2)]),
      bn("h", epsilon: 1e-5),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", .fixed(n)]))]
    let fused = g.fusingBatchNorm()
    #expect(fused.nodes.map(\.op) == ["Gemm"] && fused.nodes[0].attributes["beta"] == nil)
    try fused.validate()

    let a = P.values(m * k, seed: 8).map(Double.init)
    let p = g.initializers.mapValues(\.doubles)
    let before = P.batchNorm(
      P.gemm(a: a, m: m, k: k, b: p["w"]!, n: n, transB: transB, c: p["c"], alpha: 0.5, beta: 2), channels: n, inner: 1,
      scale: p["gamma"]!, bias: p["beta"]!, mean: p["mean"]!, variance: p["var"]!, epsilon: Double(Float(1e-5)))
    let node = fused.nodes[0]
    let after = P.gemm(a: a, m: m, k: k, b: fused.initializers[node.inputs[1]]!.doubles, n: n, transB: transB,
      c: fused.initializers[node.inputs[2]]!.doubles, alpha: 0.5, beta: 1)
    expectClose(before, after)
  }

  @Test("no fusion when the conv output has another reader, a parameter is not an initializer, or BN trains")
  func preconditions() throws {
    var g = Graph(name: "keep", opset: 15)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [1, 1, 3, 3]))]
    g.initializers = try bnParameters(1, seed: 9)
    g.initializers["w"] = try GraphTensor(float32: [2], shape: [1, 1, 1, 1])
    g.nodes = [Node(name: "conv", op: "Conv", inputs: ["x", "w"], outputs: ["c"]), bn("c"), Node(name: "r", op: "Relu", inputs: ["c"], outputs: ["z"])]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil)), ValueInfo(name: "z", type: TensorType(.float32, nil))]
    #expect(g.fusingBatchNorm() == g)
    g.nodes.removeLast()
    g.outputs.removeLast()
    var training = g
    training.nodes[1].attributes["training_mode"] = .int(1)
    #expect(training.fusingBatchNorm() == training)
    var dynamic = g
    dynamic.initializers["mean"] = nil
    dynamic.inputs.append(ValueInfo(name: "mean", type: TensorType(.float32, [1])))
    #expect(dynamic.fusingBatchNorm() == dynamic)
    #expect(g.fusingBatchNorm().nodes.count == 1)
  }

  @Test("a weight shared by two convs is copied, not changed under the other conv")
  func sharedWeight() throws {
    var g = Graph(name: "shared")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [1, 1, 2, 2]))]
    g.initializers = try bnParameters(1, seed: 10)
    g.initializers["w"] = try GraphTensor(float32: [3], shape: [1, 1, 1, 1])
    g.nodes = [
      Node(name: "conv", op: "Conv", inputs: ["x", "w"], outputs: ["c"]), bn("c"),
      Node(name: "other", op: "Conv", inputs: ["x", "w"], outputs: ["o"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil)), ValueInfo(name: "o", type: TensorType(.float32, nil))]
    let fused = g.fusingBatchNorm()
    #expect(fused.initializers["w"] == g.initializers["w"])
    #expect(fused.nodes[0].inputs[1] == "w_bn" && fused.initializers["w_bn"] != nil)
    try fused.validate()
  }
}
