import Foundation
import Testing
import TesseraNN
import TesseraONNX

@testable import TesseraRuntime

/// The library entry point: one initializer for every model file, input/output descriptions,
/// named runs with shape checks, async runs, per-call profiles.
@Suite("Engine API")
struct EngineAPITests {
  static let models = BundledModelTests.root + "/Models"

  /// A scratch path removed by the caller.
  static func temporary(_ name: String) -> String {
    NSTemporaryDirectory() + "tessera-api-\(UUID().uuidString)-\(name)"
  }

  /// The synchronous run (in `async` code the same call picks the `async` overload).
  static func runSync(_ engine: Engine, _ feeds: [String: GraphTensor]) throws -> [String: GraphTensor] {
    try engine.run(feeds)
  }

  /// The synchronous run with options.
  static func runSync(_ engine: Engine, _ feeds: [String: GraphTensor], _ options: RunOptions) throws -> RunResult {
    try engine.run(feeds, options: options)
  }

  @Test("Engine(contentsOf:) takes an .onnx file and a graph model file and gives the graph's answers")
  func oneEntryPointForEveryFile() throws {
    let graph = GraphFixtures.residualCNN()
    let onnx = Self.temporary("residual.onnx"), safetensors = Self.temporary("residual.safetensors")
    defer { try? FileManager.default.removeItem(atPath: onnx); try? FileManager.default.removeItem(atPath: safetensors) }
    try ONNXExporter.write(graph, to: onnx)
    try GraphModelFile(graph: graph).write(to: safetensors)
    let x = GraphFixtures.input(graph, count: 3, seed: 7)
    let expected = try GraphFixtures.reference(graph, x, count: 3)[0]
    for path in [onnx, safetensors] {
      let engine = try Engine(contentsOf: path)
      #expect(engine.engineKind == .compiledGraph, "\(path)")
      #expect(engine.inputs == [TensorDescription(name: "input", elementType: .float32, shape: ["batch", 3, 12, 12])])
      let outputs = try engine.run(["input": try GraphTensor(float32: x, shape: [3, 3, 12, 12])])
      let y = try #require(outputs[graph.outputs[0].name])
      GraphFixtures.expectClose(y, expected, path)
    }
  }

  @Test("a graph with a float and an int64 input runs on the dynamic plan, named, matching the interpreter")
  func severalInputsRunOnTheDynamicPlan() throws {
    let graph = DynamicGraphPlanTests.attention()
    let engine = try Engine(graph: graph)
    #expect(engine.engineKind == .dynamicGraph)
    #expect(engine.engineKind.rawValue == "dynamic-graph")
    #expect(engine.inputs.map(\.description) == ["input: float32 [batch, sequence, 8]", "mask: int64 [batch, sequence]"])
    #expect(engine.inputs[1].symbols == ["batch", "sequence"])
    #expect(engine.outputs.map(\.name) == [graph.outputs[0].name])
    let reference = try ReferenceInterpreter(graph: graph)
    for (batch, sequence) in [(1, 4), (3, 9)] {
      let feeds = DynamicGraphPlanTests.inputs(batch: batch, sequence: sequence, seed: 3)
      let ours = try #require(try engine.run(feeds)[graph.outputs[0].name])
      let theirs = try #require(try reference.run(feeds)[graph.outputs[0].name])
      #expect(ours.shape == [batch, sequence, 8])
      let worst = zip(ours.float32!, theirs.float32!).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5, "batch \(batch) sequence \(sequence): max difference \(worst)")
    }
    // A flat float batch cannot feed two inputs: a clear error, not a crash.
    #expect(engine.inputCount == 0)
    #expect(throws: EngineError.self) { try engine.run([Float](repeating: 0, count: 8), count: 1) }
  }

  @Test("the interpreter is only the last fallback: a forced interpreter still runs named tensors")
  func interpreterFallback() throws {
    let graph = GraphFixtures.residualCNN()
    let forced = try Engine(graph: graph, configuration: EngineConfiguration(interpretGraphs: true))
    #expect(forced.engineKind == .interpreter)
    let x = GraphFixtures.input(graph, count: 2, seed: 9)
    let y = try #require(try forced.run(["input": try GraphTensor(float32: x, shape: [2, 3, 12, 12])])[graph.outputs[0].name])
    GraphFixtures.expectClose(y, try GraphFixtures.reference(graph, x, count: 2)[0], "interpreter")
  }

  @Test("a bundled int8 model: chain engine, described input and output, named run equals the flat run")
  func bundledChainModel() throws {
    let path = Self.models + "/mlp-int8.safetensors"
    guard FileManager.default.fileExists(atPath: path) else {
      print("SKIPPED: \(path) is missing")
      return
    }
    let engine = try Engine(contentsOf: path)
    #expect(engine.engineKind == .compiledChain && engine.isQuantized)
    let input = try #require(engine.inputs.first)
    #expect(input.elementType == .float32 && input.shape?.first == "batch")
    #expect(input.shape?.dropFirst().compactMap(\.value).reduce(1, *) == engine.inputCount)
    #expect(engine.outputs.count == 1 && engine.outputs[0].shape?.last == .fixed(engine.outputCount))
    var rng = TestRNG(seed: 11)
    let pixels = (0..<(2 * engine.inputCount)).map { _ in (rng.symmetric(1) + 1) / 2 }
    let shape = [2] + (input.shape ?? []).dropFirst().map { $0.value! }
    let named = try engine.run([input.name: try GraphTensor(float32: pixels, shape: shape)])
    let logits = try #require(named[engine.outputs[0].name])
    #expect(logits.shape == [2, engine.outputCount])
    #expect(logits.float32 == (try engine.run(pixels, count: 2)))
  }

  @Test("wrong inputs throw invalidInput naming the input, the given and the expected shape")
  func shapeChecks() throws {
    let engine = try Engine(graph: DynamicGraphPlanTests.attention())
    let good = DynamicGraphPlanTests.inputs(batch: 2, sequence: 5, seed: 1)
    func message(_ feeds: [String: GraphTensor]) -> String {
      do {
        _ = try engine.run(feeds)
        return "no error"
      } catch let error as EngineError {
        guard case let .invalidInput(m) = error else { return "other: \(error)" }
        return m
      } catch { return "other: \(error)" }
    }
    var wrongWidth = good
    wrongWidth["input"] = try GraphTensor(zeros: .float32, shape: [2, 5, 7])
    let m1 = message(wrongWidth)
    #expect(m1.contains("'input'") && m1.contains("[2, 5, 7]") && m1.contains("[batch, sequence, 8]"), "\(m1)")
    var wrongSequence = good
    wrongSequence["mask"] = try GraphTensor(zeros: .int64, shape: [2, 6])
    let m2 = message(wrongSequence)
    #expect(m2.contains("'mask'") && m2.contains("[2, 6]") && m2.contains("sequence = 5"), "\(m2)")
    var wrongType = good
    wrongType["mask"] = try GraphTensor(zeros: .float32, shape: [2, 5])
    let m3 = message(wrongType)
    #expect(m3.contains("'mask'") && m3.contains("float32") && m3.contains("int64"), "\(m3)")
    let m4 = message(["input": good["input"]!])
    #expect(m4.contains("missing input 'mask'"), "\(m4)")
    var extra = good
    extra["token_type_ids"] = good["mask"]
    let m5 = message(extra)
    #expect(m5.contains("unknown input 'token_type_ids'"), "\(m5)")
    let m6 = message(["input": try GraphTensor(zeros: .float32, shape: [2, 5]), "mask": good["mask"]!])
    #expect(m6.contains("rank 3"), "\(m6)")
    #expect(message(good) == "no error")
  }

  @Test("async runs give the sync answers, run on the engine threads, and many at once agree")
  func asyncRuns() async throws {
    let graph = DynamicGraphPlanTests.attention()
    let engine = try Engine(graph: graph)
    let feeds = DynamicGraphPlanTests.inputs(batch: 2, sequence: 6, seed: 5)
    let expected = try Self.runSync(engine, feeds)
    let got = try await engine.run(feeds)
    #expect(got == expected)
    let chain = try Engine(graph: GraphFixtures.residualCNN())
    let x = GraphFixtures.input(GraphFixtures.residualCNN(), count: 1, seed: 2)
    let flat = try chain.run(x, count: 1)
    try await withThrowingTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 {
        group.addTask { try await engine.run(feeds) == expected }
        group.addTask { try await chain.run(batch: x, count: 1) == flat }
      }
      for try await same in group { #expect(same) }
    }
    #expect(try await EngineExecutor.shared.run { EngineExecutor.isExecutorThread })
    #expect(!EngineExecutor.isExecutorThread)
    let cancelled = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await engine.run(feeds)
    }
    await #expect(throws: CancellationError.self) { try await cancelled.value }
  }

  @Test("RunOptions(profile: true) returns one timed step per plan step; without it none")
  func perCallProfile() async throws {
    let dynamic = try Engine(graph: DynamicGraphPlanTests.attention())
    let feeds = DynamicGraphPlanTests.inputs(batch: 1, sequence: 4, seed: 8)
    let plain = try Self.runSync(dynamic, feeds, RunOptions())
    #expect(plain.diagnostics.steps.isEmpty)
    let profiled = try await dynamic.run(feeds, options: RunOptions(profile: true))
    #expect(profiled.outputs == plain.outputs)
    #expect(profiled.diagnostics.steps.map(\.name) == dynamic.dynamic!.plan.stepKinds.map(\.node))
    #expect(profiled.diagnostics.steps.allSatisfy { $0.calls == 1 })
    #expect(profiled.diagnostics.steps.reduce(0) { $0 + $1.nanoseconds } > 0)
    let graph = GraphFixtures.residualCNN()
    let compiled = try Engine(graph: graph)
    let x = try GraphTensor(float32: GraphFixtures.input(graph, count: 2, seed: 1), shape: [2, 3, 12, 12])
    let result = try Self.runSync(compiled, ["input": x], RunOptions(profile: true))
    #expect(!result.diagnostics.steps.isEmpty && result.diagnostics.steps.allSatisfy { $0.calls == 1 })
    #expect(result[graph.outputs[0].name] != nil)
  }
}
