import Testing

@testable import TesseraGraph

@Suite("Passes: a float pipeline end to end")
struct PassPipelineTests {
  @Test("infer → fold BN → bias → activations gives FusedConv and FusedGemm with the same output types; unfusing validates")
  func pipeline() throws {
    typealias P = PassFixtures
    var g = Graph(name: "net")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 1, 6, 6]))]
    g.initializers = [
      "cw": try GraphTensor(float32: P.values(18, seed: 1), shape: [2, 1, 3, 3]),
      "gamma": try GraphTensor(float32: [1, 2], shape: [2]), "beta": try GraphTensor(float32: [0, 1], shape: [2]),
      "mean": try GraphTensor(float32: [0.5, -0.5], shape: [2]), "var": try GraphTensor(float32: [1, 4], shape: [2]),
      "fw": try GraphTensor(float32: P.values(96, seed: 2), shape: [32, 3]), "fb": try GraphTensor(float32: [1, 2, 3], shape: [3]),
    ]
    g.nodes = [
      Node(name: "conv", op: "Conv", inputs: ["x", "cw"], outputs: ["c"]),
      Node(name: "bn", op: "BatchNormalization", inputs: ["c", "gamma", "beta", "mean", "var"], outputs: ["n"]),
      Node(name: "relu", op: "Relu", inputs: ["n"], outputs: ["r"]),
      Node(name: "flat", op: "Flatten", inputs: ["r"], outputs: ["f"]),
      Node(name: "mm", op: "MatMul", inputs: ["f", "fw"], outputs: ["m"]),
      Node(name: "add", op: "Add", inputs: ["m", "fb"], outputs: ["a"]),
      Node(name: "relu2", op: "Relu", inputs: ["a"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3]))]
    let typed = try g.inferringTypes()
    #expect(typed.valueTypes["f"] == TensorType(.float32, ["batch", 32]))
    let fused = typed.fusingBatchNorm().fusingBias().fusingActivations()
    #expect(fused.nodes.map(\.op) == ["FusedConv", "Flatten", "FusedGemm"])
    #expect(Set(fused.initializers.keys) == ["cw", "conv_bias", "fw", "fb"])
    let retyped = try fused.inferringTypes()
    #expect(retyped.valueTypes["y"] == TensorType(.float32, ["batch", 3]))
    #expect(retyped.valueTypes["r"] == TensorType(.float32, ["batch", 2, 4, 4]))
    let exported = fused.unfusingActivations()
    #expect(exported.nodes.map(\.op) == ["Conv", "Relu", "Flatten", "Gemm", "Relu"])
    try exported.inferringTypes().validate()
  }
}
