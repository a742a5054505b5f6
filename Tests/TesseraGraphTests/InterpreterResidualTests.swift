import Foundation
import Testing

@testable import TesseraGraph

/// A direct 3×3 convolution with padding 1 on one image [C, H, W] (plain nested loops, written
/// independently of the interpreter's kernels).
private func convolve3x3(_ x: [Double], channels: Int, size: Int, weight: [Float], bias: [Float]?, outputs: Int) -> [Double] {
  var y = [Double](repeating: 0, count: outputs * size * size)
  for o in 0..<outputs {
    for r in 0..<size {
      for col in 0..<size {
        var sum = Double(bias?[o] ?? 0)
        for ch in 0..<channels {
          for dr in -1...1 {
            for dc in -1...1 {
              let rr = r + dr, cc = col + dc
              guard rr >= 0, rr < size, cc >= 0, cc < size else { continue }
              sum += x[(ch * size + rr) * size + cc] * Double(weight[((o * channels + ch) * 3 + dr + 1) * 3 + dc + 1])
            }
          }
        }
        y[(o * size + r) * size + col] = sum
      }
    }
  }
  return y
}

@Suite("Interpreter: a residual block end to end")
struct InterpreterResidualTests: InterpreterTesting {
  var w1: [Float] { wave(36, seed: 0.1) }
  var b1: [Float] { wave(2, seed: 1.3) }
  var w2: [Float] { wave(36, seed: 2.2) }
  var scale: [Float] { wave(2, seed: 0.4, scale: 1) }
  var shift: [Float] { wave(2, seed: 0.9) }
  var mean: [Float] { wave(2, seed: 1.7) }
  let variance: [Float] = [0.5, 2]
  var fc: [Float] { wave(6, seed: 3.1) }
  var fcBias: [Float] { wave(3, seed: 0.2) }

  /// x → Conv → BN → Relu → Conv → (+ x) → Relu → GlobalAveragePool → Flatten → Gemm.
  func graph() throws -> Graph {
    var g = Graph(name: "residual", opset: 17)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 2, 4, 4]))]
    g.initializers = [
      "w1": try f32(w1, [2, 2, 3, 3]), "b1": try f32(b1), "w2": try f32(w2, [2, 2, 3, 3]),
      "scale": try f32(scale), "shift": try f32(shift), "mean": try f32(mean), "var": try f32(variance),
      "fc": try f32(fc, [3, 2]), "fcBias": try f32(fcBias),
    ]
    let pads: [String: Attribute] = ["pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])]
    g.nodes = [
      Node(name: "gemm", op: "Gemm", inputs: ["flat", "fc", "fcBias"], outputs: ["y"], attributes: ["transB": .int(1)]),
      Node(name: "conv1", op: "Conv", inputs: ["x", "w1", "b1"], outputs: ["c1"], attributes: pads),
      Node(name: "bn", op: "BatchNormalization", inputs: ["c1", "scale", "shift", "mean", "var"], outputs: ["n1"]),
      Node(name: "relu1", op: "Relu", inputs: ["n1"], outputs: ["r1"]),
      Node(name: "conv2", op: "Conv", inputs: ["r1", "w2"], outputs: ["c2"], attributes: pads),
      Node(name: "add", op: "Add", inputs: ["c2", "x"], outputs: ["sum"]),
      Node(name: "relu2", op: "Relu", inputs: ["sum"], outputs: ["r2"]),
      Node(name: "gap", op: "GlobalAveragePool", inputs: ["r2"], outputs: ["pooled"]),
      Node(name: "flatten", op: "Flatten", inputs: ["pooled"], outputs: ["flat"]),
    ]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3]))]
    return g
  }

  /// The block computed with plain loops for one image.
  func expected(_ image: [Float]) -> [Double] {
    let x = image.map(Double.init)
    var h = convolve3x3(x, channels: 2, size: 4, weight: w1, bias: b1, outputs: 2)
    for ch in 0..<2 {
      for i in 0..<16 {
        let v = h[ch * 16 + i]
        let normalized = (v - Double(mean[ch])) / (Double(variance[ch]) + 1e-5).squareRoot() * Double(scale[ch]) + Double(shift[ch])
        h[ch * 16 + i] = max(0, normalized)
      }
    }
    let c2 = convolve3x3(h, channels: 2, size: 4, weight: w2, bias: nil, outputs: 2)
    var pooled = [0.0, 0.0]
    for ch in 0..<2 {
      for i in 0..<16 { pooled[ch] += max(0, c2[ch * 16 + i] + x[ch * 16 + i]) / 16 }
    }
    var y = [Double](repeating: 0, count: 3)
    for o in 0..<3 {
      y[o] = Double(fcBias[o])
      for k in 0..<2 { y[o] += pooled[k] * Double(fc[o * 2 + k]) }
    }
    return y
  }

  @Test("the interpreter matches a hand-written forward pass, for a batch of two")
  func matches() throws {
    let a = wave(32, seed: 5, scale: 1), b = wave(32, seed: 7, scale: 2)
    let interpreter = try ReferenceInterpreter(graph: try graph())
    var layers = [String]()
    let out = try interpreter.run(["x": try f32(a + b, [2, 2, 4, 4])]) { node, _ in layers.append(node.name) }
    expectClose(out["y"]!, expected(a) + expected(b), shape: [2, 3], tolerance: 1e-5)
    #expect(layers == ["conv1", "bn", "relu1", "conv2", "add", "relu2", "gap", "flatten", "gemm"])
    let single = try interpreter.run(["x": try f32(a, [1, 2, 4, 4])])
    expectClose(single["y"]!, expected(a), shape: [1, 3])
  }
}
