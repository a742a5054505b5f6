import Testing

@testable import TesseraGraph

@Suite("Shape inference: quantized operators")
struct ShapeQuantizedTests {
  typealias F = ShapeFixtures

  @Test("QuantizeLinear takes the zero point's type (uint8 without one); DequantizeLinear gives float32")
  func quantizeDequantize() throws {
    let g = F.graph(
      inputs: [("x", TensorType(.float32, ["b", 4]))],
      initializers: [
        "s": try GraphTensor(float32: [0.1], shape: []), "z": try GraphTensor(.int8([0]), shape: []),
        "cs": try F.zeros([4]),
      ],
      nodes: [
        Node(name: "q", op: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["q8"]),
        Node(name: "qu", op: "QuantizeLinear", inputs: ["x", "s"], outputs: ["qu8"]),
        Node(name: "dq", op: "DequantizeLinear", inputs: ["q8", "cs"], outputs: ["y"], attributes: ["axis": .int(1)]),
      ], outputs: [("y", .float32), ("qu8", .uint8)])
    let types = try g.inferringTypes().valueTypes
    #expect(types["q8"] == TensorType(.int8, ["b", 4]))
    #expect(types["qu8"] == TensorType(.uint8, ["b", 4]))
    #expect(types["y"] == TensorType(.float32, ["b", 4]))
    var bad = g
    bad.initializers["cs"] = try F.zeros([3])
    #expect(F.message { _ = try bad.inferringTypes() }.contains("per-axis scale"))
  }

  @Test("QLinearConv, QLinearMatMul, MatMulInteger and DynamicQuantizeLinear")
  func quantizedLinear() throws {
    let scalar = try GraphTensor(float32: [0.5], shape: [])
    let g = F.graph(
      inputs: [("x", TensorType(.uint8, ["b", 2, 6, 6])), ("a", TensorType(.int8, ["b", 8])), ("f", TensorType(.float32, ["b", 8]))],
      initializers: [
        "xs": scalar, "xz": try GraphTensor(.uint8([128]), shape: []), "w": try GraphTensor(zeros: .int8, shape: [4, 2, 3, 3]),
        "ws": scalar, "wz": try GraphTensor(.int8([0]), shape: []), "ys": scalar, "yz": try GraphTensor(.int8([0]), shape: []),
        "m": try GraphTensor(zeros: .int8, shape: [8, 3]),
      ],
      nodes: [
        Node(name: "qc", op: "QLinearConv", inputs: ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], outputs: ["c"]),
        Node(name: "qm", op: "QLinearMatMul", inputs: ["a", "xs", "wz", "m", "ws", "wz", "ys", "xz"], outputs: ["mm"]),
        Node(name: "mi", op: "MatMulInteger", inputs: ["a", "m"], outputs: ["acc"]),
        Node(name: "dq", op: "DynamicQuantizeLinear", inputs: ["f"], outputs: ["fq", "fs", "fz"]),
      ], outputs: [("c", .int8), ("mm", .uint8), ("acc", .int32), ("fq", .uint8)])
    let types = try g.inferringTypes().valueTypes
    #expect(types["c"] == TensorType(.int8, ["b", 4, 4, 4]))
    #expect(types["mm"] == TensorType(.uint8, ["b", 3]))
    #expect(types["acc"] == TensorType(.int32, ["b", 3]))
    #expect(types["fq"] == TensorType(.uint8, ["b", 8]))
    #expect(types["fs"] == TensorType(.float32, []))
    #expect(types["fz"] == TensorType(.uint8, []))
  }

  @Test("Tessera operators infer as their base operators")
  func tesseraOperators() throws {
    let scalar = try GraphTensor(float32: [0.5], shape: [])
    let g = F.graph(
      inputs: [("x", TensorType(.int8, ["b", 8])), ("f", TensorType(.float32, ["b", 1, 5, 5]))],
      initializers: [
        "s": scalar, "z": try GraphTensor(.int8([0]), shape: []), "w": try GraphTensor(zeros: .int8, shape: [3, 8]),
        "cw": try F.zeros([2, 1, 3, 3]),
      ],
      nodes: [
        Node(name: "qg", op: "QGemm", domain: "com.tessera", inputs: ["x", "s", "z", "w", "s", "z", "", "s", "z"], outputs: ["y"],
          attributes: ["transB": .int(1)]),
        Node(name: "fc", op: "FusedConv", domain: "com.tessera", inputs: ["f", "cw"], outputs: ["c"], attributes: ["activation": .string("Relu")]),
      ], outputs: [("y", .int8), ("c", .float32)])
    let types = try g.inferringTypes().valueTypes
    #expect(types["y"] == TensorType(.int8, ["b", 3]))
    #expect(types["c"] == TensorType(.float32, ["b", 2, 3, 3]))
  }
}
