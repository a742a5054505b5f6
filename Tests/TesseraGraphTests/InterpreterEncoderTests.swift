import Foundation
import Testing

@testable import TesseraGraph

/// A one-layer BERT-style sentence encoder written the way `torch.onnx.export` (opset 17) writes
/// one: embeddings, LayerNormalization, two-head attention with an additive padding mask, an
/// Erf-GELU feed-forward block, masked mean pooling and L2 normalization.
@Suite("Interpreter: a small BERT-style sentence encoder")
struct InterpreterEncoderTests: InterpreterTesting {
  static let hidden = 8, heads = 2, ffn = 16, vocabulary = 10, positions = 16

  func encoder() throws -> Graph {
    let h = Self.hidden, d = h / Self.heads
    var g = Graph(name: "encoder", opset: 17)
    g.inputs = [
      ValueInfo(name: "input_ids", type: TensorType(.int64, ["batch", "seq"])),
      ValueInfo(name: "attention_mask", type: TensorType(.int64, ["batch", "seq"])),
    ]
    var seed = 0.0
    func weight(_ name: String, _ shape: [Int], scale: Double = 0.4) throws {
      seed += 1
      g.initializers[name] = try f32(wave(shape.reduce(1, *), seed: seed, scale: scale), shape)
    }
    try weight("word", [Self.vocabulary, h], scale: 1)
    try weight("position", [Self.positions, h], scale: 1)
    for p in ["ln0", "ln1", "ln2"] {
      g.initializers["\(p).g"] = try f32(wave(h, seed: seed + 0.5, scale: 0.2).map { $0 + 1 })
      try weight("\(p).b", [h], scale: 0.1)
    }
    for p in ["q", "k", "v", "o"] {
      try weight("W\(p)", [h, h])
      try weight("b\(p)", [h], scale: 0.1)
    }
    try weight("W1", [h, Self.ffn])
    try weight("b1", [Self.ffn], scale: 0.1)
    try weight("W2", [Self.ffn, h])
    try weight("b2", [h], scale: 0.1)
    g.initializers["zero"] = try i64([0], [])
    g.initializers["one"] = try i64([1], [])
    g.initializers["heads_shape"] = try i64([0, 0, Int64(Self.heads), Int64(d)])
    g.initializers["merged_shape"] = try i64([0, 0, Int64(h)])
    g.initializers["axes12"] = try i64([1, 2])
    g.initializers["axes1"] = try i64([1])
    g.initializers["axes_last"] = try i64([-1])
    g.initializers["sqrt_d"] = try f32([Float(d).squareRoot()], [])
    g.initializers["sqrt2"] = try f32([Float(2).squareRoot()], [])
    g.initializers["f1"] = try f32([1], [])
    g.initializers["half"] = try f32([0.5], [])
    g.initializers["mask_min"] = try f32([-10000], [])
    g.initializers["tiny"] = try f32([1e-9], [])
    g.initializers["tiny12"] = try f32([1e-12], [])
    let ln: [String: Attribute] = ["axis": .int(-1), "epsilon": .float(1e-12)]
    func n(_ name: String, _ op: String, _ inputs: [String], _ attributes: [String: Attribute] = [:]) -> Node {
      Node(name: name, op: op, inputs: inputs, outputs: [name], attributes: attributes)
    }
    func linear(_ x: String, _ w: String, _ b: String, _ out: String) -> [Node] {
      [n("\(out).mm", "MatMul", [x, w]), n(out, "Add", ["\(out).mm", b])]
    }
    func split(_ x: String, perm: [Int]) -> [Node] {
      [n("\(x).heads", "Reshape", [x, "heads_shape"]), n("\(x).t", "Transpose", ["\(x).heads"], ["perm": .ints(perm)])]
    }
    g.nodes = [
      n("tokens", "Gather", ["word", "input_ids"]),
      n("shape", "Shape", ["input_ids"]),
      n("seq_len", "Gather", ["shape", "one"]),
      n("pos_ids", "Range", ["zero", "seq_len", "one"]),
      n("pos", "Gather", ["position", "pos_ids"]),
      n("embedded", "Add", ["tokens", "pos"]),
      n("x0", "LayerNormalization", ["embedded", "ln0.g", "ln0.b"], ln),
    ]
    g.nodes += linear("x0", "Wq", "bq", "q") + linear("x0", "Wk", "bk", "k") + linear("x0", "Wv", "bv", "v")
    g.nodes += split("q", perm: [0, 2, 1, 3]) + split("k", perm: [0, 2, 3, 1]) + split("v", perm: [0, 2, 1, 3])
    g.nodes += [
      n("scores", "MatMul", ["q.t", "k.t"]),
      n("scaled", "Div", ["scores", "sqrt_d"]),
      n("mask4", "Unsqueeze", ["attention_mask", "axes12"]),
      n("maskf", "Cast", ["mask4"], ["to": .int(1)]),
      n("inverted", "Sub", ["f1", "maskf"]),
      n("bias", "Mul", ["inverted", "mask_min"]),
      n("masked", "Add", ["scaled", "bias"]),
      n("probs", "Softmax", ["masked"], ["axis": .int(-1)]),
      n("context", "MatMul", ["probs", "v.t"]),
      n("context.t", "Transpose", ["context"], ["perm": .ints([0, 2, 1, 3])]),
      n("merged", "Reshape", ["context.t", "merged_shape"]),
    ]
    g.nodes += linear("merged", "Wo", "bo", "attn")
    g.nodes += [n("res1", "Add", ["attn", "x0"]), n("x1", "LayerNormalization", ["res1", "ln1.g", "ln1.b"], ln)]
    g.nodes += linear("x1", "W1", "b1", "up")
    g.nodes += [
      n("gelu.div", "Div", ["up", "sqrt2"]), n("gelu.erf", "Erf", ["gelu.div"]), n("gelu.add", "Add", ["gelu.erf", "f1"]),
      n("gelu.mul", "Mul", ["up", "gelu.add"]), n("gelu", "Mul", ["gelu.mul", "half"]),
    ]
    g.nodes += linear("gelu", "W2", "b2", "down")
    g.nodes += [
      n("res2", "Add", ["down", "x1"]),
      n("hidden", "LayerNormalization", ["res2", "ln2.g", "ln2.b"], ln),
      // Mean pooling over the unmasked tokens.
      n("mask3", "Unsqueeze", ["attention_mask", "axes_last"]),
      n("mask3f", "Cast", ["mask3"], ["to": .int(1)]),
      n("hidden_shape", "Shape", ["hidden"]),
      n("mask_e", "Expand", ["mask3f", "hidden_shape"]),
      n("weighted", "Mul", ["hidden", "mask_e"]),
      n("summed", "ReduceSum", ["weighted", "axes1"], ["keepdims": .int(0)]),
      n("counts", "ReduceSum", ["mask_e", "axes1"], ["keepdims": .int(0)]),
      n("counts_c", "Clip", ["counts", "tiny"]),
      n("pooled", "Div", ["summed", "counts_c"]),
      // F.normalize(p=2, dim=1).
      n("norm", "ReduceL2", ["pooled"], ["axes": .ints([1]), "keepdims": .int(1)]),
      n("norm_c", "Clip", ["norm", "tiny12"]),
      n("embedding", "Div", ["pooled", "norm_c"]),
    ]
    g.outputs = [ValueInfo(name: "embedding", type: TensorType(.float32, ["batch", Dimension.fixed(h)]))]
    return g
  }

  @Test("shape inference keeps batch and seq symbolic through the whole encoder")
  func shapes() throws {
    let types = try encoder().inferringTypes().valueTypes
    #expect(types["pos_ids"] == TensorType(.int64, ["seq"]))
    #expect(types["x0"] == TensorType(.float32, ["batch", "seq", 8]))
    #expect(types["q.t"] == TensorType(.float32, ["batch", 2, "seq", 4]))
    #expect(types["k.t"] == TensorType(.float32, ["batch", 2, 4, "seq"]))
    #expect(types["masked"] == TensorType(.float32, ["batch", 2, "seq", "seq"]))
    #expect(types["hidden"] == TensorType(.float32, ["batch", "seq", 8]))
    #expect(types["mask_e"] == TensorType(.float32, ["batch", "seq", 8]))
    #expect(types["pooled"] == TensorType(.float32, ["batch", 8]))
    #expect(types["norm"] == TensorType(.float32, ["batch", 1]))
    #expect(types["embedding"] == TensorType(.float32, ["batch", 8]))
  }

  @Test("unit-length embeddings; padding changes nothing: a padded row equals the same sentence unpadded")
  func padding() throws {
    let interpreter = try ReferenceInterpreter(graph: try encoder())
    let ids: [Int64] = [1, 4, 2, 7, 3, 5, 9, 6, 0, 0]
    let mask: [Int64] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    let batch = try interpreter.run(["input_ids": try i64(ids, [2, 5]), "attention_mask": try i64(mask, [2, 5])])["embedding"]!
    #expect(batch.shape == [2, 8])
    let rows = batch.doubles
    for r in 0..<2 {
      let norm = rows[(r * 8)..<((r + 1) * 8)].reduce(0) { $0 + $1 * $1 }.squareRoot()
      #expect(abs(norm - 1) < 1e-5, "row \(r) has norm \(norm)")
    }
    let alone = try interpreter.run(["input_ids": try i64([5, 9, 6], [1, 3]), "attention_mask": try i64([1, 1, 1], [1, 3])])["embedding"]!
    expectClose(alone, Array(rows[8...]), shape: [1, 8])
    let first = try interpreter.run(["input_ids": try i64(Array(ids[..<5]), [1, 5]), "attention_mask": try i64([1, 1, 1, 1, 1], [1, 5])])["embedding"]!
    expectClose(first, Array(rows[..<8]), shape: [1, 8])
  }

  @Test("the Erf decomposition of GELU equals the opset-20 Gelu operator")
  func geluDecomposition() throws {
    let x = try f32(wave(16, seed: 0.2, scale: 4))
    let div = try evaluate1("Div", [x, try f32([Float(2).squareRoot()], [])])
    let erf = try evaluate1("Erf", [div])
    let sum = try evaluate1("Add", [erf, try f32([1], [])])
    let decomposed = try evaluate1("Mul", [try evaluate1("Mul", [x, sum]), try f32([0.5], [])])
    expectClose(try evaluate1("Gelu", [x], opset: 20), decomposed.doubles, tolerance: 1e-6)
  }
}
