import Foundation
import Testing

@testable import TesseraGraph

/// A two-node graph: y = relu(x·Wᵀ + b).
func tinyGraph() throws -> Graph {
  var g = Graph(name: "tiny")
  g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 3]))]
  g.initializers["w"] = try GraphTensor(float32: [1, 2, 3, -1, -2, -3], shape: [2, 3])
  g.initializers["b"] = try GraphTensor(float32: [0.5, 0.5], shape: [2])
  g.nodes = [
    Node(name: "relu", op: "Relu", inputs: ["h"], outputs: ["y"]),
    Node(name: "fc", op: "Gemm", inputs: ["x", "w", "b"], outputs: ["h"], attributes: ["transB": .int(1)]),
  ]
  g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 2]))]
  return g
}

@Suite("Graph structure")
struct GraphStructureTests {
  @Test("validate sorts nodes topologically")
  func sorts() throws {
    let sorted = try tinyGraph().validate()
    #expect(sorted.nodes.map(\.name) == ["fc", "relu"])
  }

  @Test("a cycle is named")
  func cycle() throws {
    var g = try tinyGraph()
    g.nodes.append(Node(name: "loop", op: "Add", inputs: ["z", "y"], outputs: ["z"]))
    #expect(throws: GraphIRError.self) { try g.validate() }
    do { try g.validate() } catch { #expect("\(error)".contains("cycle") || "\(error)".contains("produced")) }
    var h = try tinyGraph()
    h.nodes = [
      Node(name: "a", op: "Relu", inputs: ["q"], outputs: ["p"]),
      Node(name: "b", op: "Relu", inputs: ["p"], outputs: ["q"]),
    ]
    h.outputs = [ValueInfo(name: "p", type: TensorType(.float32, nil))]
    #expect(throws: GraphIRError.invalidGraph("the graph has a cycle through node 'a' (Relu)")) { try h.validate() }
  }

  @Test("a missing initializer is named")
  func missingInitializer() throws {
    var g = try tinyGraph()
    g.initializers["b"] = nil
    do {
      try g.validate()
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("node 'fc' (Gemm) reads 'b', which nothing produces"))
    }
  }

  @Test("a value with two producers, duplicate node names and bad opsets are rejected")
  func duplicates() throws {
    var g = try tinyGraph()
    g.nodes.append(Node(name: "fc2", op: "Relu", inputs: ["x"], outputs: ["h"]))
    #expect(throws: GraphIRError.self) { try g.validate() }
    g = try tinyGraph()
    g.nodes.append(Node(name: "fc", op: "Relu", inputs: ["x"], outputs: ["k"]))
    #expect(throws: GraphIRError.self) { try g.validate() }
    g = try tinyGraph()
    g.opset = 9
    #expect(throws: GraphIRError.self) { try g.validate() }
  }

  @Test("a 2^40-element shape is rejected, not allocated")
  func hugeShapes() throws {
    #expect(throws: GraphIRError.self) { try GraphTensor(zeros: .float32, shape: [1 << 20, 1 << 20]) }
    #expect(throws: GraphIRError.self) { try GraphTensor(zeros: .float32, shape: [-1, 2]) }
    var g = try tinyGraph()
    g.inputs[0].type = TensorType(.float32, fixed: [1 << 20, 1 << 20])
    #expect(throws: GraphIRError.self) { try g.validate() }
  }

  @Test("graph JSON v2 round trip keeps every field")
  func jsonRoundTrip() throws {
    var g = try tinyGraph().validate()
    g.nodes[0].attributes["alpha"] = .float(0.25)
    g.nodes[0].attributes["pads"] = .ints([1, 1, 0, 0])
    g.nodes[0].attributes["mode"] = .string("constant")
    g.nodes[0].attributes["value"] = .tensor(try GraphTensor(int64: [3, -4], shape: [2]))
    g.valueTypes["h"] = TensorType(.float32, ["batch", 2])
    g.metadata["tessera.classes"] = "2"
    let json = try GraphDocument(g).json()
    let decoded = try JSONDecoder().decode(GraphDocument.self, from: json)
    let back = try decoded.graph(tensors: g.initializers)
    #expect(back == g)
  }

  @Test("raw bytes round trip for every element type")
  func bytes() throws {
    let tensors: [GraphTensor] = [
      try GraphTensor(.float32([1.5, -0.0, .infinity]), shape: [3]),
      try GraphTensor(.float64([2.25]), shape: [1]),
      try GraphTensor(.int8([-128, 127]), shape: [2]),
      try GraphTensor(.uint8([0, 255]), shape: [2, 1]),
      try GraphTensor(.int32([Int32.min, 7]), shape: [2]),
      try GraphTensor(.int64([Int64.max, -1]), shape: [2]),
      try GraphTensor(.bool([true, false, true]), shape: [3]),
    ]
    for t in tensors {
      let back = try GraphTensor(elementType: t.elementType, shape: t.shape, littleEndianBytes: t.littleEndianBytes)
      #expect(back == t)
      #expect(t.littleEndianBytes.count == t.byteCount)
    }
    #expect(throws: GraphIRError.self) { try GraphTensor(elementType: .float32, shape: [2], littleEndianBytes: [0, 0, 0]) }
  }
}
