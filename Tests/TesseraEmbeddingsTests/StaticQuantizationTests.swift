import Foundation
import Testing
import TesseraGraph
import TesseraQuantization
import TesseraRuntime

@testable import TesseraEmbeddings

/// Static (calibrated) activation quantization with SmoothQuant, from the graph rewrite to a
/// text embedder (docs/quantization.md §14).
@Suite("Static activation quantization")
struct StaticQuantizationTests {
  /// `y = x · W + b` with x `[rows, K]`.
  static func linearGraph(weights: [Float], k: Int, n: Int, bias: [Float]) throws -> Graph {
    var g = Graph(name: "linear", opset: 17)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["rows", .fixed(k)]))]
    g.initializers["W"] = try GraphTensor(float32: weights, shape: [k, n])
    g.initializers["b"] = try GraphTensor(float32: bias, shape: [n])
    g.nodes = [
      Node(name: "fc", op: "MatMul", inputs: ["x", "W"], outputs: ["xw"]),
      Node(name: "fc.bias", op: "Add", inputs: ["xw", "b"], outputs: ["y"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["rows", .fixed(n)]))]
    return try g.inferringTypes()
  }

  /// Activations with one outlier channel 60× larger than the others, as transformer
  /// LayerNorm outputs have.
  static func outlierActivations(rows: Int, k: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<(rows * k)).map { i in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      let u = Float(state >> 40) / Float(1 << 24) * 2 - 1
      return i % k == 3 ? u * 60 : u
    }
  }

  static func run(_ graph: Graph, _ x: [Float], rows: Int, k: Int) throws -> [Float] {
    try #require(try DynamicGraphPlan(graph: graph).run(["x": GraphTensor(float32: x, shape: [rows, k])])[0].float32)
  }

  static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    let num = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    let den = b.reduce(0.0) { $0 + Double($1) * Double($1) }
    return (num / den).squareRoot()
  }

  @Test("the rewrite: one StaticQuantizedLinear with the bias folded; SmoothQuant beats plain static on an outlier channel; both close to float")
  func outlierChannel() throws {
    let (k, n, rows) = (16, 12, 64)
    var state: UInt64 = 9
    let w = (0..<(k * n)).map { _ -> Float in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(state >> 40) / Float(1 << 24) - 0.5
    }
    let graph = try Self.linearGraph(weights: w, k: k, n: n, bias: (0..<n).map { Float($0) / 10 })
    let inputs = try graph.linearLayerInputs()
    #expect(inputs == [LinearLayerInput(layer: "fc", value: "x", channels: k)])
    let calibration = Self.outlierActivations(rows: 256, k: k, seed: 1)
    var stats = LinearInputStatistics(channels: k)
    try calibration.withUnsafeBufferPointer { try stats.observe($0, what: "x") }
    #expect(stats.rows == 256)
    let plain = try graph.quantizingLinearStatically(statistics: ["fc": stats], smoothQuant: .off)
    let smooth = try graph.quantizingLinearStatically(statistics: ["fc": stats], smoothQuant: .alpha(0.5))
    #expect(plain.metadata["tessera.precision"] == "static-int8")
    #expect(smooth.metadata["tessera.precision"] == "static-int8-smoothquant")
    for g in [plain, smooth] {
      #expect(g.nodes.count == 1)
      #expect(g.nodes[0].op == TesseraOperators.staticQuantizedLinear && g.nodes[0].input(3) == "b")
    }
    #expect(smooth.nodes[0].input(4) != nil && plain.nodes[0].input(4) == nil)
    let x = Self.outlierActivations(rows: rows, k: k, seed: 2)
    let float = try Self.run(graph, x, rows: rows, k: k)
    let plainError = Self.relativeError(try Self.run(plain, x, rows: rows, k: k), float)
    let smoothError = Self.relativeError(try Self.run(smooth, x, rows: rows, k: k), float)
    #expect(smoothError < 0.02, "SmoothQuant relative error \(smoothError)")
    #expect(plainError < 0.1, "plain static relative error \(plainError)")
    #expect(smoothError < plainError * 0.7, "SmoothQuant \(smoothError) vs plain \(plainError)")
    // auto picks a strength per layer by the sampled rows' output error: here some migration.
    let auto = try graph.quantizingLinearStatically(statistics: ["fc": stats])
    let chosen = try #require(auto.nodes.first?.attributes["smoothquant_alpha"])
    #expect(auto.metadata["tessera.precision"] == "static-int8-smoothquant", "chose \(chosen)")
    let autoError = Self.relativeError(try Self.run(auto, x, rows: rows, k: k), float)
    #expect(autoError < plainError, "auto \(autoError) vs plain \(plainError)")
  }

  @Test("statistics keep a uniform sample of at most their capacity, the exact per-channel range and row count")
  func reservoir() throws {
    var stats = LinearInputStatistics(channels: 2, sampleCapacity: 10)
    for r in 0..<100 {
      try [Float(r), Float(-r)].withUnsafeBufferPointer { try stats.observe($0, what: "x") }
    }
    #expect(stats.rows == 100 && stats.sampledRows == 10)
    #expect(stats.minimum == [0, -99] && stats.maximum == [99, 0])
    let kept = stride(from: 0, to: 20, by: 2).map { Int(stats.sample[$0]) }
    #expect(Set(kept).count == 10, "distinct rows \(kept)")
    #expect(kept.contains { $0 >= 10 }, "rows after the first 10 replace some: \(kept)")
    #expect(stride(from: 0, to: 20, by: 2).allSatisfy { stats.sample[$0] == -stats.sample[$0 + 1] }, "rows kept whole")
  }

  @Test("SmoothQuant factors: s_k = max|X_k|^α / max|W_k|^(1−α), 1 for an all-zero channel")
  func smoothingFactors() {
    // W [N=2, K=3] row-major; max|W_k| = 0.5, 2, 0.
    let w: [Float] = [0.5, -2, 0, 0.25, 1, 0]
    let s = Graph.smoothingFactors(activationMagnitude: [8, 2, 5], weightsNK: w, n: 2, alpha: 0.5)
    #expect(abs(s[0] - 4) < 1e-6)  // √8 / √0.5 = 4
    #expect(abs(s[1] - 1) < 1e-6)  // √2 / √2
    #expect(s[2] == 1)  // no weight on channel 2
  }

  @Test("missing or mismatched statistics and α outside 0…1 are clear errors")
  func errors() throws {
    let graph = try Self.linearGraph(weights: [Float](repeating: 0.1, count: 6), k: 3, n: 2, bias: [0, 0])
    #expect(throws: QuantizationError.self) { try graph.quantizingLinearStatically(statistics: [:], smoothQuant: .off) }
    var wrong = LinearInputStatistics(channels: 4)
    try [Float](repeating: 1, count: 4).withUnsafeBufferPointer { try wrong.observe($0, what: "x") }
    #expect(throws: QuantizationError.self) { try graph.quantizingLinearStatically(statistics: ["fc": wrong], smoothQuant: .off) }
    var stats = LinearInputStatistics(channels: 3)
    try [Float](repeating: 1, count: 3).withUnsafeBufferPointer { try stats.observe($0, what: "x") }
    #expect(throws: QuantizationError.self) { try graph.quantizingLinearStatically(statistics: ["fc": stats], smoothQuant: .alpha(1.5)) }
    #expect(throws: QuantizationError.self) {
      try [Float.nan, 1, 1].withUnsafeBufferPointer { try stats.observe($0, what: "x") }
    }
  }

  @Test("exported as standard ONNX operators (Mul, QuantizeLinear, DequantizeLinear, MatMul), the reference interpreter agrees with the engine")
  func export() throws {
    let (k, n, rows) = (16, 12, 8)
    let w = (0..<(k * n)).map { Float(($0 * 37) % 23) / 23 - 0.5 }
    let graph = try Self.linearGraph(weights: w, k: k, n: n, bias: [Float](repeating: 0.25, count: n))
    var stats = LinearInputStatistics(channels: k)
    let calibration = Self.outlierActivations(rows: 128, k: k, seed: 5)
    try calibration.withUnsafeBufferPointer { try stats.observe($0, what: "x") }
    let smooth = try graph.quantizingLinearStatically(statistics: ["fc": stats], smoothQuant: .alpha(0.5))
    let exported = try smooth.expandingDynamicQuantization()
    #expect(exported.nodes.allSatisfy { $0.domain.isEmpty })
    #expect(Set(exported.nodes.map(\.op)).isSuperset(of: ["Mul", "QuantizeLinear", "DequantizeLinear", "MatMul", "Add"]))
    let x = Self.outlierActivations(rows: rows, k: k, seed: 6)
    let engine = try Self.run(smooth, x, rows: rows, k: k)
    let reference = try #require(
      try ReferenceInterpreter(graph: exported).run(["x": GraphTensor(float32: x, shape: [rows, k])])["y"]?.float32)
    // Identical activation codes except where x·m/scale lands within float rounding of a .5 tie.
    #expect(Self.relativeError(reference, engine) < 1e-3, "\(Self.relativeError(reference, engine))")
  }

  @Test("a text encoder calibrated on texts runs every Linear on the qd8 kernels, cosine to float ≥ 0.98")
  func textEncoder() throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let folder = try SentenceTransformerFolder(contentsOf: dir)
    let float = try TextEmbedder(folder: dir)
    let graph = try folder.graph()
    let calibration = (0..<40).map { i in (0..<(3 + i % 11)).map { "w\(($0 * 7 + i) % 35)" }.joined(separator: " ") }
    let stats = try TextCalibration.statistics(
      graph: graph, tokenizer: try folder.tokenizer(), texts: calibration, maxSequenceLength: folder.maxSequenceLength)
    #expect(stats.count == 6 * TinyBERT.configuration.layers)
    #expect(stats.values.allSatisfy { $0.rows == stats.values.first!.rows || $0.rows > 0 })
    for mode in [SmoothQuant.off, .alpha(0.5), .auto] {
      let int8 = try graph.quantizingLinearStatically(statistics: stats, smoothQuant: mode)
      let embedder = try TextEmbedder(
        graph: int8, tokenizer: try folder.tokenizer(), maxSequenceLength: folder.maxSequenceLength, name: "tiny")
      #expect(embedder.plan.stepKinds.filter { $0.kind.hasPrefix("qd8-linear") }.count == 6 * TinyBERT.configuration.layers)
      for (a, b) in zip(try float.embed(TextEmbedderTests.texts), try embedder.embed(TextEmbedderTests.texts)) {
        let cosine = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(cosine >= 0.98, "SmoothQuant \(mode): cosine \(cosine)")
      }
    }
    #expect(throws: EmbeddingModelError.self) {
      try TextCalibration.statistics(graph: graph, tokenizer: try folder.tokenizer(), texts: ["", "  "], maxSequenceLength: 24)
    }
  }
}
