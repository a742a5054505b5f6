import TesseraNN
@testable import TesseraRuntime

/// QDQ graphs built in Swift (as ONNX Runtime's `quantize_static` writes them).
extension GraphBuilder {
  /// QuantizeLinear → DequantizeLinear of an activation, per tensor.
  mutating func qdq(_ x: String, scale: Float, zeroPoint: Int, signed: Bool) -> String {
    graph.initializers["\(x).s"] = try! GraphTensor(float32: [scale], shape: [])
    graph.initializers["\(x).z"] =
      try! signed ? GraphTensor(.int8([Int8(zeroPoint)]), shape: []) : GraphTensor(.uint8([UInt8(zeroPoint)]), shape: [])
    let code = node("QuantizeLinear", "\(x).q", [x, "\(x).s", "\(x).z"])
    return node("DequantizeLinear", "\(x).dq", [code, "\(x).s", "\(x).z"])
  }

  /// A dequantized constant: random int8 values (per-axis scales along axis 0, zero points 0),
  /// or int32 values with per-axis scales along axis 0 (a bias).
  mutating func dequantized(_ name: String, _ shape: [Int], scales: [Float], int32: Bool = false) -> String {
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ in Int(rng.symmetric(int32 ? 2000 : 127).rounded()) }
    graph.initializers["\(name).q"] =
      try! int32 ? GraphTensor(.int32(values.map { Int32($0) }), shape: shape) : GraphTensor(.int8(values.map { Int8($0) }), shape: shape)
    graph.initializers["\(name).s"] = try! GraphTensor(float32: scales, shape: [scales.count])
    var inputs = ["\(name).q", "\(name).s"]
    if !int32 {
      graph.initializers["\(name).z"] = try! GraphTensor(.int8([Int8](repeating: 0, count: scales.count)), shape: [scales.count])
      inputs.append("\(name).z")
    }
    return node("DequantizeLinear", "\(name).dq", inputs, ["axis": .int(0)])
  }

  /// A Conv (or Gemm, transB 1) with an int8 per-channel weight and an int32 bias whose scales
  /// are the input scale × the weight scales.
  mutating func quantizedLinear(_ op: String, _ name: String, _ x: String, _ weightShape: [Int], inputScale: Float) -> String {
    let fanIn = weightShape.dropFirst().reduce(1, *)
    let scales = (0..<weightShape[0]).map { _ in (1 + rng.uniform()) / (127 * Float(fanIn).squareRoot()) }
    let w = dequantized("\(name).weight", weightShape, scales: scales)
    let b = dequantized("\(name).bias", [weightShape[0]], scales: scales.map { $0 * inputScale }, int32: true)
    let attributes: [String: Attribute] = op == "Conv" ? ["pads": .ints([1, 1, 1, 1])] : ["transB": .int(1)]
    return node(op, name, [x, w, b], attributes)
  }
}

extension GraphFixtures {
  /// Residual QDQ CNN on `[batch, 3, 8, 8]`: Q/DQ input (uint8) → Conv → Relu → Q/DQ, a branch
  /// Conv → Relu → Q/DQ → Conv → Q/DQ (int8) added to the stem, Q/DQ → GlobalAveragePool → Q/DQ
  /// → Flatten → Gemm → Q/DQ (int8) logits; weights int8 per channel, biases int32.
  static func residualQDQ(seed: UInt64 = 31) -> Graph {
    var b = GraphBuilder("residual-qdq", input: ["batch", 3, 8, 8], seed: seed)
    let x = b.qdq("input", scale: 2 / 255, zeroPoint: 128, signed: false)
    let stemScale: Float = 0.01, branchScale: Float = 0.008, sumScale: Float = 0.015
    let stem = b.qdq(b.node("Relu", "stem.relu", [b.quantizedLinear("Conv", "stem", x, [8, 3, 3, 3], inputScale: 2 / 255)]),
      scale: stemScale, zeroPoint: 0, signed: false)
    let h = b.qdq(b.node("Relu", "conv1.relu", [b.quantizedLinear("Conv", "conv1", stem, [8, 8, 3, 3], inputScale: stemScale)]),
      scale: branchScale, zeroPoint: 0, signed: false)
    let y = b.qdq(b.quantizedLinear("Conv", "conv2", h, [8, 8, 3, 3], inputScale: branchScale), scale: 0.01, zeroPoint: 0, signed: true)
    let sum = b.qdq(b.node("Add", "add", [stem, y]), scale: sumScale, zeroPoint: -20, signed: true)
    let gap = b.qdq(b.node("GlobalAveragePool", "gap", [sum]), scale: 0.005, zeroPoint: 3, signed: true)
    let flat = b.node("Flatten", "flat", [gap], ["axis": .int(1)])
    let logits = b.qdq(b.quantizedLinear("Gemm", "fc", flat, [10, 8], inputScale: 0.005), scale: 0.004, zeroPoint: 0, signed: true)
    return b.finished([logits])
  }
}
