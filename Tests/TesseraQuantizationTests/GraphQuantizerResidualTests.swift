import Foundation
import Testing
import TesseraNN
@testable import TesseraQuantization

/// The graph quantizer on a residual CNN the chain quantizer refuses: Conv → Relu → Conv, a skip
/// Add from the input, Relu, GlobalAveragePool, Flatten, Gemm.
@Suite("Graph quantizer on a residual graph")
struct GraphQuantizerResidualTests {
  /// Deterministic values in [−1, 1) (64-bit LCG).
  struct Values {
    var state: UInt64
    mutating func next(_ count: Int, scale: Float = 1) -> [Float] {
      (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
      }
    }
  }

  /// input [batch, 4, 8, 8] → conv1 (4→8, 3×3, pad 1) → Relu → conv2 (8→4) → Add(input) → Relu
  /// → GlobalAveragePool → Flatten → Gemm (10 classes).
  static func residualGraph(seed: UInt64 = 7) throws -> Graph {
    var r = Values(state: seed)
    var g = Graph(name: "residual")
    g.inputs = [ValueInfo(name: "input", type: TensorType(.float32, ["batch", 4, 8, 8]))]
    g.initializers["conv1.weight"] = try GraphTensor(float32: r.next(8 * 4 * 9, scale: 0.4), shape: [8, 4, 3, 3])
    g.initializers["conv1.bias"] = try GraphTensor(float32: r.next(8, scale: 0.1), shape: [8])
    g.initializers["conv2.weight"] = try GraphTensor(float32: r.next(4 * 8 * 9, scale: 0.3), shape: [4, 8, 3, 3])
    g.initializers["conv2.bias"] = try GraphTensor(float32: r.next(4, scale: 0.1), shape: [4])
    g.initializers["fc.weight"] = try GraphTensor(float32: r.next(10 * 4), shape: [10, 4])
    g.initializers["fc.bias"] = try GraphTensor(float32: r.next(10, scale: 0.1), shape: [10])
    let conv: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]
    g.nodes = [
      Node(name: "conv1", op: "Conv", inputs: ["input", "conv1.weight", "conv1.bias"], outputs: ["conv1"], attributes: conv),
      Node(name: "relu1", op: "Relu", inputs: ["conv1"], outputs: ["relu1"]),
      Node(name: "conv2", op: "Conv", inputs: ["relu1", "conv2.weight", "conv2.bias"], outputs: ["conv2"], attributes: conv),
      Node(name: "add", op: "Add", inputs: ["conv2", "input"], outputs: ["add"]),
      Node(name: "relu2", op: "Relu", inputs: ["add"], outputs: ["relu2"]),
      Node(name: "pool", op: "GlobalAveragePool", inputs: ["relu2"], outputs: ["pool"]),
      Node(name: "flatten", op: "Flatten", inputs: ["pool"], outputs: ["flatten"], attributes: ["axis": .int(1)]),
      Node(name: "fc", op: "Gemm", inputs: ["flatten", "fc.weight", "fc.bias"], outputs: ["logits"], attributes: ["transB": .int(1)]),
    ]
    g.outputs = [ValueInfo(name: "logits", type: TensorType(.float32, ["batch", 10]))]
    return try g.validate()
  }

  static let sampleSize = 4 * 8 * 8

  @Test(arguments: CalibrationMethod.allCases)
  func closeToFloatWithAddAsFallback(method: CalibrationMethod) throws {
    let graph = try Self.residualGraph()
    var r = Values(state: 11)
    let calibration = r.next(256 * Self.sampleSize)
    let (qdq, report) = try GraphQuantizer(recipe: QuantizationRecipe(method: method))
      .quantize(graph, samples: calibration, count: 256)
    #expect(report.quantizedNodes == ["conv1", "conv2", "fc"])
    #expect(report.floatNodes.map(\.name) == ["add", "relu2", "pool"])
    #expect(report.floatNodes.first?.op == "Add")
    #expect(report.layers.map(\.output) == ["relu1", "conv2", "logits"])
    #expect(throws: (any Error).self) { try GraphLowering.quantizedNetwork(qdq) }

    // Random inputs the calibration never saw: logits close to the float graph's.
    let n = 64
    var fresh = Values(state: 99)
    let x = try GraphTensor(float32: fresh.next(n * Self.sampleSize), shape: [n, 4, 8, 8])
    let reference = try #require(try ReferenceInterpreter(graph: graph).run(["input": x])["logits"]?.float32)
    let quantized = try #require(try ReferenceInterpreter(graph: qdq).run(["input": x])["logits"]?.float32)
    let cosine = QuantizationMetrics.cosine(reference, quantized)
    print("graph quantizer residual \(method.rawValue): cosine \(cosine)")
    #expect(cosine >= 0.99, "\(method): cosine \(cosine)")
  }

  @Test func followsTheQDQConventions() throws {
    var r = Values(state: 3)
    let (qdq, _) = try GraphQuantizer(recipe: QuantizationRecipe(method: .entropy))
      .quantize(try Self.residualGraph(), samples: r.next(64 * Self.sampleSize), count: 64)
    func producer(_ v: String) -> Node? { qdq.producer(of: v) }
    for name in ["conv1", "conv2", "fc"] {
      let node = try #require(qdq.nodes.first { $0.name == name })
      // Activation: DequantizeLinear of an int8 QuantizeLinear output, per tensor.
      let x = try #require(producer(node.inputs[0]))
      #expect(x.op == "DequantizeLinear")
      #expect(qdq.initializers[x.inputs[2]]?.elementType == .int8)
      #expect(qdq.initializers[x.inputs[1]]?.count == 1)
      // Weights: int8 codes, per-channel scales on axis 0, zero points 0.
      let w = try #require(producer(node.inputs[1]))
      #expect(w.op == "DequantizeLinear")
      #expect(w.attributes["axis"] == .int(0))
      let codes = try #require(qdq.initializers[w.inputs[0]])
      #expect(codes.elementType == .int8)
      let scales = try #require(qdq.initializers[w.inputs[1]]?.float32)
      #expect(scales.count == codes.shape[0])
      #expect(qdq.initializers[w.inputs[2]]?.integers?.allSatisfy { $0 == 0 } == true)
      // Bias: int32 at scale s_in · s_w[n].
      let b = try #require(producer(node.inputs[2]))
      #expect(qdq.initializers[b.inputs[0]]?.elementType == .int32)
      let sIn = try #require(qdq.initializers[x.inputs[1]]?.float32?.first)
      #expect(qdq.initializers[b.inputs[1]]?.float32 == scales.map { sIn * $0 })
    }
    #expect(qdq.nodes.first { $0.name == "fc" }?.attributes["transB"] == .int(1))
    // relu1 folds into conv1's requantization: its output is quantized, conv1's raw output is not.
    let relu1 = try #require(qdq.nodes.first { $0.name == "relu1" })
    #expect(qdq.nodes.contains { $0.op == "QuantizeLinear" && $0.inputs[0] == relu1.outputs[0] })
    #expect(!qdq.nodes.contains { $0.op == "QuantizeLinear" && $0.inputs[0] == "conv1" })
    // Flatten runs on the int8 codes: QuantizeLinear → Flatten → DequantizeLinear.
    let flatten = try #require(qdq.nodes.first { $0.op == "Flatten" })
    #expect(producer(flatten.inputs[0])?.op == "QuantizeLinear")
    #expect(qdq.nodes.contains { $0.op == "DequantizeLinear" && $0.inputs[0] == flatten.outputs[0] })
  }

  @Test func gptqLowersTheLayerOutputError() throws {
    var r = Values(state: 5)
    let recipe = QuantizationRecipe(method: .minmax, weightBits: 4, gptq: true)
    let (_, report) = try GraphQuantizer(recipe: recipe).quantize(try Self.residualGraph(), samples: r.next(256 * Self.sampleSize), count: 256)
    let rtn = report.layers.compactMap(\.rtnOutputMSE).reduce(0, +), gptq = report.layers.compactMap(\.gptqOutputMSE).reduce(0, +)
    #expect(report.layers.allSatisfy { $0.rtnOutputMSE != nil && $0.gptqOutputMSE != nil })
    #expect(gptq < rtn, "GPTQ \(gptq) vs RTN \(rtn)")
  }

  @Test func badDataAndNothingToQuantizeAreReported() throws {
    let graph = try Self.residualGraph()
    #expect(throws: QuantizationError.self) { try GraphQuantizer(recipe: QuantizationRecipe()).quantize(graph, samples: [1, 2, 3], count: 1) }
    var noLayers = Graph(name: "none")
    noLayers.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 3]))]
    noLayers.nodes = [Node(name: "relu", op: "Relu", inputs: ["x"], outputs: ["y"])]
    noLayers.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3]))]
    #expect(throws: QuantizationError.self) { try GraphQuantizer(recipe: QuantizationRecipe()).quantize(noLayers, samples: [1, 2, 3], count: 1) }
    var r = Values(state: 1)
    let samples = r.next(8 * Self.sampleSize)
    let (qdq, _) = try GraphQuantizer(recipe: QuantizationRecipe()).quantize(graph, samples: samples, count: 8)
    #expect(throws: QuantizationError.self) { try GraphQuantizer(recipe: QuantizationRecipe()).quantize(qdq, samples: samples, count: 8) }
  }

  @Test func matMulOnThreeDimensionsAndGemmWithoutTransB() throws {
    var r = Values(state: 21)
    var g = Graph(name: "mixed")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 3, 6]))]
    g.initializers["w1"] = try GraphTensor(float32: r.next(6 * 5), shape: [6, 5])
    g.initializers["shape"] = try GraphTensor(int64: [-1, 15], shape: [2])
    g.initializers["w2"] = try GraphTensor(float32: r.next(15 * 4), shape: [15, 4])
    g.initializers["c2"] = try GraphTensor(float32: r.next(4), shape: [4])
    g.nodes = [
      Node(name: "mm", op: "MatMul", inputs: ["x", "w1"], outputs: ["h"]),
      Node(name: "relu", op: "Relu", inputs: ["h"], outputs: ["hr"]),
      Node(name: "reshape", op: "Reshape", inputs: ["hr", "shape"], outputs: ["flat"]),
      Node(name: "fc", op: "Gemm", inputs: ["flat", "w2", "c2"], outputs: ["y"], attributes: ["alpha": .float(0.5), "beta": .float(2)]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 4]))]
    let (qdq, report) = try GraphQuantizer(recipe: QuantizationRecipe(method: .mse))
      .quantize(try g.validate(), samples: r.next(128 * 18), count: 128)
    #expect(report.quantizedNodes == ["mm", "fc"])
    #expect(report.floatNodes.isEmpty)
    let mm = try #require(qdq.nodes.first { $0.name == "mm" })
    let w1 = try #require(qdq.producer(of: mm.inputs[1]))
    #expect(w1.attributes["axis"] == .int(1))
    #expect(qdq.initializers[w1.inputs[0]]?.shape == [6, 5])
    let fc = try #require(qdq.nodes.first { $0.name == "fc" })
    #expect(fc.attributes["transB"] == .int(1) && fc.attributes["alpha"] == nil && fc.attributes["beta"] == nil)
    #expect(qdq.initializers[try #require(qdq.producer(of: fc.inputs[1])).inputs[0]]?.shape == [4, 15])
    #expect(qdq.producer(of: try #require(qdq.nodes.first { $0.op == "Reshape" }).inputs[0])?.op == "QuantizeLinear")
    let x = try GraphTensor(float32: r.next(32 * 18), shape: [32, 3, 6])
    let reference = try #require(try ReferenceInterpreter(graph: g).run(["x": x])["y"]?.float32)
    let quantized = try #require(try ReferenceInterpreter(graph: qdq).run(["x": x])["y"]?.float32)
    #expect(QuantizationMetrics.cosine(reference, quantized) >= 0.99)
  }
}
