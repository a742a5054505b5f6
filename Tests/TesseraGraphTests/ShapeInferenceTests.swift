import Testing

@testable import TesseraGraph

@Suite("Shape inference: networks, broadcasting, windows")
struct ShapeInferenceTests {
  typealias F = ShapeFixtures

  @Test("LeNet: Conv, Relu, MaxPool, Flatten and Gemm carry the batch symbol")
  func lenet() throws {
    let g = F.graph(
      inputs: [("x", TensorType(.float32, ["batch", 1, 28, 28]))],
      initializers: [
        "w1": try F.zeros([6, 1, 5, 5]), "b1": try F.zeros([6]), "w2": try F.zeros([16, 6, 5, 5]),
        "f1": try F.zeros([120, 256]), "f2": try F.zeros([10, 120]), "fb": try F.zeros([10]),
      ],
      nodes: [
        Node(name: "conv1", op: "Conv", inputs: ["x", "w1", "b1"], outputs: ["c1"]),
        Node(name: "relu1", op: "Relu", inputs: ["c1"], outputs: ["r1"]),
        Node(name: "pool1", op: "MaxPool", inputs: ["r1"], outputs: ["p1"], attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
        Node(name: "conv2", op: "Conv", inputs: ["p1", "w2"], outputs: ["c2"]),
        Node(name: "pool2", op: "AveragePool", inputs: ["c2"], outputs: ["p2"], attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
        Node(name: "flat", op: "Flatten", inputs: ["p2"], outputs: ["v"]),
        Node(name: "fc1", op: "Gemm", inputs: ["v", "f1"], outputs: ["h"], attributes: ["transB": .int(1)]),
        Node(name: "fc2", op: "Gemm", inputs: ["h", "f2", "fb"], outputs: ["y"], attributes: ["transB": .int(1)]),
      ],
      outputs: [("y", .float32)])
    let types = try g.inferringTypes().valueTypes
    #expect(types["c1"] == TensorType(.float32, ["batch", 6, 24, 24]))
    #expect(types["p1"] == TensorType(.float32, ["batch", 6, 12, 12]))
    #expect(types["c2"] == TensorType(.float32, ["batch", 16, 8, 8]))
    #expect(types["v"] == TensorType(.float32, ["batch", 256]))
    #expect(types["y"] == TensorType(.float32, ["batch", 10]))
  }

  @Test("broadcasting: symbol vs 1, symbol vs k, two symbols give a fresh one, 3 vs 4 is an error")
  func broadcasting() throws {
    func add(_ a: [Dimension], _ b: [Dimension]) throws -> [Dimension]? {
      let g = F.graph(
        inputs: [("a", TensorType(.float32, a)), ("b", TensorType(.float32, b))],
        nodes: [Node(name: "add", op: "Add", inputs: ["a", "b"], outputs: ["y"])], outputs: [("y", .float32)])
      return try g.inferringTypes().valueTypes["y"]?.shape
    }
    #expect(try add(["batch", 3], [3]) == ["batch", 3])
    #expect(try add(["batch", 1], [1, 4]) == ["batch", 4])
    #expect(try add(["s"], [5]) == [5])
    #expect(try add(["s", 2], ["s", 1]) == ["s", 2])
    #expect(try add(["s"], ["t"]) == ["add_d0"])
    let message = F.message { _ = try add(["batch", 3], [4]) }
    #expect(message.contains("'add' (Add)") && message.contains("[batch, 3]") && message.contains("[4]"))
  }

  @Test("a user symbol named like a fresh one is not reused")
  func freshNamesAvoidUserSymbols() throws {
    let g = F.graph(
      inputs: [("a", TensorType(.float32, ["s", "add_d0"])), ("b", TensorType(.float32, ["t", "add_d0"]))],
      nodes: [Node(name: "add", op: "Add", inputs: ["a", "b"], outputs: ["y"])], outputs: [("y", .float32)])
    #expect(try g.inferringTypes().valueTypes["y"]?.shape == ["add_d1", "add_d0"])
  }

  @Test("Conv: auto_pad, strides, dilations, groups and symbolic spatial sizes")
  func convWindows() throws {
    let w = ["w": try F.zeros([8, 1, 3, 3])]
    func conv(_ input: [Dimension], _ attributes: [String: Attribute]) throws -> [Dimension]? {
      try F.infer(Node(name: "c", op: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: attributes),
        input: TensorType(.float32, input), initializers: w)
    }
    #expect(try conv([1, 1, 28, 28], ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2])]) == [1, 8, 14, 14])
    #expect(try conv([1, 1, 28, 28], ["auto_pad": .string("VALID"), "strides": .ints([2, 2])]) == [1, 8, 13, 13])
    #expect(try conv([1, 1, 28, 28], ["dilations": .ints([2, 2]), "pads": .ints([1, 0, 1, 0])]) == [1, 8, 26, 24])
    #expect(try conv(["n", 1, "h", "w"], ["pads": .ints([1, 1, 1, 1])]) == ["n", 8, "h", "w"])
    #expect(try conv(["n", 1, "h", 9], ["strides": .ints([2, 2])]) == ["n", 8, "c_d0", 4])
    let grouped = try F.infer(
      Node(name: "c", op: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: ["group": .int(4)]),
      input: TensorType(.float32, [2, 8, 5, 5]), initializers: ["w": try F.zeros([8, 2, 3, 3])])
    #expect(grouped == [2, 8, 3, 3])
    let message = F.message { _ = try conv([1, 3, 8, 8], [:]) }
    #expect(message.contains("'c' (Conv)") && message.contains("3 channels") && message.contains("[8, 1, 3, 3]"))
  }

  @Test("pooling: ceil_mode rounds up but drops a window starting in the end padding")
  func pooling() throws {
    func pool(_ size: Int, _ attributes: [String: Attribute]) throws -> [Dimension]? {
      var a = attributes
      a["kernel_shape"] = a["kernel_shape"] ?? .ints([3])
      return try F.infer(Node(name: "p", op: "MaxPool", inputs: ["x"], outputs: ["y"], attributes: a),
        input: TensorType(.float32, [1, 1, .fixed(size)]))
    }
    #expect(try pool(6, ["strides": .ints([2])]) == [1, 1, 2])
    #expect(try pool(6, ["strides": .ints([2]), "ceil_mode": .int(1)]) == [1, 1, 3])
    #expect(try pool(5, ["kernel_shape": .ints([2]), "strides": .ints([2]), "pads": .ints([1, 1]), "ceil_mode": .int(1)]) == [1, 1, 3])
    #expect(try pool(5, ["kernel_shape": .ints([2]), "strides": .ints([2]), "pads": .ints([1, 1])]) == [1, 1, 3])
    #expect(try pool(7, ["auto_pad": .string("SAME_LOWER"), "strides": .ints([2])]) == [1, 1, 4])
    #expect(throws: GraphIRError.self) { try pool(2, [:]) }
    let global = try F.infer(Node(name: "g", op: "GlobalAveragePool", inputs: ["x"], outputs: ["y"]),
      input: TensorType(.float32, ["n", 16, 7, 7]))
    #expect(global == ["n", 16, 1, 1])
  }

  @Test("Gemm: transposes, C broadcasting, inner-size mismatch names both shapes")
  func gemm() throws {
    func gemm(_ a: [Dimension], _ b: [Int], c: [Int]? = nil, _ attributes: [String: Attribute] = [:]) throws -> [Dimension]? {
      var inits = ["b": try F.zeros(b)]
      if let c { inits["c"] = try F.zeros(c) }
      return try F.infer(Node(name: "fc", op: "Gemm", inputs: ["a", "b"] + (c == nil ? [] : ["c"]), outputs: ["y"], attributes: attributes),
        input: TensorType(.float32, a), initializers: inits)
    }
    #expect(try gemm(["batch", 784], [784, 10]) == ["batch", 10])
    #expect(try gemm([784, "batch"], [10, 784], c: [10], ["transA": .int(1), "transB": .int(1)]) == ["batch", 10])
    let message = F.message { _ = try gemm(["batch", 784], [10, 100], ["transB": .int(1)]) }
    #expect(message.contains("'fc' (Gemm)") && message.contains("784") && message.contains("100") && message.contains("[batch, 784]"))
    #expect(throws: GraphIRError.self) { try gemm(["batch", 4], [4, 10], c: [3]) }
    #expect(throws: GraphIRError.self) { try gemm(["batch", 4, 1], [4, 10]) }
  }

  @Test("MatMul: batch broadcasting, 1-D operands, inner-size mismatch")
  func matMul() throws {
    func mm(_ a: [Dimension], _ b: [Dimension]) throws -> [Dimension]? {
      let g = F.graph(
        inputs: [("a", TensorType(.float32, a)), ("b", TensorType(.float32, b))],
        nodes: [Node(name: "mm", op: "MatMul", inputs: ["a", "b"], outputs: ["y"])], outputs: [("y", .float32)])
      return try g.inferringTypes().valueTypes["y"]?.shape
    }
    #expect(try mm([2, 1, "s", 4], [3, 4, 5]) == [2, 3, "s", 5])
    #expect(try mm([4], [4, 5]) == [5])
    #expect(try mm(["batch", 3, 4], [4]) == ["batch", 3])
    #expect(try mm(["batch", 3, "k"], ["k", 7]) == ["batch", 3, 7])
    #expect(throws: GraphIRError.self) { try mm([3, 4], [5, 6]) }
    #expect(throws: GraphIRError.self) { try mm([2, 3, 4], [3, 4, 6]) }
  }

  @Test("unknown operators and unknown inputs leave outputs untyped; declared types merge or conflict")
  func unknownAndDeclared() throws {
    var g = F.graph(
      inputs: [("x", TensorType(.float32, ["batch", 3]))],
      nodes: [
        Node(name: "custom", op: "Foo", domain: "org.example", inputs: ["x"], outputs: ["h"]),
        Node(name: "relu", op: "Relu", inputs: ["h"], outputs: ["y"]),
      ], outputs: [("y", .float32)])
    var types = try g.inferringTypes().valueTypes
    #expect(types["h"] == nil)
    #expect(types["y"] == TensorType(.float32, nil))
    g.nodes[0] = Node(name: "id", op: "Identity", inputs: ["x"], outputs: ["h"])
    g.valueTypes["h"] = TensorType(.float32, ["n", 3])
    types = try g.inferringTypes().valueTypes
    #expect(types["h"] == TensorType(.float32, ["batch", 3]))
    g.valueTypes["h"] = TensorType(.float32, ["batch", 4])
    #expect(F.message { _ = try g.inferringTypes() }.contains("inferred as float32[batch, 3] but declared as float32[batch, 4]"))
  }

  @Test("bindingShapes fixes the named symbols")
  func binding() throws {
    let g = F.graph(
      inputs: [("x", TensorType(.float32, ["batch", 3]))],
      nodes: [Node(name: "relu", op: "Relu", inputs: ["x"], outputs: ["y"])], outputs: [("y", .float32)])
    let bound = try g.inferringTypes().bindingShapes(["batch": 1])
    #expect(bound.inputs[0].type == TensorType(.float32, [1, 3]))
    #expect(bound.valueTypes["y"] == TensorType(.float32, [1, 3]))
  }
}
