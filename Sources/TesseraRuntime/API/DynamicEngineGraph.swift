import Foundation
import TesseraNN

/// A graph behind ``Engine`` on ``DynamicGraphPlan``, with what the flat-batch API needs.
struct DynamicEngineGraph: Sendable {
  /// The compiled plan.
  let plan: DynamicGraphPlan
  /// The graph as given (the interpreter runs it when a caller observes layers).
  let graph: Graph
  /// The single float32 input `[batch, …fixed]` that ``Engine/run(_:count:)`` feeds; nil when
  /// the graph takes several inputs, a non-float one, or symbolic dimensions after the batch.
  let flatInput: (name: String, sampleShape: [Int])?
  /// Values per sample of the first output (0 when unknown).
  let outputCount: Int
  /// True when the graph computes in int8.
  let isQuantized: Bool
  /// Names of the Gemm/MatMul/Conv (and int8 QLinear) nodes.
  let linearNodes: [String]
  /// Bytes of the initializers.
  let weightBytes: Int

  /// Compiles `graph`.
  /// - Throws: `GraphIRError` when ``DynamicGraphPlan`` does not compile it.
  init(graph: Graph, threads: Int) throws {
    plan = try DynamicGraphPlan(graph: graph, threads: threads)
    self.graph = graph
    let flat = try? GraphInput(graph, engine: "the engine")
    flatInput = flat.map { ($0.name, $0.sampleShape) }
    if let shape = plan.outputs.first?.type.shape, shape.count >= 1, case let fixed = shape.dropFirst().compactMap(\.value),
      fixed.count == shape.count - 1
    {
      outputCount = fixed.reduce(1, *)
    } else if let flat {
      // The size per sample is not declared: run one zero sample.
      let probe = try? plan.run([flat.name: try GraphTensor(zeros: .float32, shape: [1] + flat.sampleShape)])
      outputCount = probe?.first?.count ?? 0
    } else {
      outputCount = 0
    }
    isQuantized = graph.computesInInt8
    linearNodes = graph.nodes.filter { InterpretedGraph.linearOps.contains($0.op) }.map(\.name)
    weightBytes = graph.initializers.values.reduce(0) { $0 + $1.byteCount }
  }

  /// Runs a flat float batch through the single float input; returns the first output's values.
  func run(
    _ input: [Float], count: Int, profile: Bool, diagnostics: inout RunDiagnostics, observe: ((String, [Float]) -> Void)?
  ) throws -> [Float] {
    guard let flatInput else { throw EngineError.unsupported("'\(graph.name)' takes no single float input") }
    if let observe {
      return try InterpretedGraph(graph: graph).run(input, count: count, observe: observe)
    }
    let x = try GraphTensor(float32: input, shape: [count] + flatInput.sampleShape)
    let y = try run([flatInput.name: x], profile: profile, diagnostics: &diagnostics)[0]
    let values = y.float32 ?? y.doubles.map { Float($0) }
    guard values.count == count * outputCount else {
      throw EngineError.unsupported(
        "output '\(plan.outputs[0].name)' has \(values.count) values for \(count) samples, expected \(outputCount) each")
    }
    return values
  }

  /// Runs named tensors; with `profile`, adds one ``StepProfile`` per plan step to `diagnostics`.
  func run(_ feeds: [String: GraphTensor], profile: Bool, diagnostics: inout RunDiagnostics) throws -> [GraphTensor] {
    guard profile else { return try plan.run(feeds) }
    var nanoseconds: [UInt64] = []
    let outputs = try withUnsafeMutablePointer(to: &nanoseconds) { try plan.run(feeds, stepNanoseconds: $0) }
    var local = RunDiagnostics()
    local.steps = zip(plan.stepKinds, nanoseconds).map {
      StepProfile(name: $0.0.node, kind: $0.0.kind, nanoseconds: $0.1, macs: 0, bytes: 0, calls: 1)
    }
    diagnostics.accumulate(local)
    return outputs
  }
}
