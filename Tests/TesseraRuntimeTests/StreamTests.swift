import Foundation
import Testing

@testable import TesseraRuntime

@Suite("Streams of batch-1 requests: data-parallel and pipelined")
struct StreamTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func engine(_ name: String) throws -> Engine {
    try Engine(contentsOf: "\(root)/Models/\(name).safetensors", configuration: EngineConfiguration(threads: 1))
  }

  /// Deterministic pseudo-images in [0, 1].
  static func samples(_ count: Int, _ size: Int) -> [Float] {
    var state: UInt32 = 12345
    return (0..<(count * size)).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 8) / Float(1 << 24)
    }
  }

  @Test("both modes return exactly the sequential outputs", arguments: ["lenet-int8", "mlp-int8", "lenet", "mlp"])
  func sameOutputs(model: String) throws {
    let engine = try Self.engine(model)
    let count = 37
    let x = Self.samples(count, engine.inputCount)
    // Batch-1 calls one by one (float GEMMs round differently at other batch sizes).
    var expected = [Float]()
    for i in 0..<count {
      expected += try engine.run(Array(x[(i * engine.inputCount)..<((i + 1) * engine.inputCount)]), count: 1)
    }
    for (mode, workers) in [(StreamMode.dataParallel, 1), (.dataParallel, 2), (.dataParallel, 3), (.pipeline, 1), (.pipeline, 2), (.pipeline, 3)] {
      let (outputs, m) = try engine.runStream(x, count: count, mode: mode, workers: workers)
      let same = outputs == expected
      #expect(same, "\(model) \(mode) × \(workers)")
      #expect(m.requests == count && m.workers == workers && m.requestsPerSecond > 0)
      #expect(m.latencyP50Microseconds > 0 && m.latencyP99Microseconds >= m.latencyP50Microseconds)
      #expect((m.stages?.count ?? 0) == (mode == .pipeline ? workers : 0))
    }
  }

  @Test("a chain split at any step boundary computes the same bytes as the whole run")
  func stagesAtEveryBoundary() throws {
    let engine = try Self.engine("lenet-int8")
    let x = Self.samples(1, engine.inputCount)
    let expected = try engine.run(x, count: 1)
    let steps = engine.plan.steps.count
    for boundary in 1..<steps {
      let handoff = UnsafeMutableRawPointer.allocate(byteCount: engine.handoffBytesPerSample(at: boundary), alignment: 64)
      defer { handoff.deallocate() }
      var y = [Float](repeating: .nan, count: engine.outputCount)
      try x.withUnsafeBufferPointer { input in
        try engine.runStage(0..<boundary, count: 1, input: input.baseAddress, handoffIn: nil, handoffOut: handoff, output: nil)
      }
      try y.withUnsafeMutableBufferPointer { output in
        try engine.runStage(boundary..<steps, count: 1, input: nil, handoffIn: handoff, handoffOut: nil, output: output.baseAddress)
      }
      let same = y == expected
      #expect(same, "split before step \(boundary) (\(engine.plan.steps[boundary].name))")
    }
  }

  @Test("balanced boundaries minimise the slowest stage (checked against every split)")
  func balancedBoundaries() {
    #expect(Engine.balancedBoundaries(times: [1, 1, 1, 1], stages: 2) == [2])
    #expect(Engine.balancedBoundaries(times: [5, 1, 1, 1, 1, 1], stages: 2) == [1])
    #expect(Engine.balancedBoundaries(times: [1, 2, 3], stages: 3) == [1, 2])
    var state: UInt32 = 7
    for _ in 0..<50 {
      let n = 4 + Int(state % 5)
      let times: [Double] = (0..<n).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return Double(state >> 20)
      }
      let cuts = Engine.balancedBoundaries(times: times, stages: 3)
      func slowest(_ c: [Int]) -> Double {
        let e = [0] + c + [n]
        return (0..<3).map { times[e[$0]..<e[$0 + 1]].reduce(0, +) }.max()!
      }
      var best = Double.infinity
      for a in 1..<(n - 1) { for b in (a + 1)..<n { best = min(best, slowest([a, b])) } }
      #expect(cuts.count == 2 && cuts[0] >= 1 && cuts[0] < cuts[1] && cuts[1] < n)
      #expect(slowest(cuts) == best)
    }
  }

  @Test("bad streams are clear errors")
  func badInput() throws {
    let engine = try Self.engine("mlp-int8")
    #expect(throws: EngineError.self) { try engine.runStream([1, 2, 3], count: 1, mode: .dataParallel) }
    #expect(throws: EngineError.self) { try engine.runStream(Self.samples(2, engine.inputCount), count: 2, mode: .pipeline, workers: 0) }
    #expect(throws: EngineError.self) { try engine.runStream(Self.samples(2, engine.inputCount), count: 2, mode: .pipeline, workers: 99) }
  }
}
