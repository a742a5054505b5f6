import Foundation
import Testing
import TesseraNN
@testable import TesseraRuntime

/// The compiled graph engine against the reference interpreter: every output of random batches
/// of 1 and 5 within `1e-4 · max(1, |reference|)` (float32 BLAS sums against the interpreter's
/// double-precision sums, BatchNorm folded into the weights).
@Suite("Graph plan")
struct GraphPlanTests {
  static let graphs: [(String, Graph)] = [
    ("residual", GraphFixtures.residualCNN()), ("concat", GraphFixtures.concatBranches()),
    ("two-outputs", GraphFixtures.twoOutputs()), ("fallback", GraphFixtures.fallbackOps()),
    ("chain", GraphFixtures.residualChain(blocks: 3)), ("windows", GraphFixtures.windows()),
  ]

  @Test(arguments: graphs.indices)
  func matchesInterpreter(which: Int) throws {
    let (label, graph) = Self.graphs[which]
    let plan = try GraphPlan(graph: graph)
    for count in [1, 5] {
      let x = GraphFixtures.input(graph, count: count, seed: UInt64(10 + count))
      let got = try plan.run(x, count: count)
      let expected = try GraphFixtures.reference(graph, x, count: count)
      #expect(got.count == expected.count)
      for (i, (a, b)) in zip(got, expected).enumerated() { GraphFixtures.expectClose(a, b, "\(label) output \(i) batch \(count)") }
    }
  }

  @Test func residualCNNCompilesToFastSteps() throws {
    let plan = try GraphPlan(graph: GraphFixtures.residualCNN())
    #expect(plan.fallbackNodes.isEmpty)
    // BatchNorms folded, Relus fused, Flatten a view: conv ×3, add, relu, maxpool, gap, gemm.
    #expect(plan.stepKinds.map { $0.kind } == [
      "fp32-conv", "fp32-conv", "fp32-conv", "fp32-add", "fp32-relu", "fp32-maxpool", "fp32-global-avgpool", "fp32-gemm",
    ])
    #expect(plan.linearNodes == ["stem.conv", "block.conv1", "block.conv2", "fc"])
    #expect(plan.outputSampleShapes == [[10]])
  }

  @Test func windowCornerCasesStayOnFastKernels() throws {
    let plan = try GraphPlan(graph: GraphFixtures.windows())
    #expect(plan.fallbackNodes.isEmpty)
    #expect(plan.stepKinds.map { $0.kind } == ["fp32-conv", "fp32-conv", "fp32-maxpool", "fp32-avgpool", "fp32-concat"])
  }

  @Test func fallbackNodesAreTheOnesWithoutAFastKernel() throws {
    let plan = try GraphPlan(graph: GraphFixtures.fallbackOps())
    // Shape → Gather → Concat fed only the Reshape, which is a view: they are dropped.
    #expect(plan.fallbackNodes == ["pad", "g.conv", "t1", "t2", "hwc"])
    #expect(plan.stepKinds.last?.kind == "fp32-gemm")
    #expect(plan.stepKinds.contains { $0.node == "clip" && $0.kind == "fp32-clip" })
  }

  /// The observer sees every Gemm/MatMul/Conv node's output as the interpreter does: before a
  /// fused activation, and before a folded BatchNorm or a fused bias (the unfused kernel).
  @Test(arguments: [0, 1, 2])
  func observerSeesLinearNodesAsTheInterpreterDoes(which: Int) throws {
    let graph = [GraphFixtures.concatBranches(), GraphFixtures.residualCNN(), GraphFixtures.twoOutputs()][which]
    let plan = try GraphPlan(graph: graph)
    let x = GraphFixtures.input(graph, count: 2, seed: 3)
    var seen = [String: [Float]]()
    _ = try plan.run(x, count: 2) { name, values in seen[name] = values }
    var reference = [String: GraphTensor]()
    let sample = graph.inputs[0].type.shape!.dropFirst().map { $0.value! }
    _ = try ReferenceInterpreter(graph: graph).run(["input": try GraphTensor(float32: x, shape: [2] + sample)]) { node, out in
      reference[node.name] = out[0]
    }
    #expect(Set(seen.keys) == Set(plan.linearNodes))
    for name in plan.linearNodes {
      GraphFixtures.expectClose(try GraphTensor(float32: seen[name]!, shape: reference[name]!.shape), reference[name]!, name)
    }
    if which == 0 { #expect(seen["a.conv"]!.contains { $0 < 0 }) }  // pre-Relu values
  }

  @Test func rejectsWhatItCannotCompile() throws {
    var g = GraphFixtures.twoOutputs()
    g.inputs[0].type = TensorType(.float32, ["batch", "features"])
    #expect(throws: EngineError.self) { try GraphPlan(graph: g) }
    let fixed = try GraphPlan(graph: GraphFixtures.residualCNN().bindingShapes(["batch": 2]))
    #expect(throws: EngineError.self) { try fixed.run([Float](repeating: 0, count: 3 * fixed.inputCount), count: 3) }
    #expect(throws: EngineError.inputSize(expected: fixed.inputCount, got: 5)) { try fixed.run([0, 0, 0, 0, 0], count: 2) }
  }

  @Test func engineRunsGraphsOnTheGraphPlan() throws {
    let graph = GraphFixtures.residualCNN()
    let engine = try Engine(graph: graph)
    #expect(engine.engineKind == .compiledGraph)
    #expect(!engine.isInterpreted)
    #expect(engine.outputCount == 10 && engine.inputCount == 3 * 12 * 12)
    #expect(engine.linearLayerNames == ["stem.conv", "block.conv1", "block.conv2", "fc"])
    let x = GraphFixtures.input(graph, count: 5, seed: 9)
    var names = [String]()
    var diagnostics = RunDiagnostics()
    let y = try engine.run(x, count: 5, profile: true, diagnostics: &diagnostics) { name, _ in names.append(name) }
    GraphFixtures.expectClose(try GraphTensor(float32: y, shape: [5, 10]), try GraphFixtures.reference(graph, x, count: 5)[0], "engine")
    #expect(names == engine.linearLayerNames)
    #expect(diagnostics.steps.count == 8 && diagnostics.steps.allSatisfy { $0.calls == 1 })
    #expect(engine.arenaBytes(count: 5) > 0)

    let summary = try GraphSummaryReport(graph: graph, model: "residual")
    #expect(summary.engine == "graph-float")
    #expect(summary.engineNote == "8 steps, 0 on the reference fallback")
  }

  @Test func engineKindsForChainAndInt8Graphs() throws {
    var b = GraphBuilder("mlp", input: ["batch", 16], seed: 2)
    let h = b.node("Relu", "relu", [b.node("Gemm", "fc1", ["input", b.constant("w1", [8, 16], bound: 0.3), b.constant("b1", [8], bound: 0.1)], ["transB": .int(1)])])
    let outputs = [b.node("Gemm", "fc2", [h, b.constant("w2", [4, 8], bound: 0.3), b.constant("b2", [4], bound: 0.1)], ["transB": .int(1)])]
    let chain = b.finished(outputs)
    #expect(try Engine(graph: chain).engineKind == .compiledChain)
    let forced = try Engine(graph: GraphFixtures.residualCNN(), configuration: EngineConfiguration(interpretGraphs: true))
    #expect(forced.engineKind == .interpreter)
    let x = GraphFixtures.input(GraphFixtures.residualCNN(), count: 2, seed: 8)
    let compiled = try Engine(graph: GraphFixtures.residualCNN(), configuration: EngineConfiguration(interpretGraphs: false))
    GraphFixtures.expectClose(
      try GraphTensor(float32: try compiled.run(x, count: 2), shape: [2, 10]),
      try GraphTensor(float32: try forced.run(x, count: 2), shape: [2, 10]), "forced interpreter")

    var q = GraphBuilder("qdq-two", input: ["batch", 4], seed: 1)
    q.graph.initializers["s"] = try GraphTensor(float32: [0.1], shape: [])
    let dq = q.node("DequantizeLinear", "dq", [q.node("QuantizeLinear", "q", ["input", "s"]), "s"])
    let heads = [q.node("Relu", "relu", [dq]), q.node("Sigmoid", "sig", [dq])]
    let int8 = q.finished(heads)
    let engine = try Engine(graph: int8)
    #expect(engine.engineKind == .compiledGraph && engine.isQuantized)
    #expect(try GraphSummaryReport(graph: int8, model: "q").engine == "graph-qdq")
  }
}
