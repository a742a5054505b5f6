import Foundation
import TesseraNN

/// A node's step before its outputs are numbered.
struct LoweredNode {
  let kind: GraphStepKind
  let inputs: [Int]
  let macs: Int
}

extension GraphCompiler {
  /// A batched operand: the value's index and per-sample shape.
  func batched(_ node: Node, _ position: Int) -> (id: Int, shape: [Int])? {
    guard let name = node.input(position), let i = index[name], values[i].isBatched, let s = values[i].sampleShape
    else { return nil }
    return (i, s)
  }

  /// A float32 constant input.
  func constant(_ node: Node, _ position: Int) -> GraphTensor? {
    guard let name = node.input(position), let t = graph.initializers[name], t.elementType == .float32 else { return nil }
    return t
  }

  /// The node's operator in the default domain (a fused node's base operator).
  static func baseOp(_ node: Node) -> String? {
    if node.domain == TesseraOperators.domain { return TesseraOperators.fusedBase[node.op] }
    return node.domain.isEmpty || node.domain == "ai.onnx" ? node.op : nil
  }

  /// The activation of a fused node (identity for a plain one).
  /// - Throws: ``EngineError/unsupported(_:)`` for an unknown activation.
  static func activation(_ node: Node) throws -> Activation {
    guard node.domain == TesseraOperators.domain else { return .identity }
    switch node.attributes[TesseraOperators.activationAttribute]?.string {
    case nil: return .identity
    case "Relu": return .relu
    case "Clip":
      let lo = node.attributes[TesseraOperators.activationMinAttribute]?.float ?? -.infinity
      let hi = node.attributes[TesseraOperators.activationMaxAttribute]?.float ?? .infinity
      return .clip(min: lo, max: hi)
    case let other?:
      throw EngineError.unsupported("node '\(node.name)' (\(node.op)) has an unknown fused activation '\(other)'")
    }
  }

  /// The source value of a node that only reinterprets its input's memory, else nil.
  func viewSource(_ node: Node) -> Int? {
    guard let op = Self.baseOp(node), node.domain.isEmpty || node.domain == "ai.onnx",
      ["Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Dropout"].contains(op),
      let x = batched(node, 0), let out = node.outputs.first, !out.isEmpty,
      node.outputs.dropFirst().allSatisfy(\.isEmpty), let y = sampleShape(of: out),
      y.reduce(1, *) == x.shape.reduce(1, *)
    else { return nil }
    if op == "Dropout" {
      if graph.opset >= 12 {
        if node.input(1) != nil {
          guard let r = graph.initializers[node.input(1)!], r.count == 1, r.elementType.isFloatingPoint,
            r.doubles[0] >= 0, r.doubles[0] < 1
          else { return nil }
        }
        if let t = node.input(2) {
          guard let mode = graph.initializers[t], mode.elementType == .bool, mode.count == 1, mode.doubles[0] == 0 else { return nil }
        }
      } else {
        guard let ratio = try? node.float("ratio", default: 0.5), ratio >= 0, ratio < 1 else { return nil }
      }
    }
    return x.id
  }

  /// The step of a node: a fast kernel when its operands fit one, else the reference fallback.
  func lower(_ node: Node) throws -> LoweredNode {
    if let step = fakeQuantizeStep(node) { return step }
    let activation = try Self.activation(node)
    if let op = Self.baseOp(node), let out = node.outputs.first, !out.isEmpty,
      node.outputs.dropFirst().allSatisfy(\.isEmpty), let y = sampleShape(of: out),
      let fast = fastKernel(node, op: op, y: y, activation: activation)
    {
      return fast
    }
    var plain = node
    if let base = TesseraOperators.fusedBase[node.op], node.domain == TesseraOperators.domain {
      plain.op = base
      plain.domain = ""
      for key in [TesseraOperators.activationAttribute, TesseraOperators.activationMinAttribute, TesseraOperators.activationMaxAttribute] {
        plain.attributes[key] = nil
      }
    }
    let inputs = node.inputs.map { $0.isEmpty ? -1 : index[$0] ?? -1 }
    return LoweredNode(kind: .fallback(FallbackKernel(node: plain, activation: activation, opset: graph.opset)), inputs: inputs, macs: 0)
  }

  private func fastKernel(_ node: Node, op: String, y: [Int], activation: Activation) -> LoweredNode? {
    switch op {
    case "Gemm": return gemm(node, y: y, activation: activation)
    case "MatMul": return matMul(node, y: y, activation: activation)
    case "Conv": return conv(node, y: y, activation: activation)
    case "Add", "Sub", "Mul", "Div": return binary(node, BinaryOperator(op: op)!, y: y)
    case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "BatchNormalization": return unary(node, op: op, y: y)
    case "MaxPool", "AveragePool": return pool(node, isMax: op == "MaxPool", y: y)
    case "GlobalAveragePool":
      guard let x = batched(node, 0), x.shape.count >= 2, y.reduce(1, *) == x.shape[0] else { return nil }
      return LoweredNode(
        kind: .globalAveragePool(planes: x.shape[0], spatial: x.shape.dropFirst().reduce(1, *)), inputs: [x.id], macs: 0)
    case "Concat": return concat(node, y: y)
    case "Softmax": return softmax(node, y: y)
    default: return nil
    }
  }

  /// Gemm with A `[batch, K]` (transA 0), a constant B and a constant C of 1 or N values.
  private func gemm(_ node: Node, y: [Int], activation: Activation) -> LoweredNode? {
    guard let a = batched(node, 0), a.shape.count == 1, (try? node.int("transA", default: 0)) == 0,
      let b = constant(node, 1), b.shape.count == 2, let transB = try? node.int("transB", default: 0) != 0,
      let alpha = try? node.float("alpha", default: 1), let beta = try? node.float("beta", default: 1)
    else { return nil }
    let (k, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == a.shape[0], y == [n] else { return nil }
    var weight = transB ? b.float32! : Self.transposed(b.float32!, rows: k, columns: n)
    if alpha != 1 { for i in weight.indices { weight[i] *= alpha } }
    var bias: [Float]?
    if node.input(2) != nil, beta != 0 {
      guard let c = constant(node, 2), c.count == 1 || c.shape == [n] || c.shape == [1, n] else { return nil }
      bias = (0..<n).map { beta * c.float32![c.count == 1 ? 0 : $0] }
    }
    let kernel = LinearKernel(rows: 1, k: k, n: n, weight: weight, bias: bias, activation: activation)
    return LoweredNode(kind: .linear(kernel), inputs: [a.id], macs: k * n)
  }

  /// MatMul of A `[batch, …, K]` by a constant `[K, N]`.
  private func matMul(_ node: Node, y: [Int], activation: Activation) -> LoweredNode? {
    guard let a = batched(node, 0), let k = a.shape.last, k > 0, let b = constant(node, 1), b.shape.count == 2, b.shape[0] == k,
      y == Array(a.shape.dropLast()) + [b.shape[1]]
    else { return nil }
    let n = b.shape[1], rows = a.shape.reduce(1, *) / k
    let kernel = LinearKernel(
      rows: rows, k: k, n: n, weight: Self.transposed(b.float32!, rows: k, columns: n), bias: nil, activation: activation)
    return LoweredNode(kind: .linear(kernel), inputs: [a.id], macs: rows * k * n)
  }

  /// 2-D Conv, groups 1, constant weight `[M, C, kh, kw]` and bias `[M]`.
  private func conv(_ node: Node, y: [Int], activation: Activation) -> LoweredNode? {
    guard let x = batched(node, 0), x.shape.count == 3, let w = constant(node, 1), w.shape.count == 4, w.shape[1] == x.shape[0],
      (try? node.int("group", default: 1)) == 1
    else { return nil }
    let kernel = Array(w.shape[2...])
    if let attr = try? node.ints("kernel_shape"), attr != kernel { return nil }
    guard let window = Window2D(node: node, height: x.shape[1], width: x.shape[2], kernel: kernel, ceilMode: false),
      y == [w.shape[0], window.outputHeight, window.outputWidth]
    else { return nil }
    var bias: [Float]?
    if node.input(2) != nil {
      guard let b = constant(node, 2), b.shape == [w.shape[0]] else { return nil }
      bias = b.float32!
    }
    let k = ConvKernel(channels: x.shape[0], outputs: w.shape[0], window: window, weight: w.float32!, bias: bias, activation: activation)
    return LoweredNode(kind: .conv(k), inputs: [x.id], macs: k.outputs * k.patch * window.outputPlane)
  }

  /// `[rows, columns]` row-major, transposed.
  static func transposed(_ m: [Float], rows: Int, columns: Int) -> [Float] {
    var t = [Float](repeating: 0, count: m.count)
    for r in 0..<rows { for c in 0..<columns { t[c * rows + r] = m[r * columns + c] } }
    return t
  }
}

extension GraphCompiler {
  /// The fast kernel of a linear node as it was before the fusion passes, when they changed it
  /// beyond fusing an activation (BatchNorm folded into its weights, a bias fused into a
  /// MatMul): the observer then sees the value the interpreter gives for that node. Nil when
  /// nothing changed or the original does not compile to a fast kernel on the same input.
  func observationKernel(_ node: Node, inputs: [Int]) -> GraphStepKind? {
    guard Self.isLinear(node), let unfused, let original = unfused.nodes[node.name] else { return nil }
    var plain = node
    plain.outputs = original.outputs
    if node.domain == TesseraOperators.domain, let base = TesseraOperators.fusedBase[node.op] {
      plain.op = base
      plain.domain = ""
      for key in [TesseraOperators.activationAttribute, TesseraOperators.activationMinAttribute, TesseraOperators.activationMaxAttribute] {
        plain.attributes[key] = nil
      }
    }
    let unchanged = plain == original && original.inputs.allSatisfy { unfused.graph.initializers[$0] == graph.initializers[$0] }
    guard !unchanged else { return nil }
    var before = self
    before.graph = unfused.graph
    guard let lowered = try? before.lower(original), lowered.inputs == inputs else { return nil }
    switch lowered.kind {
    case .linear, .conv: return lowered.kind
    default: return nil
    }
  }
}
