import Foundation
import Testing

@testable import TesseraGraph

@Suite("Interpreter: small whole networks")
struct InterpreterNetworkTests: InterpreterTesting {
  /// A 784-256-128-10 MLP.
  func mlp() throws -> Graph {
    var g = Graph(name: "mlp")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 1, 28, 28]))]
    g.nodes = [Node(name: "flatten", op: "Flatten", inputs: ["x"], outputs: ["h0"])]
    for (i, (n, k)) in [(256, 784), (128, 256), (10, 128)].enumerated() {
      g.initializers["w\(i)"] = try f32(wave(n * k, seed: Double(i), scale: 0.05), [n, k])
      g.initializers["b\(i)"] = try f32(wave(n, seed: Double(i) + 0.5, scale: 0.1))
      g.nodes.append(Node(name: "fc\(i)", op: "Gemm", inputs: ["h\(2 * i)", "w\(i)", "b\(i)"], outputs: [i == 2 ? "logits" : "g\(i)"],
                          attributes: ["transB": .int(1)]))
      if i < 2 { g.nodes.append(Node(name: "relu\(i)", op: "Relu", inputs: ["g\(i)"], outputs: ["h\(2 * i + 2)"])) }
    }
    g.outputs = [ValueInfo(name: "logits", type: TensorType(.float32, ["batch", 10]))]
    return g
  }

  /// LeNet-5 on 28×28: conv 5×5 (6) → pool → conv 5×5 (16) → pool → 256-120-84-10.
  func lenet() throws -> Graph {
    var g = Graph(name: "lenet")
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 1, 28, 28]))]
    g.initializers = [
      "c1": try f32(wave(150, seed: 1, scale: 0.2), [6, 1, 5, 5]), "c1b": try f32(wave(6, seed: 2, scale: 0.1)),
      "c2": try f32(wave(2400, seed: 3, scale: 0.1), [16, 6, 5, 5]), "c2b": try f32(wave(16, seed: 4, scale: 0.1)),
    ]
    let pool: [String: Attribute] = ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]
    g.nodes = [
      Node(name: "conv1", op: "Conv", inputs: ["x", "c1", "c1b"], outputs: ["a1"]),
      Node(name: "relu1", op: "Relu", inputs: ["a1"], outputs: ["r1"]),
      Node(name: "pool1", op: "MaxPool", inputs: ["r1"], outputs: ["p1"], attributes: pool),
      Node(name: "conv2", op: "Conv", inputs: ["p1", "c2", "c2b"], outputs: ["a2"]),
      Node(name: "relu2", op: "Relu", inputs: ["a2"], outputs: ["r2"]),
      Node(name: "pool2", op: "MaxPool", inputs: ["r2"], outputs: ["p2"], attributes: pool),
      Node(name: "flatten", op: "Flatten", inputs: ["p2"], outputs: ["f0"]),
    ]
    for (i, (n, k)) in [(120, 256), (84, 120), (10, 84)].enumerated() {
      g.initializers["w\(i)"] = try f32(wave(n * k, seed: Double(i) + 5, scale: 0.1), [n, k])
      g.initializers["b\(i)"] = try f32(wave(n, seed: Double(i) + 6, scale: 0.1))
      g.nodes.append(Node(name: "fc\(i)", op: "Gemm", inputs: ["f\(i)", "w\(i)", "b\(i)"], outputs: [i == 2 ? "logits" : "g\(i)"],
                          attributes: ["transB": .int(1)]))
      if i < 2 { g.nodes.append(Node(name: "relu_fc\(i)", op: "Relu", inputs: ["g\(i)"], outputs: ["f\(i + 1)"])) }
    }
    g.outputs = [ValueInfo(name: "logits", type: TensorType(.float32, ["batch", 10]))]
    return g
  }

  /// The logits for one fixed sample.
  func run(_ graph: Graph) throws -> GraphTensor {
    let x = try f32(wave(784, seed: 9, scale: 1), [1, 1, 28, 28])
    return try #require(try ReferenceInterpreter(graph: graph).run(["x": x])["logits"])
  }

  // Speed is measured in benchmarks (docs/performance.md), never in tests: this only checks
  // that whole small networks run end to end.
  @Test("an MLP and LeNet at batch 1 run end to end with finite logits")
  func smallNetworks() throws {
    let logits = try run(try mlp())
    #expect(logits.shape == [1, 10] && logits.float32!.allSatisfy { $0.isFinite })
    let lenetLogits = try run(try lenet())
    #expect(lenetLogits.shape == [1, 10] && lenetLogits.float32!.allSatisfy { $0.isFinite })
  }
}
