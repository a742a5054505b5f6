import Testing

@testable import TesseraGraph

@Suite("Shape inference: reshaping and indexing operators")
struct ShapeTensorOpsTests {
  typealias F = ShapeFixtures

  func reshape(_ input: [Dimension], _ target: [Int64], allowZero: Bool = false) throws -> [Dimension]? {
    try F.infer(
      Node(name: "r", op: "Reshape", inputs: ["x", "s"], outputs: ["y"], attributes: allowZero ? ["allowzero": .int(1)] : [:]),
      input: TensorType(.float32, input), initializers: ["s": try F.ints(target)])
  }

  @Test("Reshape: 0 and -1 with fixed and symbolic sizes")
  func reshapeRules() throws {
    #expect(try reshape(["batch", 1, 28, 28], [0, -1]) == ["batch", 784])
    #expect(try reshape(["batch", 1, 28, 28], [-1, 784]) == ["batch", 784])
    #expect(try reshape(["batch", 1, 28, 28], [-1, 100]) == ["r_d0", 100])
    #expect(try reshape(["batch", "seq", 8], [0, 0, -1, 2]) == ["batch", "seq", 4, 2])
    #expect(try reshape(["batch", "seq", 8], [0, -1, 2, 2]) == ["batch", "r_d0", 2, 2])
    #expect(try reshape([2, 6], [3, -1]) == [3, 4])
    #expect(try reshape([2, 0], [0, 0], allowZero: true) == [0, 0])
    let message = F.message { _ = try reshape([2, 6], [5, -1]) }
    #expect(message.contains("'r' (Reshape)") && message.contains("[2, 6]"))
    #expect(throws: GraphIRError.self) { try reshape([2, 6], [4, 4]) }
    #expect(throws: GraphIRError.self) { try reshape(["b", 6], [0, 5]) }
    #expect(throws: GraphIRError.self) { try reshape([2, 6], [-1, -1]) }
  }

  @Test("Reshape to Concat(Shape(x)[0], -1) reads the shape through Gather, Unsqueeze and Concat")
  func reshapeThroughShape() throws {
    let g = F.graph(
      inputs: [("x", TensorType(.float32, ["batch", 1, 28, 28]))],
      initializers: ["zero": try GraphTensor(int64: [0], shape: []), "axes": try F.ints([0]), "minus1": try F.ints([-1])],
      nodes: [
        Node(name: "shape", op: "Shape", inputs: ["x"], outputs: ["s"]),
        Node(name: "gather", op: "Gather", inputs: ["s", "zero"], outputs: ["n"]),
        Node(name: "unsq", op: "Unsqueeze", inputs: ["n", "axes"], outputs: ["n1"]),
        Node(name: "cat", op: "Concat", inputs: ["n1", "minus1"], outputs: ["target"], attributes: ["axis": .int(0)]),
        Node(name: "r", op: "Reshape", inputs: ["x", "target"], outputs: ["y"]),
      ], outputs: [("y", .float32)], opset: 13)
    let types = try g.inferringTypes().valueTypes
    #expect(types["s"] == TensorType(.int64, [4]))
    #expect(types["n"] == TensorType(.int64, []))
    #expect(types["target"] == TensorType(.int64, [2]))
    #expect(types["y"] == TensorType(.float32, ["batch", 784]))
  }

  @Test("Flatten: products of symbols become fresh symbols unless one symbol or fixed")
  func flatten() throws {
    func flat(_ x: [Dimension], _ axis: Int) throws -> [Dimension]? {
      try F.infer(Node(name: "f", op: "Flatten", inputs: ["x"], outputs: ["y"], attributes: ["axis": .int(axis)]),
        input: TensorType(.float32, x))
    }
    #expect(try flat(["batch", 1, 28, 28], 1) == ["batch", 784])
    #expect(try flat([2, "s", 3], 2) == ["f_d0", 3])
    #expect(try flat([2, "s", 3], 0) == [1, "f_d0"])
    #expect(try flat([2, "s", 3], -1) == ["f_d0", 3])
    #expect(try flat(["s", 1], 2) == ["s", 1])
  }

  @Test("Transpose, Squeeze and Unsqueeze (attribute before opset 13, input from 13)")
  func layout() throws {
    #expect(try F.infer(Node(name: "t", op: "Transpose", inputs: ["x"], outputs: ["y"], attributes: ["perm": .ints([0, 2, 1])]),
      input: TensorType(.float32, ["b", 3, 4])) == ["b", 4, 3])
    #expect(try F.infer(Node(name: "t", op: "Transpose", inputs: ["x"], outputs: ["y"]), input: TensorType(.float32, ["b", 3, 4])) == [4, 3, "b"])
    #expect(throws: GraphIRError.self) {
      try F.infer(Node(name: "t", op: "Transpose", inputs: ["x"], outputs: ["y"], attributes: ["perm": .ints([0, 0, 1])]),
        input: TensorType(.float32, [1, 2, 3]))
    }
    let x = TensorType(.float32, ["b", 1, 4, 1])
    #expect(try F.infer(Node(name: "s", op: "Squeeze", inputs: ["x"], outputs: ["y"], attributes: ["axes": .ints([1, -1])]), input: x, opset: 11) == ["b", 4])
    #expect(try F.infer(Node(name: "s", op: "Squeeze", inputs: ["x", "a"], outputs: ["y"]), input: x, initializers: ["a": try F.ints([1])], opset: 13) == ["b", 4, 1])
    #expect(try F.infer(Node(name: "s", op: "Squeeze", inputs: ["x"], outputs: ["y"]), input: x, opset: 13) == nil)
    #expect(try F.infer(Node(name: "s", op: "Squeeze", inputs: ["x"], outputs: ["y"]), input: TensorType(.float32, [1, 4, 1])) == [4])
    #expect(throws: GraphIRError.self) {
      try F.infer(Node(name: "s", op: "Squeeze", inputs: ["x", "a"], outputs: ["y"]), input: x, initializers: ["a": try F.ints([2])])
    }
    #expect(try F.infer(Node(name: "u", op: "Unsqueeze", inputs: ["x"], outputs: ["y"], attributes: ["axes": .ints([0, 3])]),
      input: TensorType(.float32, ["b", 4]), opset: 12) == [1, "b", 4, 1])
    #expect(try F.infer(Node(name: "u", op: "Unsqueeze", inputs: ["x", "a"], outputs: ["y"]), input: TensorType(.float32, ["b", 4]),
      initializers: ["a": try F.ints([-1])], opset: 13) == ["b", 4, 1])
  }

  @Test("Concat sums the axis, prefers fixed sizes off it, and rejects mismatches")
  func concat() throws {
    func cat(_ a: [Dimension], _ b: [Dimension], axis: Int = 1) throws -> [Dimension]? {
      let g = F.graph(
        inputs: [("a", TensorType(.float32, a)), ("b", TensorType(.float32, b))],
        nodes: [Node(name: "cat", op: "Concat", inputs: ["a", "b"], outputs: ["y"], attributes: ["axis": .int(axis)])],
        outputs: [("y", .float32)])
      return try g.inferringTypes().valueTypes["y"]?.shape
    }
    #expect(try cat(["b", 3], ["b", 5]) == ["b", 8])
    #expect(try cat(["b", 3], [2, "k"]) == [2, "cat_d0"])
    #expect(try cat(["b", 0], ["b", "k"]) == ["b", "k"])
    let message = F.message { _ = try cat([2, 3], [4, 3]) }
    #expect(message.contains("'cat' (Concat)") && message.contains("[2, 3]") && message.contains("[4, 3]"))
    #expect(throws: GraphIRError.self) { try cat([2, 3], [2, 3, 1]) }
  }

  @Test("Gather, Slice, Shape, Range, Expand, Pad and Cast")
  func indexing() throws {
    let data = TensorType(.float32, ["b", 10])
    #expect(try F.infer(Node(name: "g", op: "Gather", inputs: ["x", "i"], outputs: ["y"], attributes: ["axis": .int(1)]), input: data,
      initializers: ["i": try GraphTensor(int64: [1, 2, 3, 4, 5, 6], shape: [2, 3])]) == ["b", 2, 3])
    #expect(try F.infer(Node(name: "g", op: "Gather", inputs: ["x", "i"], outputs: ["y"], attributes: ["axis": .int(1)]), input: data,
      initializers: ["i": try GraphTensor(int64: [-1], shape: [])]) == ["b"])
    #expect(throws: GraphIRError.self) {
      try F.infer(Node(name: "g", op: "Gather", inputs: ["x", "i"], outputs: ["y"], attributes: ["axis": .int(1)]), input: data,
        initializers: ["i": try GraphTensor(int64: [10], shape: [])])
    }
    func slice(_ starts: [Int64], _ ends: [Int64], axes: [Int64], steps: [Int64]) throws -> [Dimension]? {
      try F.infer(Node(name: "s", op: "Slice", inputs: ["x", "st", "en", "ax", "sp"], outputs: ["y"]), input: data,
        initializers: ["st": try F.ints(starts), "en": try F.ints(ends), "ax": try F.ints(axes), "sp": try F.ints(steps)])
    }
    #expect(try slice([2], [-1], axes: [1], steps: [3]) == ["b", 3])
    #expect(try slice([9], [-100], axes: [-1], steps: [-2]) == ["b", 5])
    #expect(try slice([0, 1], [Int64.max, 4], axes: [0, 1], steps: [1, 1]) == ["b", 3])
    #expect(try slice([1], [Int64.max], axes: [0], steps: [1]) == ["s_d0", 10])
    #expect(try F.infer(Node(name: "sh", op: "Shape", inputs: ["x"], outputs: ["y"]), input: data, output: .int64) == [2])
    #expect(try F.infer(Node(name: "sh", op: "Shape", inputs: ["x"], outputs: ["y"], attributes: ["start": .int(-1)]),
      input: TensorType(.float32, [1, 2, 3]), output: .int64) == [1])
    #expect(try F.infer(Node(name: "r", op: "Range", inputs: ["x", "l", "d"], outputs: ["y"]), input: TensorType(.int64, []),
      initializers: ["l": try GraphTensor(int64: [10], shape: []), "d": try GraphTensor(int64: [3], shape: [])], output: .int64) == ["r_d0"])
    let range = F.graph(
      inputs: [], initializers: ["s": try GraphTensor(int64: [0], shape: []), "l": try GraphTensor(int64: [10], shape: []), "d": try GraphTensor(int64: [3], shape: [])],
      nodes: [Node(name: "r", op: "Range", inputs: ["s", "l", "d"], outputs: ["y"])], outputs: [("y", .int64)])
    #expect(try range.inferringTypes().valueTypes["y"] == TensorType(.int64, [4]))
    #expect(try F.infer(Node(name: "e", op: "Expand", inputs: ["x", "s"], outputs: ["y"]), input: TensorType(.float32, [3, 1]),
      initializers: ["s": try F.ints([2, 1, 4])]) == [2, 3, 4])
    #expect(throws: GraphIRError.self) {
      try F.infer(Node(name: "e", op: "Expand", inputs: ["x", "s"], outputs: ["y"]), input: TensorType(.float32, [3, 2]), initializers: ["s": try F.ints([4])])
    }
    #expect(try F.infer(Node(name: "p", op: "Pad", inputs: ["x", "p"], outputs: ["y"]), input: TensorType(.float32, ["b", 3, 4]),
      initializers: ["p": try F.ints([0, 1, 2, 0, 1, 2])]) == ["b", 5, 8])
    let cast = try F.graph(inputs: [("x", data)], nodes: [Node(name: "c", op: "Cast", inputs: ["x"], outputs: ["y"], attributes: ["to": .int(7)])],
      outputs: [("y", .int64)]).inferringTypes()
    #expect(cast.valueTypes["y"] == TensorType(.int64, ["b", 10]))
  }

  @Test("Constant nodes are typed and their values read by Reshape")
  func constants() throws {
    let g = F.graph(
      inputs: [("x", TensorType(.float32, [2, 3, 4]))],
      nodes: [
        Node(name: "k", op: "Constant", inputs: [], outputs: ["s"], attributes: ["value_ints": .ints([6, -1])]),
        Node(name: "r", op: "Reshape", inputs: ["x", "s"], outputs: ["y"]),
      ], outputs: [("y", .float32)])
    let types = try g.inferringTypes().valueTypes
    #expect(types["s"] == TensorType(.int64, [2]))
    #expect(types["y"] == TensorType(.float32, [6, 4]))
  }
}
