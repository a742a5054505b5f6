import Testing

@testable import TesseraGraph

@Suite("Shape inference: transformer operators")
struct ShapeTransformerOpsTests {
  typealias F = ShapeFixtures

  /// The types inferred for a graph over float32 inputs.
  func types(
    _ inputs: [(String, TensorType)], _ nodes: [Node], initializers: [String: GraphTensor] = [:], opset: Int = 17
  ) throws -> [String: TensorType] {
    try F.graph(inputs: inputs, initializers: initializers, nodes: nodes, outputs: [], opset: opset).inferringTypes().valueTypes
  }

  /// The inferred type of `node`'s first output over the given inputs.
  func infer(_ node: Node, _ inputs: [(String, TensorType)], initializers: [String: GraphTensor] = [:], opset: Int = 17)
    throws -> TensorType?
  {
    try types(inputs, [node], initializers: initializers, opset: opset)[node.outputs[0]]
  }

  @Test("unary math keeps the input type; Gelu and Not too")
  func unary() throws {
    for op in ["Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal", "Erf", "Gelu"] {
      let t = try infer(Node(name: "u", op: op, inputs: ["x"], outputs: ["y"]), [("x", TensorType(.float32, ["batch", "seq", 8]))], opset: 20)
      #expect(t == TensorType(.float32, ["batch", "seq", 8]), "\(op)")
    }
    let not = try infer(Node(name: "u", op: "Not", inputs: ["x"], outputs: ["y"]), [("x", TensorType(.bool, ["s"]))])
    #expect(not == TensorType(.bool, ["s"]))
  }

  @Test("comparisons and logical operators give bool with symbolic broadcasting")
  func comparisons() throws {
    let inputs = [("a", TensorType(.int64, ["batch", 1, "seq"])), ("b", TensorType(.int64, ["seq"]))]
    for op in ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"] {
      let t = try infer(Node(name: "c", op: op, inputs: ["a", "b"], outputs: ["y"]), inputs)
      #expect(t == TensorType(.bool, ["batch", 1, "seq"]), "\(op)")
    }
    let and = try infer(
      Node(name: "c", op: "And", inputs: ["a", "b"], outputs: ["y"]),
      [("a", TensorType(.bool, ["s", 1])), ("b", TensorType(.bool, [1, "t"]))])
    #expect(and == TensorType(.bool, ["s", "t"]))
    // Two different symbols at one position give a fresh symbol.
    let fresh = try infer(
      Node(name: "c", op: "Equal", inputs: ["a", "b"], outputs: ["y"]),
      [("a", TensorType(.float32, ["s"])), ("b", TensorType(.float32, ["t"]))])
    #expect(fresh == TensorType(.bool, ["c_d0"]))
    let types = F.message {
      _ = try infer(
        Node(name: "c", op: "Less", inputs: ["a", "b"], outputs: ["y"]),
        [("a", TensorType(.float32, [2])), ("b", TensorType(.int64, [2]))])
    }
    #expect(types.contains("'c' (Less)") && types.contains("element types differ"))
    let sizes = F.message {
      _ = try infer(
        Node(name: "c", op: "Equal", inputs: ["a", "b"], outputs: ["y"]),
        [("a", TensorType(.float32, [2, 3])), ("b", TensorType(.float32, [4]))])
    }
    #expect(sizes.contains("cannot broadcast") && sizes.contains("[2, 3]"))
  }

  @Test("Where broadcasts condition, X and Y; Pow takes X's type; Max/Min are variadic")
  func selection() throws {
    let w = try infer(
      Node(name: "w", op: "Where", inputs: ["c", "x", "y"], outputs: ["z"]),
      [("c", TensorType(.bool, ["batch", 1, 1, "seq"])), ("x", TensorType(.float32, ["batch", 12, "seq", "seq"])),
       ("y", TensorType(.float32, []))])
    #expect(w == TensorType(.float32, ["batch", 12, "seq", "seq"]))
    let bad = F.message {
      _ = try infer(
        Node(name: "w", op: "Where", inputs: ["c", "x", "y"], outputs: ["z"]),
        [("c", TensorType(.float32, [1])), ("x", TensorType(.float32, [1])), ("y", TensorType(.float32, [1]))])
    }
    #expect(bad.contains("'w' (Where)") && bad.contains("must be bool"))
    let pow = try infer(
      Node(name: "p", op: "Pow", inputs: ["x", "e"], outputs: ["y"]),
      [("x", TensorType(.float32, ["batch", "seq", 8])), ("e", TensorType(.int64, []))])
    #expect(pow == TensorType(.float32, ["batch", "seq", 8]))
    let max = try infer(
      Node(name: "m", op: "Max", inputs: ["a", "b", "c"], outputs: ["y"]),
      [("a", TensorType(.float32, ["n", 1])), ("b", TensorType(.float32, [3])), ("c", TensorType(.float32, []))])
    #expect(max == TensorType(.float32, ["n", 3]))
  }

  @Test("reductions: keepdims, negative axes, attribute vs input axes, empty axes, noop")
  func reductions() throws {
    let x = [("x", TensorType(.float32, ["batch", "seq", 768]))]
    func reduce(_ op: String, _ attributes: [String: Attribute] = [:], axes: [Int64]? = nil, opset: Int = 17) throws -> TensorType? {
      try infer(
        Node(name: "r", op: op, inputs: axes == nil ? ["x"] : ["x", "axes"], outputs: ["y"], attributes: attributes), x,
        initializers: axes.map { ["axes": try F.ints($0)] } ?? [:], opset: opset)
    }
    // Mean pooling over the sequence axis drops it with keepdims 0.
    #expect(try reduce("ReduceMean", ["axes": .ints([1]), "keepdims": .int(0)]) == TensorType(.float32, ["batch", 768]))
    #expect(try reduce("ReduceMean", ["axes": .ints([-1])]) == TensorType(.float32, ["batch", "seq", 1]))
    #expect(try reduce("ReduceMean", ["keepdims": .int(0)], axes: [1], opset: 18) == TensorType(.float32, ["batch", 768]))
    #expect(try reduce("ReduceSum", axes: [-2, 0], opset: 13) == TensorType(.float32, [1, 1, 768]))
    #expect(try reduce("ReduceL2", ["axes": .ints([2])], opset: 17) == TensorType(.float32, ["batch", "seq", 1]))
    #expect(try reduce("ReduceMax", ["keepdims": .int(0)]) == TensorType(.float32, []))
    #expect(try reduce("ReduceSum", ["noop_with_empty_axes": .int(1)], axes: [], opset: 13) == TensorType(.float32, ["batch", "seq", 768]))
    let axes = F.message { _ = try reduce("ReduceMean", ["axes": .ints([3])]) }
    #expect(axes.contains("'r' (ReduceMean)") && axes.contains("axis 3 is out of range for rank 3"))
    // Axes computed at run time: keepdims keeps the rank (fresh sizes), else rank − length.
    let g = F.graph(
      inputs: [("x", TensorType(.float32, ["batch", 1, 8])), ("axes", TensorType(.int64, [1]))],
      nodes: [
        Node(name: "k", op: "ReduceSum", inputs: ["x", "axes"], outputs: ["kept"]),
        Node(name: "d", op: "ReduceSum", inputs: ["x", "axes"], outputs: ["dropped"], attributes: ["keepdims": .int(0)]),
      ], outputs: [], opset: 13)
    let t = try g.inferringTypes().valueTypes
    #expect(t["kept"] == TensorType(.float32, ["k_d0", 1, "k_d1"]))
    #expect(t["dropped"] == TensorType(.float32, ["d_d0", "d_d1"]))
  }

  @Test("LayerNormalization: Y like X, Mean/InvStdDev float32 with the normalized axes 1")
  func layerNormalization() throws {
    let t = try types(
      [("x", TensorType(.float32, ["batch", "seq", 768])), ("g", TensorType(.float32, [768])), ("b", TensorType(.float32, [768]))],
      [Node(name: "ln", op: "LayerNormalization", inputs: ["x", "g", "b"], outputs: ["y", "mean", "inv"], attributes: ["axis": .int(-1)])])
    #expect(t["y"] == TensorType(.float32, ["batch", "seq", 768]))
    #expect(t["mean"] == TensorType(.float32, ["batch", "seq", 1]))
    #expect(t["inv"] == TensorType(.float32, ["batch", "seq", 1]))
    let bad = F.message {
      _ = try types(
        [("x", TensorType(.float32, ["batch", "seq", 768])), ("g", TensorType(.float32, [512]))],
        [Node(name: "ln", op: "LayerNormalization", inputs: ["x", "g"], outputs: ["y"])])
    }
    #expect(bad.contains("'ln' (LayerNormalization)") && bad.contains("Scale") && bad.contains("768"))
    let lp = try infer(
      Node(name: "lp", op: "LpNormalization", inputs: ["x"], outputs: ["y"]), [("x", TensorType(.float32, ["batch", 384]))])
    #expect(lp == TensorType(.float32, ["batch", 384]))
  }

  @Test("PyTorch's expand pattern Where(Equal(shape, -1), ones, shape) resolves to the symbolic shape")
  func expandPattern() throws {
    let one = GraphTensor.Storage.int64([1])
    let t = try types(
      [("ids", TensorType(.int64, ["batch", "seq"])), ("row", TensorType(.int64, [1, "seq"]))],
      [
        Node(name: "shape", op: "Shape", inputs: ["ids"], outputs: ["s"]),
        Node(name: "len", op: "Shape", inputs: ["s"], outputs: ["n"]),
        Node(name: "ones", op: "ConstantOfShape", inputs: ["n"], outputs: ["o"],
             attributes: ["value": .tensor(try GraphTensor(one, shape: [1]))]),
        Node(name: "neg", op: "Mul", inputs: ["o", "minus1"], outputs: ["m"]),
        Node(name: "eq", op: "Equal", inputs: ["s", "m"], outputs: ["e"]),
        Node(name: "where", op: "Where", inputs: ["e", "o", "s"], outputs: ["target"]),
        Node(name: "expand", op: "Expand", inputs: ["row", "target"], outputs: ["y"]),
        Node(name: "size", op: "Size", inputs: ["ids"], outputs: ["count"]),
        Node(name: "like", op: "CastLike", inputs: ["ids", "row"], outputs: ["same"]),
      ], initializers: ["minus1": try GraphTensor(int64: [-1], shape: [])])
    #expect(t["o"] == TensorType(.int64, [2]))
    #expect(t["e"] == TensorType(.bool, [2]))
    #expect(t["target"] == TensorType(.int64, [2]))
    #expect(t["y"] == TensorType(.int64, ["batch", "seq"]))
    #expect(t["count"] == TensorType(.int64, []))
    #expect(t["same"] == TensorType(.int64, ["batch", "seq"]))
  }

  @Test("ConstantOfShape: constant shape, shape of a value (symbols kept), unknown; Tile")
  func fill() throws {
    let value = GraphTensor.Storage.int64([1])
    let t = try types(
      [("x", TensorType(.float32, ["batch", "seq"])), ("dynamic", TensorType(.int64, [3]))],
      [
        Node(name: "s", op: "Shape", inputs: ["x"], outputs: ["shape"]),
        Node(name: "ones", op: "ConstantOfShape", inputs: ["shape"], outputs: ["mask"],
             attributes: ["value": .tensor(try GraphTensor(value, shape: [1]))]),
        Node(name: "fixed", op: "ConstantOfShape", inputs: ["two_three"], outputs: ["zeros"]),
        Node(name: "unknown", op: "ConstantOfShape", inputs: ["dynamic"], outputs: ["u"]),
        Node(name: "tile", op: "Tile", inputs: ["x", "reps"], outputs: ["tiled"]),
      ], initializers: ["two_three": try F.ints([2, 3]), "reps": try F.ints([1, 2])])
    #expect(t["mask"] == TensorType(.int64, ["batch", "seq"]))
    #expect(t["zeros"] == TensorType(.float32, [2, 3]))
    #expect(t["u"] == TensorType(.float32, ["unknown_d0", "unknown_d1", "unknown_d2"]))
    #expect(t["tiled"] == TensorType(.float32, ["batch", "tile_d0"]))
    let tiled = try infer(
      Node(name: "t", op: "Tile", inputs: ["x", "reps"], outputs: ["y"]), [("x", TensorType(.float32, [2, 3]))],
      initializers: ["reps": try F.ints([3, 1])])
    #expect(tiled == TensorType(.float32, [6, 3]))
  }
}
