import Foundation
import Testing

@testable import TesseraGraph

@Suite("Interpreter: reductions, LayerNormalization, LpNormalization, attention")
struct InterpreterReductionTests: InterpreterTesting {
  /// [2, 3, 2]: x[i, j, k] = 6i + 2j + k + 1.
  func cube() throws -> GraphTensor { try f32((1...12).map(Float.init), [2, 3, 2]) }

  @Test("ReduceSum/Mean/Max over attribute axes (opset 13) and input axes (opset 18), keepdims")
  func axesForms() throws {
    let x = try cube()
    let keep = try evaluate1("ReduceMean", [x], ["axes": .ints([1])], opset: 13)
    expectClose(keep, [3, 4, 9, 10], shape: [2, 1, 2])
    let dropped = try evaluate1("ReduceMean", [x, try i64([1])], ["keepdims": .int(0)], opset: 18)
    expectClose(dropped, [3, 4, 9, 10], shape: [2, 2])
    // ReduceSum takes its axes as an input from opset 13 already.
    expectClose(try evaluate1("ReduceSum", [x, try i64([0, 2])], opset: 13), [18, 26, 34], shape: [1, 3, 1])
    expectClose(try evaluate1("ReduceSum", [x], ["axes": .ints([0, 2])], opset: 11), [18, 26, 34], shape: [1, 3, 1])
    expectClose(try evaluate1("ReduceMax", [x, try i64([-1])], ["keepdims": .int(0)], opset: 18), [2, 4, 6, 8, 10, 12], shape: [2, 3])
    expectClose(try evaluate1("ReduceMin", [x, try i64([-3])], opset: 18), (1...6).map(Double.init), shape: [1, 3, 2])
  }

  @Test("no axes reduce everything; empty axes with noop_with_empty_axes leave the input")
  func emptyAxes() throws {
    let x = try cube()
    expectClose(try evaluate1("ReduceSum", [x], opset: 13), [78], shape: [1, 1, 1])
    expectClose(try evaluate1("ReduceSum", [x, try i64([], [0])], ["keepdims": .int(0)], opset: 13), [78], shape: [])
    expectClose(try evaluate1("ReduceMean", [x], ["keepdims": .int(0)], opset: 17), [6.5], shape: [])
    let noop = try evaluate1("ReduceSum", [x, try i64([], [0])], ["noop_with_empty_axes": .int(1)], opset: 13)
    #expect(noop == x)
    let squares = try evaluate1("ReduceSumSquare", [x], ["noop_with_empty_axes": .int(1)], opset: 18)
    expectClose(squares, (1...12).map { Double($0 * $0) }, shape: [2, 3, 2])
    // Before opset 18 ReduceMean has no noop_with_empty_axes: an empty list means all axes.
    expectClose(try evaluate1("ReduceMean", [x], ["axes": .ints([]), "noop_with_empty_axes": .int(1)], opset: 17), [6.5])
  }

  @Test("ReduceL2, L1, Prod, SumSquare, LogSum, LogSumExp; reductions over an empty axis")
  func others() throws {
    let x = try f32([3, -4, 0, 1], [2, 2])
    expectClose(try evaluate1("ReduceL2", [x], ["axes": .ints([1])]), [5, 1], shape: [2, 1])
    expectClose(try evaluate1("ReduceL1", [x], ["axes": .ints([1])]), [7, 1], shape: [2, 1])
    expectClose(try evaluate1("ReduceProd", [x], ["axes": .ints([0])]), [0, -4], shape: [1, 2])
    expectClose(try evaluate1("ReduceSumSquare", [x], ["axes": .ints([0])]), [9, 17], shape: [1, 2])
    expectClose(try evaluate1("ReduceLogSum", [try f32([1, 2, 3, 4], [2, 2])], ["axes": .ints([1])]), [log(3), log(7)])
    // LogSumExp of large values does not overflow.
    let big = try evaluate1("ReduceLogSumExp", [try f32([1000, 1000, 0, 0], [2, 2])], ["axes": .ints([1])])
    expectClose(big, [1000 + log(2), log(2)], shape: [2, 1])
    let empty = try f32([], [2, 0])
    expectClose(try evaluate1("ReduceSum", [empty, try i64([1])], opset: 13), [0, 0], shape: [2, 1])
    expectClose(try evaluate1("ReduceProd", [empty], ["axes": .ints([1])]), [1, 1], shape: [2, 1])
    #expect(try evaluate1("ReduceMax", [empty], ["axes": .ints([1])]).float32 == [-.infinity, -.infinity])
    #expect(try evaluate1("ReduceMin", [empty], ["axes": .ints([1])]).float32 == [.infinity, .infinity])
  }

  @Test("integer and bool reductions; bad axes are node errors")
  func integers() throws {
    let x = try i64([7, -2, 4, 5], [2, 2])
    #expect(try evaluate1("ReduceSum", [x, try i64([1])], opset: 13).storage == .int64([5, 9]))
    #expect(try evaluate1("ReduceMean", [x], ["axes": .ints([1])]).storage == .int64([2, 4]))
    #expect(try evaluate1("ReduceMax", [x], ["axes": .ints([0]), "keepdims": .int(0)]).storage == .int64([7, 5]))
    let flags = try tensor(.bool([true, false, false, false]), [2, 2])
    #expect(try evaluate1("ReduceMax", [flags, try i64([1])], opset: 20).storage == .bool([true, false]))
    expectError("only ReduceMax and ReduceMin take bool") { try evaluate1("ReduceSum", [flags], opset: 13) }
    expectError("node 'n' (ReduceMean)", "axes 2 is out of range for rank 2") {
      try evaluate1("ReduceMean", [x], ["axes": .ints([2])])
    }
    expectError("repeat axis 1") { try evaluate1("ReduceSum", [x, try i64([1, -1])], opset: 13) }
  }

  /// LayerNormalization written out: per group over `[axis, rank)`, double precision.
  func layerNorm(_ x: [Float], _ shape: [Int], axis: Int, _ scale: [Float], _ bias: [Float]?, epsilon: Double)
    -> (y: [Double], mean: [Double], inv: [Double])
  {
    let n = shape[axis...].reduce(1, *), groups = x.count / n
    var y = [Double](), mean = [Double](), inv = [Double]()
    for g in 0..<groups {
      let v = x[(g * n)..<((g + 1) * n)].map(Double.init)
      let m = v.reduce(0, +) / Double(n)
      let variance = v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n)
      let r = 1 / (variance + epsilon).squareRoot()
      y += v.indices.map { (v[$0] - m) * r * Double(scale[$0]) + Double(bias?[$0] ?? 0) }
      mean.append(m)
      inv.append(r)
    }
    return (y, mean, inv)
  }

  @Test("LayerNormalization: last axis with bias, Mean/InvStdDev outputs, axis 1 over two axes without bias")
  func layerNormalization() throws {
    let values = wave(24, seed: 0.3, scale: 2)
    let gamma = wave(4, seed: 1.1), beta = wave(4, seed: 2.2)
    let outs = try evaluate(
      "LayerNormalization", [try f32(values, [2, 3, 4]), try f32(gamma), try f32(beta)], ["epsilon": .float(1e-3)], outputs: 3)
    let want = layerNorm(values, [2, 3, 4], axis: 2, gamma, beta, epsilon: Double(Float(1e-3)))
    expectClose(outs[0], want.y, shape: [2, 3, 4])
    expectClose(outs[1], want.mean, shape: [2, 3, 1])
    expectClose(outs[2], want.inv, shape: [2, 3, 1])
    // axis 1 normalizes [3, 4]; a [4] scale broadcasts over it; no bias.
    let scale = wave(4, seed: 0.7)
    let y = try evaluate1("LayerNormalization", [try f32(values, [2, 3, 4]), try f32(scale)], ["axis": .int(-2)])
    expectClose(y, layerNorm(values, [2, 3, 4], axis: 1, scale + scale + scale, nil, epsilon: Double(Float(1e-5))).y)
    expectError("node 'n' (LayerNormalization)", "'Scale' [3] does not broadcast") {
      try evaluate1("LayerNormalization", [try f32(values, [2, 3, 4]), try f32([1, 1, 1])])
    }
    expectError("LayerNormalization", "opset 13") { try evaluate1("LayerNormalization", [try f32([1]), try f32([1])], opset: 13) }
  }

  @Test("LpNormalization: p 2 and p 1 along an axis")
  func lpNormalization() throws {
    expectClose(try evaluate1("LpNormalization", [try f32([3, 4, 0, 5], [2, 2])]), [0.6, 0.8, 0, 1], shape: [2, 2])
    expectClose(try evaluate1("LpNormalization", [try f32([1, 3, -1, 1], [2, 2])], ["axis": .int(0), "p": .int(1)]),
                [0.5, 0.75, -0.5, 0.25])
    expectError("p 3 must be 1 or 2") { try evaluate1("LpNormalization", [try f32([1])], ["p": .int(3)]) }
  }

  @Test("MatMul broadcasts batch dimensions: [2,2,3,4]·[4,5] and [2,1,3,4]·[1,2,4,3]")
  func batchedMatMul() throws {
    let a = wave(48, seed: 0.1), b = wave(20, seed: 0.2)
    let y = try evaluate1("MatMul", [try f32(a, [2, 2, 3, 4]), try f32(b, [4, 5])])
    #expect(y.shape == [2, 2, 3, 5])
    let p = wave(24, seed: 0.4, scale: 1), q = wave(24, seed: 0.9, scale: 1)
    let z = try evaluate1("MatMul", [try f32(p, [2, 1, 3, 4]), try f32(q, [1, 2, 4, 3])])
    var want = [Double]()
    for i in 0..<2 {
      for j in 0..<2 {
        for r in 0..<3 {
          for col in 0..<3 { want.append((0..<4).reduce(0.0) { $0 + Double(p[i * 12 + r * 4 + $1]) * Double(q[j * 12 + $1 * 3 + col]) }) }
        }
      }
    }
    expectClose(z, want, shape: [2, 2, 3, 3])
  }

  @Test("an attention block (Q·Kᵀ/√d + mask, Softmax, ·V) matches a hand-written loop")
  func attention() throws {
    let (b, h, s, d) = (2, 2, 3, 4)
    let q = wave(b * h * s * d, seed: 0.1, scale: 1), k = wave(b * h * s * d, seed: 1.3, scale: 1)
    let v = wave(b * h * s * d, seed: 2.9, scale: 1)
    // Additive mask [b, 1, 1, s]: the last key of batch 1 is padding.
    let mask: [Float] = [0, 0, 0, 0, 0, -10000]
    var g = Graph(name: "attention")
    for name in ["q", "k", "v"] { g.inputs.append(ValueInfo(name: name, type: TensorType(.float32, ["batch", 2, "seq", 4]))) }
    g.inputs.append(ValueInfo(name: "mask", type: TensorType(.float32, ["batch", 1, 1, "seq"])))
    g.initializers["scale"] = try f32([Float(d).squareRoot()], [])
    g.nodes = [
      Node(name: "kt", op: "Transpose", inputs: ["k"], outputs: ["kT"], attributes: ["perm": .ints([0, 1, 3, 2])]),
      Node(name: "qk", op: "MatMul", inputs: ["q", "kT"], outputs: ["scores"]),
      Node(name: "div", op: "Div", inputs: ["scores", "scale"], outputs: ["scaled"]),
      Node(name: "add", op: "Add", inputs: ["scaled", "mask"], outputs: ["masked"]),
      Node(name: "softmax", op: "Softmax", inputs: ["masked"], outputs: ["probs"], attributes: ["axis": .int(-1)]),
      Node(name: "pv", op: "MatMul", inputs: ["probs", "v"], outputs: ["context"]),
    ]
    g.outputs = [ValueInfo(name: "context", type: TensorType(.float32, ["batch", 2, "seq", 4]))]
    let shape = [b, h, s, d]
    let out = try ReferenceInterpreter(graph: g).run([
      "q": try f32(q, shape), "k": try f32(k, shape), "v": try f32(v, shape), "mask": try f32(mask, [b, 1, 1, s]),
    ])["context"]!
    var want = [Double](repeating: 0, count: b * h * s * d)
    for bi in 0..<b {
      for hi in 0..<h {
        let base = (bi * h + hi) * s * d
        for i in 0..<s {
          var logits = (0..<s).map { j in
            (0..<d).reduce(0.0) { $0 + Double(q[base + i * d + $1]) * Double(k[base + j * d + $1]) } / Double(d).squareRoot()
              + Double(mask[bi * s + j])
          }
          let top = logits.max()!
          logits = logits.map { exp($0 - top) }
          let total = logits.reduce(0, +)
          for e in 0..<d {
            want[base + i * d + e] = (0..<s).reduce(0.0) { $0 + logits[$1] / total * Double(v[base + $1 * d + e]) }
          }
        }
      }
    }
    expectClose(out, want, shape: shape)
    // Shape inference keeps the symbols through the block.
    let types = try g.inferringTypes().valueTypes
    #expect(types["scores"] == TensorType(.float32, ["batch", 2, "seq", "seq"]))
    #expect(types["probs"] == TensorType(.float32, ["batch", 2, "seq", "seq"]))
    #expect(types["context"] == TensorType(.float32, ["batch", 2, "seq", 4]))
  }
}
