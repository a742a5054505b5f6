import Foundation
import Testing
import TesseraNN

@testable import TesseraRuntime

/// Pooled activation memory: repeated calls reuse it, concurrent calls bound it.
@Suite("Engine memory pools")
struct EngineMemoryTests {
  /// An engine of each kind with a function that runs one call of it.
  static func engines() throws -> [(name: String, engine: Engine, call: @Sendable () throws -> Void)] {
    let cnn = GraphFixtures.residualCNN()
    let compiled = try Engine(graph: cnn)
    let x = GraphFixtures.input(cnn, count: 4, seed: 3)
    let attention = try Engine(graph: DynamicGraphPlanTests.attention())
    let feeds = DynamicGraphPlanTests.inputs(batch: 2, sequence: 7, seed: 3)
    var chainGraph = GraphBuilder("mlp", input: ["batch", 16], seed: 4)
    let h = chainGraph.node("Relu", "relu", [chainGraph.node("Gemm", "fc1", ["input", chainGraph.constant("w1", [16, 32], bound: 0.3)])])
    let out = chainGraph.node("Gemm", "fc2", [h, chainGraph.constant("w2", [32, 10], bound: 0.3)])
    let chain = try Engine(graph: chainGraph.finished([out]))
    let y = GraphFixtures.input(chainGraph.graph, count: 5, seed: 3)
    return [
      ("compiled-chain", chain, { _ = try chain.run(y, count: 5) }),
      ("compiled-graph", compiled, { _ = try compiled.run(x, count: 4) }),
      ("dynamic-graph", attention, { _ = try attention.run(feeds) }),
    ]
  }

  @Test("100 repeated calls of one size keep the pool at its size after the first call")
  func repeatedCallsDoNotGrowThePool() throws {
    for (name, engine, call) in try Self.engines() {
      #expect(engine.engineKind.rawValue == name)
      #expect(engine.pooledBytes == 0, "\(name) before any call")
      try call()
      let first = engine.pooledBytes
      #expect(first > 0, "\(name): the first call leaves its memory in the pool")
      for _ in 0..<100 { try call() }
      #expect(engine.pooledBytes == first, "\(name): \(engine.pooledBytes) bytes after 101 calls, \(first) after one")
      engine.releasePooledMemory()
      #expect(engine.pooledBytes == 0, "\(name) after release")
    }
  }

  @Test("concurrent calls keep at most one arena or pool per overlapping call")
  func concurrentCallsAreBounded() async throws {
    for (name, engine, call) in try Self.engines() {
      try call()
      let single = engine.pooledBytes
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<4 {
          group.addTask { for _ in 0..<25 { try call() } }
        }
        try await group.waitForAll()
      }
      #expect(engine.pooledBytes <= 4 * single, "\(name): \(engine.pooledBytes) bytes pooled, one call needs \(single)")
      for _ in 0..<20 { try call() }
      #expect(engine.pooledBytes <= 4 * single, "\(name) afterwards")
    }
  }

  @Test("an arena pool replaces a too-small arena instead of adding one, and never holds more than the peak")
  func arenaPoolBounds() {
    let pool = ArenaPool()
    pool.give(pool.take(100))
    #expect(pool.heldBytes == 100)
    pool.give(pool.take(50))
    #expect(pool.heldBytes == 100, "a smaller call reuses the arena")
    pool.give(pool.take(400))
    #expect(pool.heldBytes == 400, "a larger call replaces it")
    let a = pool.take(400), b = pool.take(400)
    pool.give(a)
    pool.give(b)
    #expect(pool.heldBytes == 800, "two overlapping calls keep two arenas")
    for _ in 0..<10 { pool.give(pool.take(10)) }
    #expect(pool.heldBytes == 800)
  }
}
