import Testing
import TesseraNN

@testable import TesseraRuntime

/// The dynamic-shape plan against the reference interpreter on attention-shaped graphs.
@Suite("Dynamic graph plan")
struct DynamicGraphPlanTests {
  /// Self-attention with two heads on `[batch, sequence, 8]` plus a mask input `[batch, sequence]`
  /// (int64), written as PyTorch exports it: Linear (MatMul + Add), Reshape to heads, Transpose,
  /// Q·Kᵀ, scale, additive mask, Softmax, P·V, merge heads, output Linear with Relu, residual Add.
  static func attention(seed: UInt64 = 5) -> Graph {
    var b = GraphBuilder("attention", input: ["batch", "sequence", 8], seed: seed)
    b.graph.inputs.append(ValueInfo(name: "mask", type: TensorType(.int64, ["batch", "sequence"])))
    func linear(_ name: String, _ x: String) -> String {
      let w = b.constant("\(name).w", [8, 8], bound: 0.5), bias = b.constant("\(name).b", [8], bound: 0.1)
      return b.node("Add", "\(name).add", [b.node("MatMul", "\(name).mm", [x, w]), bias])
    }
    b.integers("split", [0, 0, 2, 4])
    b.integers("merge", [0, 0, 8])
    b.integers("axes12", [1, 2])
    b.graph.initializers["one"] = try! GraphTensor(float32: [1], shape: [])
    b.graph.initializers["big"] = try! GraphTensor(float32: [-10000], shape: [])
    b.graph.initializers["scale"] = try! GraphTensor(float32: [0.5], shape: [])
    let q = b.node("Transpose", "q.t", [b.node("Reshape", "q.r", [linear("q", "input"), "split"])], ["perm": .ints([0, 2, 1, 3])])
    let k = b.node("Transpose", "k.t", [b.node("Reshape", "k.r", [linear("k", "input"), "split"])], ["perm": .ints([0, 2, 3, 1])])
    let v = b.node("Transpose", "v.t", [b.node("Reshape", "v.r", [linear("v", "input"), "split"])], ["perm": .ints([0, 2, 1, 3])])
    let m = b.node("Cast", "m.cast", ["mask"], ["to": .int(1)])
    let additive = b.node("Mul", "m.scale", [b.node("Sub", "m.inv", ["one", m]), "big"])
    let m4 = b.node("Unsqueeze", "m.4d", [additive, "axes12"])
    let scores = b.node("Add", "s.mask", [b.node("Mul", "s.scale", [b.node("MatMul", "s", [q, k]), "scale"]), m4])
    let probs = b.node("Softmax", "p", [scores], ["axis": .int(-1)])
    let ctx = b.node("Transpose", "c.t", [b.node("MatMul", "c", [probs, v])], ["perm": .ints([0, 2, 1, 3])])
    let merged = b.node("Reshape", "c.r", [ctx, "merge"])
    let out = b.node("Relu", "o.relu", [linear("o", merged)])
    let sum = b.node("Add", "residual", [out, "input"])
    // The output is a view of the last buffer (as sentence-transformer graphs end in Identity).
    let output = b.node("Identity", "output", [sum])
    return b.finished([output])
  }

  static func inputs(batch: Int, sequence: Int, seed: UInt64) -> [String: GraphTensor] {
    var rng = TestRNG(seed: seed)
    let x = (0..<(batch * sequence * 8)).map { _ in rng.symmetric(1) }
    // The last sample is padded: its final two tokens are masked out.
    let mask = (0..<(batch * sequence)).map { i -> Int64 in i / sequence == batch - 1 && i % sequence >= sequence - 2 ? 0 : 1 }
    return [
      "input": try! GraphTensor(float32: x, shape: [batch, sequence, 8]),
      "mask": try! GraphTensor(int64: mask, shape: [batch, sequence]),
    ]
  }

  @Test("one compiled plan runs every batch and sequence length and matches the interpreter within 1e-5")
  func matchesInterpreter() throws {
    let graph = Self.attention()
    let plan = try DynamicGraphPlan(graph: graph)
    let reference = try ReferenceInterpreter(graph: graph)
    #expect(plan.fallbackNodes == ["m.cast"], "only the mask cast should need the interpreter")
    #expect(plan.stepKinds.filter { $0.kind.hasPrefix("fp32-linear") }.count == 4)
    // Head split/merge transposes fold into the strided MatMuls; scale and mask into the softmax.
    #expect(!plan.stepKinds.contains { $0.kind == "fp32-transpose" }, "\(plan.stepKinds)")
    #expect(plan.stepKinds.filter { $0.kind == "fp32-binary" }.map(\.node) == ["m.inv", "m.scale", "residual"])
    for (batch, sequence) in [(1, 1), (1, 5), (3, 4), (2, 17), (4, 3)] {
      let feeds = Self.inputs(batch: batch, sequence: sequence, seed: UInt64(batch * 100 + sequence))
      let ours = try plan.run(feeds)[0]
      let theirs = try #require(try reference.run(feeds)[graph.outputs[0].name])
      #expect(ours.shape == [batch, sequence, 8])
      let a = try #require(ours.float32), b = try #require(theirs.float32)
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5, "batch \(batch) sequence \(sequence): max difference \(worst)")
    }
  }

  @Test("calls of different sizes one after another reuse pooled buffers and give the same answers as a fresh plan")
  func repeatedCalls() throws {
    let graph = Self.attention()
    let plan = try DynamicGraphPlan(graph: graph)
    let sizes = [(2, 6), (1, 3), (3, 9), (1, 3), (2, 6)]
    let first = try sizes.map { try plan.run(Self.inputs(batch: $0.0, sequence: $0.1, seed: 4))[0] }
    let again = try sizes.map { try plan.run(Self.inputs(batch: $0.0, sequence: $0.1, seed: 4))[0] }
    let fresh = try sizes.map { try DynamicGraphPlan(graph: graph).run(Self.inputs(batch: $0.0, sequence: $0.1, seed: 4))[0] }
    #expect(first == fresh)
    #expect(again == fresh)
  }

  @Test("many threads call one plan at once and get the same answers")
  func concurrentCalls() async throws {
    let plan = try DynamicGraphPlan(graph: Self.attention())
    let feeds = Self.inputs(batch: 2, sequence: 6, seed: 9)
    let expected = try plan.run(feeds)[0]
    try await withThrowingTaskGroup(of: GraphTensor.self) { group in
      for _ in 0..<8 { group.addTask { try plan.run(feeds)[0] } }
      for try await result in group { #expect(result == expected) }
    }
  }

  @Test("bad inputs: missing, wrong type, wrong width, disagreeing symbolic dimensions, NaN")
  func badInputs() throws {
    let plan = try DynamicGraphPlan(graph: Self.attention())
    var feeds = Self.inputs(batch: 2, sequence: 3, seed: 1)
    feeds["mask"] = nil
    #expect(throws: EngineError.self) { try plan.run(feeds) }
    feeds = Self.inputs(batch: 2, sequence: 3, seed: 1)
    feeds["mask"] = try GraphTensor(float32: [Float](repeating: 1, count: 6), shape: [2, 3])
    #expect(throws: EngineError.self) { try plan.run(feeds) }
    feeds = Self.inputs(batch: 2, sequence: 3, seed: 1)
    feeds["input"] = try GraphTensor(float32: [Float](repeating: 0, count: 2 * 3 * 7), shape: [2, 3, 7])
    #expect(throws: EngineError.self) { try plan.run(feeds) }
    feeds = Self.inputs(batch: 2, sequence: 3, seed: 1)
    feeds["mask"] = try GraphTensor(int64: [Int64](repeating: 1, count: 8), shape: [2, 4])
    #expect(throws: EngineError.invalidInput("input mask: sequence = 4, but input has sequence = 3")) { try plan.run(feeds) }
    feeds = Self.inputs(batch: 2, sequence: 3, seed: 1)
    feeds["input"] = try GraphTensor(float32: [Float](repeating: .nan, count: 48), shape: [2, 3, 8])
    #expect(throws: EngineError.self) { try plan.run(feeds) }
  }

  @Test("broadcasting binary kernel equals the interpreter on mixed shapes")
  func broadcasting() throws {
    var rng = TestRNG(seed: 3)
    for (sa, sb) in [([2, 3, 4], [4]), ([2, 1, 4], [3, 1]), ([1], [2, 5]), ([2, 3, 1, 5], [2, 1, 4, 5]), ([3, 1], [1, 1]), ([2, 0, 3], [3])] {
      let a = try GraphTensor(float32: (0..<sa.reduce(1, *)).map { _ in rng.symmetric(2) }, shape: sa)
      let b = try GraphTensor(float32: (0..<sb.reduce(1, *)).map { _ in rng.symmetric(2) + 3 }, shape: sb)
      for (op, kind) in [("Add", DynamicKernels.Binary.add), ("Sub", .sub), ("Mul", .mul), ("Div", .div)] {
        let expected = try OperatorKernels.evaluate(Node(name: "n", op: op, inputs: ["a", "b"], outputs: ["c"]), inputs: [a, b], opset: 17)[0]
        let shape = try #require(DynamicKernels.broadcast(sa, sb))
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        a.float32!.withUnsafeBufferPointer { pa in
          b.float32!.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
              DynamicKernels.binary(kind, pa.baseAddress!, sa, pb.baseAddress!, sb, po.baseAddress!, shape)
            }
          }
        }
        #expect(shape == expected.shape)
        #expect(out == expected.float32!, "\(op) \(sa) \(sb)")
      }
    }
  }
}

extension DynamicGraphPlanTests {
  /// Transpose(a, pa) · Transpose(b, pb), then Transpose(out, po), for every folding case.
  static func transposedProduct(pa: [Int], pb: [Int], po: [Int]) -> Graph {
    var g = Graph(name: "tmm", opset: 17)
    g.inputs = [
      ValueInfo(name: "a", type: TensorType(.float32, ["n", 3, 4, 5])),
      ValueInfo(name: "b", type: TensorType(.float32, ["n", 3, 4, 5])),
    ]
    g.nodes = [
      Node(name: "ta", op: "Transpose", inputs: ["a"], outputs: ["at"], attributes: ["perm": .ints(pa)]),
      Node(name: "tb", op: "Transpose", inputs: ["b"], outputs: ["bt"], attributes: ["perm": .ints(pb)]),
      Node(name: "mm", op: "MatMul", inputs: ["at", "bt"], outputs: ["p"]),
      Node(name: "to", op: "Transpose", inputs: ["p"], outputs: ["y"], attributes: ["perm": .ints(po)]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil))]
    return g
  }

  @Test("MatMul reads transposed operands in place (normal, transposed, copied) and writes transposed outputs", arguments: [
    ([0, 1, 2, 3], [0, 1, 3, 2], [0, 2, 1, 3]),  // A as is, B transposed (Q·Kᵀ), output head merge
    ([0, 1, 3, 2], [0, 1, 2, 3], [0, 1, 2, 3]),  // A read transposed
    ([0, 2, 1, 3], [0, 2, 3, 1], [0, 2, 1, 3]),  // attention's head split on both sides
    ([0, 3, 2, 1], [0, 3, 1, 2], [1, 0, 2, 3]),  // no unit stride in either matrix: both copied
  ])
  func foldedTransposes(pa: [Int], pb: [Int], po: [Int]) throws {
    let graph = Self.transposedProduct(pa: pa, pb: pb, po: po)
    let plan = try DynamicGraphPlan(graph: graph)
    #expect(plan.stepKinds.map(\.kind) == ["fp32-matmul"])
    for n in [1, 2] {
      let feeds = Self.pair(n)
      let expected = try #require(try ReferenceInterpreter(graph: graph).run(feeds)["y"])
      let ours = try plan.run(feeds)[0]
      #expect(ours.shape == expected.shape)
      let worst = zip(ours.float32!, expected.float32!).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5, "max difference \(worst)")
    }
  }

  static func pair(_ n: Int) -> [String: GraphTensor] {
    var rng = TestRNG(seed: UInt64(n))
    let count = n * 60
    return [
      "a": try! GraphTensor(float32: (0..<count).map { _ in rng.symmetric(1) }, shape: [n, 3, 4, 5]),
      "b": try! GraphTensor(float32: (0..<count).map { _ in rng.symmetric(1) }, shape: [n, 3, 4, 5]),
    ]
  }
}
