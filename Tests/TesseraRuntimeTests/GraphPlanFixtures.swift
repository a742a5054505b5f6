import Testing
import TesseraNN
@testable import TesseraRuntime

/// Builds graphs in Swift with seeded random weights.
struct GraphBuilder {
  var graph: Graph
  var rng: TestRNG

  init(_ name: String, input: [Dimension], seed: UInt64, opset: Int = 17) {
    graph = Graph(name: name, opset: opset)
    graph.inputs = [ValueInfo(name: "input", type: TensorType(.float32, input))]
    rng = TestRNG(seed: seed)
  }

  /// A float initializer of uniform values in `center ± bound`.
  @discardableResult
  mutating func constant(_ name: String, _ shape: [Int], bound: Float, center: Float = 0) -> String {
    let n = shape.reduce(1, *)
    graph.initializers[name] = try! GraphTensor(float32: (0..<n).map { _ in center + rng.symmetric(bound) }, shape: shape)
    return name
  }

  /// An int64 initializer.
  @discardableResult
  mutating func integers(_ name: String, _ values: [Int64]) -> String {
    graph.initializers[name] = try! GraphTensor(int64: values, shape: [values.count])
    return name
  }

  /// Adds a node whose (first) output is named after it.
  @discardableResult
  mutating func node(
    _ op: String, _ name: String, _ inputs: [String], _ attributes: [String: Attribute] = [:], outputs: [String]? = nil
  ) -> String {
    graph.nodes.append(Node(name: name, op: op, inputs: inputs, outputs: outputs ?? [name], attributes: attributes))
    return outputs?.first ?? name
  }

  /// Conv with a random weight and bias.
  mutating func conv(
    _ name: String, _ x: String, _ cin: Int, _ cout: Int, kernel: Int = 3, pad: Int = 1, stride: Int = 1, group: Int = 1
  ) -> String {
    let w = constant("\(name).weight", [cout, cin / group, kernel, kernel], bound: 1 / Float(cin * kernel).squareRoot())
    let b = constant("\(name).bias", [cout], bound: 0.1)
    return node(
      "Conv", name, [x, w, b],
      ["pads": .ints([pad, pad, pad, pad]), "strides": .ints([stride, stride]), "group": .int(group)])
  }

  /// Inference BatchNormalization with random statistics.
  mutating func batchNorm(_ name: String, _ x: String, _ channels: Int) -> String {
    let p = [
      constant("\(name).scale", [channels], bound: 0.5, center: 1), constant("\(name).bias", [channels], bound: 0.2),
      constant("\(name).mean", [channels], bound: 0.2), constant("\(name).var", [channels], bound: 0.5, center: 1),
    ]
    return node("BatchNormalization", name, [x] + p, ["epsilon": .float(1e-5)])
  }

  /// The graph with its outputs declared (shapes left to inference).
  func finished(_ outputs: [String]) -> Graph {
    var g = graph
    g.outputs = outputs.map { ValueInfo(name: $0, type: TensorType(.float32, nil)) }
    return g
  }
}

enum GraphFixtures {
  /// Conv→BN→Relu stem, then a residual block Conv→BN→Relu→Conv→BN + skip Add → Relu →
  /// MaxPool → GlobalAveragePool → Flatten → Gemm, on `[batch, 3, 12, 12]`.
  static func residualCNN(seed: UInt64 = 21) -> Graph {
    var b = GraphBuilder("residual-cnn", input: ["batch", 3, 12, 12], seed: seed)
    let stem = b.node("Relu", "stem.relu", [b.batchNorm("stem.bn", b.conv("stem.conv", "input", 3, 8), 8)])
    let y1 = b.node("Relu", "block.relu1", [b.batchNorm("block.bn1", b.conv("block.conv1", stem, 8, 8), 8)])
    let y2 = b.batchNorm("block.bn2", b.conv("block.conv2", y1, 8, 8), 8)
    let sum = b.node("Relu", "block.relu", [b.node("Add", "block.add", [stem, y2])])
    let pool = b.node("MaxPool", "pool", [sum], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
    let flat = b.node("Flatten", "flat", [b.node("GlobalAveragePool", "gap", [pool])], ["axis": .int(1)])
    b.constant("fc.weight", [10, 8], bound: 0.5)
    b.constant("fc.bias", [10], bound: 0.1)
    let outputs = [b.node("Gemm", "fc", [flat, "fc.weight", "fc.bias"], ["transB": .int(1)])]
    return b.finished(outputs)
  }

  /// Two branches (1×1 conv + Relu; 3×3 conv + Sigmoid) concatenated on channels, a padded
  /// AveragePool, per-channel scaling, Flatten → MatMul + bias → Softmax.
  static func concatBranches(seed: UInt64 = 22) -> Graph {
    var b = GraphBuilder("concat", input: ["batch", 4, 8, 8], seed: seed)
    let a = b.node("Relu", "a.relu", [b.conv("a.conv", "input", 4, 3, kernel: 1, pad: 0)])
    let c = b.node("Sigmoid", "b.sigmoid", [b.conv("b.conv", "input", 4, 5)])
    let cat = b.node("Concat", "cat", [a, c], ["axis": .int(1)])
    let pool = b.node(
      "AveragePool", "pool", [cat],
      ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(0)])
    let scaled = b.node("Mul", "scale", [pool, b.constant("scale.c", [8, 1, 1], bound: 1)])
    let shifted = b.node("Sub", "shift", [b.constant("shift.c", [1], bound: 1), scaled])
    let flat = b.node("Flatten", "flat", [shifted])
    let mm = b.node("MatMul", "fc", [flat, b.constant("fc.w", [8 * 16, 6], bound: 0.2)])
    let logits = b.node("Add", "fc.add", [mm, b.constant("fc.b", [6], bound: 0.1)])
    let outputs = [b.node("Softmax", "softmax", [logits], ["axis": .int(-1)])]
    return b.finished(outputs)
  }

  /// Gemm → Tanh, then two heads: Gemm logits and LeakyRelu(Mul by a constant) features.
  static func twoOutputs(seed: UInt64 = 23) -> Graph {
    var b = GraphBuilder("two-outputs", input: ["batch", 16], seed: seed)
    let h = b.node(
      "Tanh", "tanh", [b.node("Gemm", "fc1", ["input", b.constant("fc1.w", [16, 12], bound: 0.4), b.constant("fc1.b", [12], bound: 0.1)])])
    let logits = b.node(
      "Gemm", "fc2", [h, b.constant("fc2.w", [4, 12], bound: 0.4), b.constant("fc2.b", [1], bound: 0.1)],
      ["transB": .int(1), "alpha": .float(0.5), "beta": .float(2)])
    let features = b.node("LeakyRelu", "features", [b.node("Mul", "mul", [h, b.constant("mul.c", [12], bound: 2)])], ["alpha": .float(0.2)])
    return b.finished([logits, features])
  }

  /// Nodes only the fallback runs: Pad, a grouped conv + Relu (fused, then run as its base
  /// operator), Transpose moving the batch off axis 0 and back, Clip with constant bounds, and
  /// Reshape to a computed `Shape`-derived target.
  static func fallbackOps(seed: UInt64 = 24) -> Graph {
    var b = GraphBuilder("fallback", input: ["batch", 2, 6, 6], seed: seed)
    let padded = b.node("Pad", "pad", ["input", b.integers("pad.pads", [0, 0, 1, 1, 0, 0, 1, 1])])
    let grouped = b.node("Relu", "g.relu", [b.conv("g.conv", padded, 2, 4, pad: 0, group: 2)])
    let swapped = b.node("Transpose", "t1", [grouped], ["perm": .ints([1, 0, 2, 3])])
    let back = b.node("Transpose", "t2", [swapped], ["perm": .ints([1, 0, 2, 3])])
    let hwc = b.node("Transpose", "hwc", [back], ["perm": .ints([0, 2, 3, 1])])
    b.graph.initializers["lo"] = try! GraphTensor(float32: [0.05], shape: [])
    b.graph.initializers["hi"] = try! GraphTensor(float32: [0.6], shape: [])
    let clipped = b.node("Clip", "clip", [hwc, "lo", "hi"])
    let shape = b.node("Shape", "shape", [clipped])
    let first = b.node("Gather", "first", [shape, b.integers("zero", [0])], ["axis": .int(0)])
    let target = b.node("Concat", "target", [first, b.integers("rest", [-1])], ["axis": .int(0)])
    let flat = b.node("Reshape", "reshape", [clipped, target])
    let outputs = [b.node("Gemm", "fc", [flat, b.constant("fc.w", [144, 5], bound: 0.2)])]
    return b.finished(outputs)
  }

  /// Window corner cases on fast kernels: an asymmetric-padded strided dilated conv, a SAME_LOWER
  /// strided conv, MaxPool with ceil_mode, padding and dilation, AveragePool SAME_UPPER counting
  /// the padding, then a channel Concat of the two pooled branches.
  static func windows(seed: UInt64 = 26) -> Graph {
    var b = GraphBuilder("windows", input: ["batch", 3, 11, 9], seed: seed)
    b.constant("c1.w", [4, 3, 3, 2], bound: 0.3)
    let c1 = b.node(
      "Conv", "c1", ["input", "c1.w"],
      ["strides": .ints([2, 1]), "pads": .ints([1, 0, 2, 1]), "dilations": .ints([2, 1])])
    b.constant("c2.w", [4, 3, 3, 3], bound: 0.3)
    b.constant("c2.b", [4], bound: 0.3)
    let c2 = b.node("Conv", "c2", ["input", "c2.w", "c2.b"], ["strides": .ints([2, 2]), "auto_pad": .string("SAME_LOWER")])
    let m = b.node(
      "MaxPool", "max", [c1],
      ["kernel_shape": .ints([3, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 0, 1]), "ceil_mode": .int(1),
       "dilations": .ints([1, 2])])
    let a = b.node(
      "AveragePool", "avg", [c2],
      ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 1]), "auto_pad": .string("SAME_UPPER"), "count_include_pad": .int(1)])
    let fm = b.node("Flatten", "fm", [m])
    let fa = b.node("Flatten", "fa", [a])
    let outputs = [b.node("Concat", "cat", [fm, fa], ["axis": .int(1)])]
    return b.finished(outputs)
  }

  /// A chain of `blocks` residual blocks (Conv → Relu → Conv, + skip, Relu) on `[batch, 8, 6, 6]`.
  static func residualChain(blocks: Int, seed: UInt64 = 25) -> Graph {
    var b = GraphBuilder("chain-\(blocks)", input: ["batch", 8, 6, 6], seed: seed)
    var x = "input"
    for i in 0..<blocks {
      let h = b.node("Relu", "r\(i).relu1", [b.conv("r\(i).conv1", x, 8, 8)])
      x = b.node("Relu", "r\(i).relu", [b.node("Add", "r\(i).add", [x, b.conv("r\(i).conv2", h, 8, 8)])])
    }
    return b.finished([x])
  }

  /// `count` samples of uniform values in [-1, 1].
  static func input(_ graph: Graph, count: Int, seed: UInt64) -> [Float] {
    var rng = TestRNG(seed: seed)
    let n = graph.inputs[0].type.shape!.dropFirst().reduce(1) { $0 * $1.value! }
    return (0..<(count * n)).map { _ in rng.symmetric(1) }
  }

  /// The interpreter's outputs for the same batch.
  static func reference(_ graph: Graph, _ x: [Float], count: Int) throws -> [GraphTensor] {
    let sample = graph.inputs[0].type.shape!.dropFirst().map { $0.value! }
    let result = try ReferenceInterpreter(graph: graph).run(["input": try GraphTensor(float32: x, shape: [count] + sample)])
    return graph.outputs.map { result[$0.name]! }
  }

  /// Requires `max |a − b| ≤ 1e-4 · max(1, |b|)` and equal shapes.
  static func expectClose(_ got: GraphTensor, _ expected: GraphTensor, _ label: String) {
    #expect(got.shape == expected.shape, "\(label): shape \(got.shape) vs \(expected.shape)")
    var worst = 0.0
    for (a, b) in zip(got.doubles, expected.doubles) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
    #expect(worst <= 1e-4, "\(label): max error \(worst)")
  }
}
