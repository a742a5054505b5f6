import Testing
import TesseraNN

@testable import TesseraRuntime

/// The dynamic plan's Slice step (contiguous copies for unit steps) against the reference interpreter.
@Suite("Dynamic plan Slice")
struct DynamicSliceTests {
  /// BERT's position rows: `Slice(table[10, 4], starts [0], ends [Shape(ids)[1]], axes [0])`
  /// added to a float input `[batch, sequence, 4]`.
  static func positions() -> Graph {
    var g = Graph(name: "positions", opset: 17)
    g.inputs = [
      ValueInfo(name: "ids", type: TensorType(.int64, ["batch", "sequence"])),
      ValueInfo(name: "x", type: TensorType(.float32, ["batch", "sequence", 4])),
    ]
    g.initializers["table"] = try! GraphTensor(float32: (0..<40).map { Float($0) * 0.25 - 3 }, shape: [10, 4])
    g.initializers["zero"] = try! GraphTensor(int64: [0], shape: [1])
    g.initializers["one"] = try! GraphTensor(int64: [1], shape: [1])
    g.nodes = [
      Node(name: "shape", op: "Shape", inputs: ["ids"], outputs: ["s"]),
      Node(name: "length", op: "Gather", inputs: ["s", "one"], outputs: ["len"], attributes: ["axis": .int(0)]),
      Node(name: "rows", op: "Slice", inputs: ["table", "zero", "len", "zero"], outputs: ["p"]),
      Node(name: "add", op: "Add", inputs: ["x", "p"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil))]
    return g
  }

  @Test("position rows: the Slice runs as a copy step and the output equals the interpreter's exactly")
  func positionRows() throws {
    let graph = Self.positions()
    let plan = try DynamicGraphPlan(graph: graph)
    #expect(plan.stepKinds.first { $0.node == "rows" }?.kind == "fp32-slice", "\(plan.stepKinds)")
    #expect(!plan.fallbackNodes.contains("rows"))
    let reference = try ReferenceInterpreter(graph: graph)
    var rng = TestRNG(seed: 9)
    for (batch, sequence) in [(1, 1), (1, 7), (2, 10), (3, 4)] {
      let feeds: [String: GraphTensor] = [
        "ids": try GraphTensor(int64: [Int64](repeating: 1, count: batch * sequence), shape: [batch, sequence]),
        "x": try GraphTensor(float32: (0..<(batch * sequence * 4)).map { _ in rng.symmetric(1) }, shape: [batch, sequence, 4]),
      ]
      let ours = try plan.run(feeds)[0]
      let theirs = try #require(try reference.run(feeds)["y"])
      #expect(ours.shape == theirs.shape)
      #expect(ours.float32 == theirs.float32, "batch \(batch) sequence \(sequence)")
    }
  }

  /// `Slice(x[2, 5, 6], starts, ends, axes, steps)` with the bounds as constants.
  static func slice(starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?) -> Graph {
    var g = Graph(name: "slice", opset: 17)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [2, 5, 6]))]
    g.initializers["starts"] = try! GraphTensor(int64: starts, shape: [starts.count])
    g.initializers["ends"] = try! GraphTensor(int64: ends, shape: [ends.count])
    var inputs = ["x", "starts", "ends"]
    if let axes {
      g.initializers["axes"] = try! GraphTensor(int64: axes, shape: [axes.count])
      inputs.append("axes")
    }
    if let steps {
      if axes == nil { inputs.append("") }
      g.initializers["steps"] = try! GraphTensor(int64: steps, shape: [steps.count])
      inputs.append("steps")
    }
    g.nodes = [Node(name: "slice", op: "Slice", inputs: inputs, outputs: ["y"])]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil))]
    return g
  }

  @Test("unit-step slices on any axes (negative, clamped, empty) and the fallback for other steps equal the interpreter", arguments: [
    ([0], [1], [0], nil),  // first sample
    ([1, 2], [4, 5], [1, 2], nil),  // a box in the last two axes
    ([-3], [Int64.max], [-1], [1]),  // negative start, end past the axis
    ([0, 1], [2, 3], nil, nil),  // axes omitted: the leading axes
    ([3], [1], [1], nil),  // empty
    ([0, -100], [2, 100], [0, 2], nil),  // clamped at both ends
    ([4], [0], [1], [-1]),  // negative step: reference kernel
    ([0], [6], [2], [2]),  // step 2: reference kernel
  ] as [([Int64], [Int64], [Int64]?, [Int64]?)])
  func slices(starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?) throws {
    let graph = Self.slice(starts: starts, ends: ends, axes: axes, steps: steps)
    let plan = try DynamicGraphPlan(graph: graph)
    #expect(plan.stepKinds.map(\.kind) == ["fp32-slice"])
    var rng = TestRNG(seed: 2)
    let feeds = ["x": try GraphTensor(float32: (0..<60).map { _ in rng.symmetric(1) }, shape: [2, 5, 6])]
    let ours = try plan.run(feeds)[0]
    let theirs = try #require(try ReferenceInterpreter(graph: graph).run(feeds)["y"])
    #expect(ours.shape == theirs.shape)
    #expect(ours.float32 == theirs.float32)
  }

  @Test("bad bounds fed at run time (axis out of range, repeated axis, lengths that differ) give the interpreter's error")
  func badBounds() throws {
    // Bounds as graph inputs, so nothing can check them before the call.
    var g = Graph(name: "slice", opset: 17)
    g.inputs = [
      ValueInfo(name: "x", type: TensorType(.float32, [2, 5, 6])),
      ValueInfo(name: "starts", type: TensorType(.int64, ["k"])),
      ValueInfo(name: "ends", type: TensorType(.int64, ["e"])),
      ValueInfo(name: "axes", type: TensorType(.int64, ["a"])),
    ]
    g.nodes = [Node(name: "slice", op: "Slice", inputs: ["x", "starts", "ends", "axes"], outputs: ["y"])]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, nil))]
    let plan = try DynamicGraphPlan(graph: g)
    #expect(plan.stepKinds.map(\.kind) == ["fp32-slice"])
    var rng = TestRNG(seed: 4)
    let x = try GraphTensor(float32: (0..<60).map { _ in rng.symmetric(1) }, shape: [2, 5, 6])
    func feeds(_ s: [Int64], _ e: [Int64], _ a: [Int64]) throws -> [String: GraphTensor] {
      [
        "x": x, "starts": try GraphTensor(int64: s, shape: [s.count]), "ends": try GraphTensor(int64: e, shape: [e.count]),
        "axes": try GraphTensor(int64: a, shape: [a.count]),
      ]
    }
    let good = try plan.run(try feeds([1], [3], [1]))[0]
    #expect(good.shape == [2, 2, 6])
    for (s, e, a) in [([0], [1], [3]), ([0, 0], [1, 1], [1, 1]), ([0, 0], [1], [0, 1])] as [([Int64], [Int64], [Int64])] {
      #expect(throws: (any Error).self, "starts \(s) ends \(e) axes \(a)") { try plan.run(try feeds(s, e, a)) }
    }
  }
}
