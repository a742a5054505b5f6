import Testing
import TesseraNN

@testable import TesseraRuntime

/// The residual Add folded into the following LayerNormalization (BERT's post-LN), against the
/// reference interpreter.
@Suite("Dynamic plan residual Add + LayerNorm")
struct DynamicAddLayerNormTests {
  /// `LN(Linear(x) + x)` and `LN(x + r)` with `r` `[1, 1, 8]` broadcast, on `x` `[batch, sequence, 8]`.
  static func residual() -> Graph {
    var b = GraphBuilder("residual", input: ["batch", "sequence", 8], seed: 3)
    b.graph.inputs.append(ValueInfo(name: "r", type: TensorType(.float32, [1, 1, 8])))
    let w = b.constant("w", [8, 8], bound: 0.5), bias = b.constant("bias", [8], bound: 0.1)
    let gamma = b.constant("gamma", [8], bound: 1), beta = b.constant("beta", [8], bound: 0.5)
    let dense = b.node("Add", "dense", [b.node("MatMul", "mm", ["input", w]), bias])
    let first = b.node("LayerNormalization", "ln1", [b.node("Add", "residual1", [dense, "input"]), gamma, beta], ["epsilon": .float(1e-5)])
    let second = b.node("LayerNormalization", "ln2", [b.node("Add", "residual2", [first, "r"]), gamma], ["axis": .int(-1)])
    return b.finished([second])
  }

  @Test("the Add folds into the LayerNorm step (equal and broadcast shapes) and matches the interpreter within 1e-5")
  func matchesInterpreter() throws {
    let graph = Self.residual()
    let plan = try DynamicGraphPlan(graph: graph)
    #expect(plan.stepKinds.map(\.kind) == ["fp32-linear-avx512f", "fp32-add-layernorm", "fp32-add-layernorm"]
      || plan.stepKinds.map(\.kind) == ["fp32-linear", "fp32-add-layernorm", "fp32-add-layernorm"], "\(plan.stepKinds)")
    let reference = try ReferenceInterpreter(graph: graph)
    var rng = TestRNG(seed: 8)
    for (batch, sequence) in [(1, 1), (2, 5), (3, 17)] {
      let feeds: [String: GraphTensor] = [
        "input": try GraphTensor(float32: (0..<(batch * sequence * 8)).map { _ in rng.symmetric(2) + 1 }, shape: [batch, sequence, 8]),
        "r": try GraphTensor(float32: (0..<8).map { _ in rng.symmetric(1) }, shape: [1, 1, 8]),
      ]
      let ours = try plan.run(feeds)[0]
      let theirs = try #require(try reference.run(feeds)[graph.outputs[0].name])
      #expect(ours.shape == theirs.shape)
      let worst = zip(ours.float32!, theirs.float32!).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5, "batch \(batch) sequence \(sequence): max difference \(worst)")
    }
  }
}
