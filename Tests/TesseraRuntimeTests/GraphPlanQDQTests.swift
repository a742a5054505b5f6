import Foundation
import Testing
import TesseraNN
@testable import TesseraRuntime

/// QDQ graphs on the compiled graph engine against the reference interpreter.
@Suite("Graph plan QDQ")
struct GraphPlanQDQTests {
  /// (signed, zero point, scale) of the fake-quantize cases.
  static let quantizations: [(Bool, Int, Float)] = [
    (false, 0, 0.25), (false, 128, 2 / 255), (false, 255, 0.1), (true, 0, 0.5), (true, -128, 0.0037), (true, 5, 1 / 3),
  ]

  /// Q → DQ compiles to one fake-quantize step whose outputs equal the interpreter's bit for
  /// bit: random values past both saturation bounds, exact ties (x / scale = k + ½), ±0,
  /// ±infinity and NaN.
  @Test(arguments: quantizations.indices)
  func fakeQuantizeIsBitExact(which: Int) throws {
    let (signed, zero, scale) = Self.quantizations[which]
    var b = GraphBuilder("fake-quant", input: ["batch", 67], seed: 5)  // 7 × 67: eight lanes and a tail
    let output = b.qdq("input", scale: scale, zeroPoint: zero, signed: signed)
    let graph = b.finished([output])
    let plan = try GraphPlan(graph: graph)
    #expect(plan.stepKinds.map(\.kind) == ["fp32-fakequant"])
    #expect(plan.isQuantized)
    var rng = TestRNG(seed: UInt64(40 + which))
    var x = (0..<(67 * 7)).map { _ in rng.symmetric(300) * scale }
    for i in 0..<200 { x[i] = (Float(i) - 100.5) * scale }  // ties (exact when the scale is a power of two)
    for i in 0..<60 { x[200 + i] = Float(i - 30) + 0.5 }
    x.replaceSubrange(260..<266, with: [0, -0.0, .infinity, -.infinity, .nan, -scale / 2])
    let got = try plan.run(x, count: 7)[0].float32!
    let expected = try GraphFixtures.reference(graph, x, count: 7)[0].float32!
    #expect(got.count == expected.count)
    let mismatches = got.indices.filter { got[$0].bitPattern != expected[$0].bitPattern }
    #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { (x[$0], got[$0], expected[$0]) })")
    #expect(Set(expected).count > 100)  // the cases reach many codes
  }

  /// A residual QDQ CNN: DequantizeLinear of the weights and biases folded, every step fast,
  /// outputs within one quantization step of the interpreter's on ≥ 99 % of values and exactly
  /// equal on most.
  @Test func residualQDQMatchesInterpreterWithinOneStep() throws {
    let graph = GraphFixtures.residualQDQ()
    let plan = try GraphPlan(graph: graph)
    #expect(plan.fallbackNodes.isEmpty)
    #expect(plan.isQuantized)
    let kinds = plan.stepKinds.map(\.kind)
    #expect(kinds.filter { $0 == "fp32-conv" }.count == 3 && kinds.contains("fp32-gemm"))
    #expect(kinds.filter { $0 == "fp32-fakequant" }.count == 7)
    #expect(plan.linearNodes == ["stem", "conv1", "conv2", "fc"])
    let step: Float = 0.004
    var total = 0, within = 0, equal = 0
    for count in [1, 16] {
      let x = GraphFixtures.input(graph, count: count, seed: UInt64(60 + count))
      let got = try plan.run(x, count: count)[0].float32!
      let expected = try GraphFixtures.reference(graph, x, count: count)[0].float32!
      #expect(got.count == expected.count)
      #expect(Set(expected).count > got.count / 2)  // logits spread over many codes
      for (a, b) in zip(got, expected) {
        total += 1
        if abs(a - b) <= step * 1.001 { within += 1 }
        if a == b { equal += 1 }
      }
    }
    #expect(Double(within) >= 0.99 * Double(total), "\(within) of \(total) within one step")
    #expect(Double(equal) >= 0.8 * Double(total), "\(equal) of \(total) equal")
  }

  /// `Engine(graph:)` runs a non-chain QDQ graph on ``GraphPlan`` and still reports it int8.
  @Test func engineRunsQDQGraphsOnTheGraphPlan() throws {
    let graph = GraphFixtures.residualQDQ()
    let engine = try Engine(graph: graph)
    #expect(engine.engineKind == .compiledGraph && !engine.isInterpreted)
    #expect(engine.isQuantized)
    #expect(engine.outputCount == 10)
    #expect(engine.linearLayerNames == ["stem", "conv1", "conv2", "fc"])
    let forced = try Engine(graph: graph, configuration: EngineConfiguration(interpretGraphs: true))
    #expect(forced.engineKind == .interpreter && forced.isQuantized)
    let summary = try GraphSummaryReport(graph: graph, model: "residual-qdq")
    #expect(summary.engine == "graph-qdq")
    #expect(summary.engineNote?.hasSuffix("0 on the reference fallback") == true)
  }

  /// A QuantizeLinear whose output is also read by something other than a DequantizeLinear (here,
  /// a graph output) stays a fallback node, exact; so does a pair with different parameters.
  @Test func quantizersWithOtherReadersStayOnTheFallback() throws {
    var b = GraphBuilder("q-output", input: ["batch", 4], seed: 1)
    b.graph.initializers["s"] = try GraphTensor(float32: [0.1], shape: [])
    b.graph.initializers["s2"] = try GraphTensor(float32: [0.2], shape: [])
    let code = b.node("QuantizeLinear", "q", ["input", "s"])
    let dq = b.node("DequantizeLinear", "dq", [code, "s"])
    let other = b.node("DequantizeLinear", "dq2", [b.node("QuantizeLinear", "q2", [dq, "s"]), "s2"])
    var graph = b.finished([other, code])
    graph.outputs[1].type = TensorType(.uint8, nil)
    let plan = try GraphPlan(graph: graph)
    #expect(plan.fallbackNodes == ["q", "dq", "q2", "dq2"])
    let x = GraphFixtures.input(graph, count: 3, seed: 4).map { $0 * 30 }
    let got = try plan.run(x, count: 3), expected = try GraphFixtures.reference(graph, x, count: 3)
    #expect(got == expected)
  }
}
