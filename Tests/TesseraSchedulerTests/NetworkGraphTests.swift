import Testing
import TesseraGraph
@testable import TesseraScheduler

/// The network builder maps a graph with a residual connection to a DAG of layers.
@Suite struct NetworkGraphTests {
  /// x[batch,1,8,8] → conv a (2 filters 3×3, pad 1) → Relu → conv b (2 filters 3×3, pad 1)
  /// → Add(relu(a), b) → MaxPool 2×2 → Flatten → Gemm fc (32 → 3).
  static func residual() throws -> Graph {
    var g = Graph(name: "residual")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 1, 8, 8]))]
    g.initializers["wa"] = try GraphTensor(float32: (0..<18).map { Float($0 % 5) - 2 }, shape: [2, 1, 3, 3])
    g.initializers["wb"] = try GraphTensor(float32: (0..<36).map { Float($0 % 7) - 3 }, shape: [2, 2, 3, 3])
    g.initializers["wf"] = try GraphTensor(float32: (0..<96).map { Float($0 % 3) - 1 }, shape: [3, 32])
    let conv: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]
    g.nodes = [
      Node(name: "a", op: "Conv", inputs: ["x", "wa"], outputs: ["a"], attributes: conv),
      Node(name: "a.relu", op: "Relu", inputs: ["a"], outputs: ["ar"]),
      Node(name: "b", op: "Conv", inputs: ["ar", "wb"], outputs: ["b"], attributes: conv),
      Node(name: "add", op: "Add", inputs: ["ar", "b"], outputs: ["s"]),
      Node(name: "pool", op: "MaxPool", inputs: ["s"], outputs: ["p"], attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
      Node(name: "flat", op: "Flatten", inputs: ["p"], outputs: ["f"], attributes: ["axis": .int(1)]),
      Node(name: "fc", op: "Gemm", inputs: ["f", "wf"], outputs: ["y"], attributes: ["transB": .int(1)]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3]))]
    return g
  }

  @Test func residualGraphBecomesADAG() throws {
    let network = try NetworkGraph.from(graph: Self.residual(), name: "residual")
    #expect(network.layers.map(\.name) == ["a", "b", "fc"])
    let edges = Set(network.edges.map { "\($0.producer)→\($0.consumer)" })
    #expect(edges == ["0→1", "0→2", "1→2"])
    // a's output is 2 channels × 8 × 8 int8 = 128 B; b needs 3 rows of it at a time:
    // 3 × (2 channels × 8 columns) = 48 B of line buffer.
    let ab = try #require(network.edges.first { $0.producer == 0 && $0.consumer == 1 })
    #expect(ab.bytes == 128)
    #expect(ab.windowBytes == 48)
    // Through the Add (a join), pooling and flatten, fc needs a's and b's outputs whole.
    for edge in network.edges where edge.consumer == 2 { #expect(edge.windowBytes == nil && edge.bytes == 128) }
    #expect(network.outputs == [2])
  }

  @Test func poolingWidensTheLineBuffer() throws {
    // conv1 (6 × 28 × 28 out) → maxpool 2×2 → conv2 (5×5): one conv2 output row needs 5 pooled
    // rows = (5 − 1) × 2 + 2 = 10 rows of conv1's output, each 6 × 28 B = 168 B → 1680 B.
    let layers = [
      ModelLayer(name: "conv1", kind: "conv2d", attributes: ["in_channels": [1], "out_channels": [6], "kernel": [5, 5], "padding": [2, 2]]),
      ModelLayer(name: "pool1", kind: "maxpool2d", attributes: ["kernel": [2, 2], "stride": [2, 2]]),
      ModelLayer(name: "conv2", kind: "conv2d", attributes: ["in_channels": [6], "out_channels": [16], "kernel": [5, 5]]),
    ]
    let network = try NetworkGraph.chain(name: "lenet-head", layers: layers, inputShape: [1, 28, 28])
    let edge = try #require(network.edges.first)
    #expect(edge.bytes == 6 * 28 * 28)
    #expect(edge.windowBytes == 1680)
    // The network's input is the 1 × 28 × 28 int8 image (784 B), not conv1's padded 32 × 32.
    #expect(network.inputBytes == 784)
  }
}
