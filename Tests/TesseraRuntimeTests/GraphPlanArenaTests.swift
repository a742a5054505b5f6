import Testing
import TesseraNN
@testable import TesseraRuntime

/// The liveness-based arena: slots are reused after a value's last reader, elementwise steps run
/// in place, views share their source's memory.
@Suite("Graph plan arena")
struct GraphPlanArenaTests {
  @Test func chainReusesFreedBlocks() {
    // a → b → c → d, each read only by the next: two blocks suffice.
    let buffers = (0..<4).map { ArenaPlanner.Buffer(size: 64, defined: $0, lastUse: $0 + 1) }
    let layout = ArenaPlanner.plan(buffers)
    #expect(layout.total == 128)
    #expect(layout.offsets == [0, 64, 0, 64])
  }

  @Test func bestFitPicksTheSmallestFreeBlockAndMergesNeighbours() {
    let buffers: [ArenaPlanner.Buffer] = [
      .init(size: 256, defined: 0, lastUse: 1),  // [0, 256)
      .init(size: 64, defined: 0, lastUse: 2),  // [256, 320)
      .init(size: 128, defined: 1, lastUse: 3),  // [320, 448): nothing free yet
      .init(size: 64, defined: 2, lastUse: 3),  // [0, 64): 256 freed at step 1
      .init(size: 320, defined: 4, lastUse: 5),  // all freed by step 3, merged: [0, 320)
    ]
    let layout = ArenaPlanner.plan(buffers)
    #expect(layout.offsets == [0, 256, 320, 0, 0])
    #expect(layout.total == 448)
  }

  @Test func inPlaceTakesOverTheInputBlockOnlyAtItsLastUse() {
    let buffers: [ArenaPlanner.Buffer] = [
      .init(size: 64, defined: 0, lastUse: 1),
      .init(size: 64, defined: 1, lastUse: 2, reuse: 0),  // in place over 0
      .init(size: 64, defined: 2, lastUse: Int.max, reuse: 0),  // 0 is gone: a fresh block
    ]
    let layout = ArenaPlanner.plan(buffers)
    #expect(layout.offsets[1] == layout.offsets[0])
    #expect(layout.inPlace == [1])
    #expect(layout.total == 128)
  }

  @Test func residualChainNeedsConstantArena() throws {
    var sizes = [Int: Int]()
    for blocks in [2, 4, 8] {
      let graph = GraphFixtures.residualChain(blocks: blocks)
      let plan = try GraphPlan(graph: graph)
      sizes[blocks] = plan.arenaBytesPerSample
      #expect(plan.fallbackNodes.isEmpty)
      let x = GraphFixtures.input(graph, count: 2, seed: 4)
      GraphFixtures.expectClose(try plan.run(x, count: 2)[0], try GraphFixtures.reference(graph, x, count: 2)[0], "chain-\(blocks)")
    }
    // One activation is 8·6·6 floats = 1152 bytes; a block needs the skip, the hidden value and
    // the sum (the Relus run in place), whatever the number of blocks.
    #expect(sizes[2] == sizes[8] && sizes[4] == sizes[8])
    #expect(sizes[8]! <= 3 * 1152)
  }

  @Test func viewsShareTheirSourceAndExtendItsLife() throws {
    // flat = Flatten(h) is read after relu(h) would have run in place: h must survive.
    var b = GraphBuilder("views", input: ["batch", 2, 3, 3], seed: 5)
    let h = b.node("Relu", "h", ["input"])
    let flat = b.node("Flatten", "flat", [h])
    let doubled = b.node("Add", "twice", [h, h])
    let back = b.node("Flatten", "flat2", [doubled])
    let outputs = [b.node("Add", "sum", [flat, back])]
    let graph = b.finished(outputs)
    let plan = try GraphPlan(graph: graph)
    #expect(plan.stepKinds.map { $0.kind } == ["fp32-relu", "fp32-add", "fp32-add"])
    let x = GraphFixtures.input(graph, count: 3, seed: 6)
    GraphFixtures.expectClose(try plan.run(x, count: 3)[0], try GraphFixtures.reference(graph, x, count: 3)[0], "views")
    let h1 = plan.values.first { $0.name == "h" }!, f1 = plan.values.first { $0.name == "flat" }!
    guard case let .arena(a) = h1.location, case let .arena(b2) = f1.location else {
      Issue.record("h and flat should live in the arena")
      return
    }
    #expect(a == b2)
  }
}
