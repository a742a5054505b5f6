import Tessera
import TesseraGraph

/// Builds the steps of a ``DynamicGraphPlan``.
struct DynamicCompiler {
  let graph: Graph
  /// Slot of every value name.
  var slots: [String: Int] = [:]
  var steps: [DynamicStep] = []
  /// The nodes reading each value.
  var consumers: [String: [Int]] = [:]
  /// Nodes folded into an earlier step.
  var absorbed = Set<Int>()
  /// The buffer each view slot shares (its group's root).
  var root: [Int: Int] = [:]
  let graphOutputs: Set<String>

  init(graph: Graph) {
    self.graph = graph
    graphOutputs = Set(graph.outputs.map(\.name))
    for (i, node) in graph.nodes.enumerated() {
      for input in Set(node.inputs) where !input.isEmpty { consumers[input, default: []].append(i) }
    }
  }

  mutating func slot(_ name: String) -> Int {
    if let s = slots[name] { return s }
    let s = slots.count
    slots[name] = s
    return s
  }

  func isFloat(_ value: String) -> Bool { graph.type(of: value)?.elementType == .float32 }
  func rank(_ value: String) -> Int? { graph.type(of: value)?.shape?.count }
  func constant(_ value: String) -> GraphTensor? { graph.initializers[value] }

  /// The node index that alone reads `value`, when it is not a graph output.
  func soleConsumer(_ value: String) -> Int? {
    guard !graphOutputs.contains(value), let c = consumers[value], c.count == 1 else { return nil }
    return c[0]
  }

  /// Softmax nodes with a scale and mask folded in: the scores before scaling and the mask.
  var fusedSoftmax: [Int: (scores: String, mask: String, scale: Float)] = [:]
  /// LayerNormalization nodes with the Add of two activations before them folded in (BERT's
  /// post-LN residual `LN(x + sublayer(x))`): the Add's operands.
  var fusedResidual: [Int: (String, String)] = [:]
  /// MatMul nodes with transposes folded in.
  var fusedTransposes: [Int: (a: String, aPerm: [Int]?, b: String, bPerm: [Int]?, out: String, outPerm: [Int]?)] = [:]

  /// The node producing `value`, when it is `op` in the default domain and `value` has no other reader.
  func soleProducer(_ value: String, _ op: String) -> (Int, Node)? {
    guard soleConsumer(value) != nil, let p = graph.nodes.firstIndex(where: { $0.outputs.contains(value) }) else { return nil }
    let n = graph.nodes[p]
    return n.domain.isEmpty && n.op == op && n.outputs.count == 1 ? (p, n) : nil
  }

  /// Finds the attention patterns folded into one step, before any step is emitted (the folded
  /// nodes come earlier in topological order than the step that absorbs them).
  mutating func planFusions() {
    for (i, node) in graph.nodes.enumerated() where node.domain.isEmpty {
      // Only nodes that `add` compiles to fast steps (float output of known rank) absorb their
      // neighbours; otherwise a fallback step would read a value nobody computes.
      if node.op == "Softmax", node.inputs.count == 1, node.outputs.count == 1, isFloat(node.outputs[0]), isFloat(node.inputs[0]),
        let r = rank(node.inputs[0]), r == 4,
        let axis = try? node.int("axis", default: graph.opset >= 13 ? -1 : 1), axis == -1 || axis == 3,
        let (addIndex, add) = soleProducer(node.inputs[0], "Add"), add.inputs.count == 2
      {
        for (x, m) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
          guard let ms = graph.type(of: m)?.shape, ms.count == 4, ms[1] == .fixed(1), ms[2] == .fixed(1), isFloat(m), isFloat(x) else { continue }
          var scores = x, scale: Float = 1
          if let (mulIndex, mul) = soleProducer(x, "Mul"), mul.inputs.count == 2 {
            for (y, c) in [(mul.inputs[0], mul.inputs[1]), (mul.inputs[1], mul.inputs[0])] {
              if let t = constant(c), t.count == 1, let v = t.float32?.first {
                scores = y
                scale = v
                absorbed.insert(mulIndex)
                break
              }
            }
          } else if let (divIndex, div) = soleProducer(x, "Div"), div.inputs.count == 2, let t = constant(div.inputs[1]), t.count == 1,
            let v = t.float32?.first, v != 0
          {
            scores = div.inputs[0]
            scale = 1 / v
            absorbed.insert(divIndex)
          }
          absorbed.insert(addIndex)
          fusedSoftmax[i] = (scores, m, scale)
          break
        }
      }
      if node.op == "LayerNormalization", fastLayerNorm(node) != nil, let (addIndex, add) = soleProducer(node.inputs[0], "Add"),
        add.inputs.count == 2, add.inputs.allSatisfy({ isFloat($0) && constant($0) == nil }), rank(add.inputs[0]) == rank(add.inputs[1])
      {
        absorbed.insert(addIndex)
        fusedResidual[i] = (add.inputs[0], add.inputs[1])
      }
      if node.op == "MatMul", node.inputs.count == 2, node.outputs.count == 1, isFloat(node.outputs[0]), isFloat(node.inputs[0]),
        isFloat(node.inputs[1]), constant(node.inputs[1]) == nil,
        rank(node.inputs[0]) == 4, rank(node.inputs[1]) == 4
      {
        var entry: (a: String, aPerm: [Int]?, b: String, bPerm: [Int]?, out: String, outPerm: [Int]?) =
          (node.inputs[0], nil, node.inputs[1], nil, node.outputs[0], nil)
        if let (t, tr) = soleProducer(node.inputs[0], "Transpose"), let perm = try? tr.ints("perm", default: nil), perm.count == 4 {
          entry.a = tr.inputs[0]
          entry.aPerm = perm
          absorbed.insert(t)
        }
        if node.inputs[1] != node.inputs[0], let (t, tr) = soleProducer(node.inputs[1], "Transpose"),
          let perm = try? tr.ints("perm", default: nil), perm.count == 4
        {
          entry.b = tr.inputs[0]
          entry.bPerm = perm
          absorbed.insert(t)
        }
        if let c = soleConsumer(node.outputs[0]), graph.nodes[c].domain.isEmpty, graph.nodes[c].op == "Transpose",
          let perm = try? graph.nodes[c].ints("perm", default: nil), perm.count == 4, perm[3] == 3
        {
          entry.out = graph.nodes[c].outputs[0]
          entry.outPerm = perm
          absorbed.insert(c)
        }
        fusedTransposes[i] = entry
      }
    }
  }

  /// A batched MatMul of two activations, with the transposes found by ``planFusions()``.
  mutating func addMatMul(_ i: Int, _ node: Node) {
    guard let f = fusedTransposes[i] else { return emit(node, .matMul(aPerm: nil, bPerm: nil, outPerm: nil), inputs: node.inputs) }
    emit(node, .matMul(aPerm: f.aPerm, bPerm: f.bPerm, outPerm: f.outPerm), inputs: [f.a, f.b], output: f.out)
  }

  mutating func compile() throws {
    planFusions()
    for input in graph.inputs { _ = slot(input.name) }
    for name in graph.initializers.keys.sorted() { _ = slot(name) }
    for (i, node) in graph.nodes.enumerated() where !absorbed.contains(i) { try add(i, node) }
  }

  mutating func emit(_ node: Node, _ kind: DynamicStepKind, inputs: [String], output: String? = nil) {
    let ins = inputs.map { $0.isEmpty ? -1 : slot($0) }
    let outs = output.map { [slot($0)] } ?? node.outputs.map { $0.isEmpty ? -1 : slot($0) }
    steps.append(DynamicStep(name: node.name, op: node.op, kind: kind, inputs: ins, outputs: outs))
  }

  mutating func add(_ i: Int, _ node: Node) throws {
    let out = node.outputs.first ?? ""
    let floatOut = node.outputs.count == 1 && isFloat(out)
    let allFloat = floatOut && node.inputs.allSatisfy { !$0.isEmpty && isFloat($0) }
    if node.domain == TesseraOperators.domain, node.op == TesseraOperators.gelu {
      let tanh = (try? node.string("approximate", default: "none")) == "tanh"
      return emit(node, .unary(tanh ? .geluTanh : .gelu), inputs: node.inputs)
    }
    if node.domain == TesseraOperators.domain,
      node.op == TesseraOperators.dynamicQuantizedLinear || node.op == TesseraOperators.staticQuantizedLinear
    {
      return try addQuantizedLinear(node)
    }
    guard node.domain.isEmpty else { return emit(node, .fallback(node), inputs: node.inputs) }
    switch node.op {
    case "MatMul" where allFloat && (rank(node.inputs[0]) ?? 0) >= 2:
      if let w = constant(node.inputs[1]), w.shape.count == 2, let values = w.float32 {
        return addLinear(node, weights: values, k: w.shape[0], n: w.shape[1])
      }
      if (rank(node.inputs[1]) ?? 0) >= 2 { return addMatMul(i, node) }
    case "Add" where allFloat: return emit(node, .binary(.add), inputs: node.inputs)
    case "Sub" where allFloat: return emit(node, .binary(.sub), inputs: node.inputs)
    case "Mul" where allFloat: return emit(node, .binary(.mul), inputs: node.inputs)
    case "Div" where allFloat: return emit(node, .binary(.div), inputs: node.inputs)
    case "Erf" where allFloat: return emit(node, .unary(.erf), inputs: node.inputs)
    case "Tanh" where allFloat: return emit(node, .unary(.tanh), inputs: node.inputs)
    case "Relu" where allFloat: return emit(node, .unary(.relu), inputs: node.inputs)
    case "Sigmoid" where allFloat: return emit(node, .unary(.sigmoid), inputs: node.inputs)
    case "ReduceSum" where floatOut && isFloat(node.inputs[0]), "ReduceMean" where floatOut && isFloat(node.inputs[0]):
      let fromInput = node.op == "ReduceSum" ? graph.opset >= 13 : graph.opset >= 18
      let axes = fromInput ? node.input(1).flatMap(constant)?.integers : (try? node.ints("axes", default: nil)) ?? nil
      if let axes, axes.count == 1, ((try? node.int("noop_with_empty_axes", default: 0)) ?? 0) == 0 {
        let keep = ((try? node.int("keepdims", default: 1)) ?? 1) != 0
        return emit(node, .reduce(axis: axes[0], keepDims: keep, mean: node.op == "ReduceMean"), inputs: [node.inputs[0]])
      }
    case "Softmax" where allFloat:
      if let r = rank(node.inputs[0]), let axis = try? node.int("axis", default: graph.opset >= 13 ? -1 : 1),
        axis == -1 || axis == r - 1
      {
        if let fused = fusedSoftmax[i] { return emit(node, .maskedSoftmax(scale: fused.scale), inputs: [fused.scores, fused.mask]) }
        return emit(node, .softmax, inputs: node.inputs)
      }
    case "LayerNormalization":
      if let (gamma, beta, eps) = fastLayerNorm(node) {
        if let (a, b) = fusedResidual[i] { return emit(node, .addLayerNorm(gamma: gamma, beta: beta, epsilon: eps), inputs: [a, b]) }
        return emit(node, .layerNorm(gamma: gamma, beta: beta, epsilon: eps), inputs: [node.inputs[0]])
      }
    case "Transpose" where floatOut:
      if let r = rank(node.inputs[0]) {
        let perm = (try? node.ints("perm", default: nil)) ?? nil
        return emit(node, .transpose(perm ?? Array((0..<r).reversed())), inputs: node.inputs)
      }
    case "Reshape" where floatOut:
      let allowZero = ((try? node.int("allowzero", default: 0)) ?? 0) != 0
      return addView(node, .reshape(allowZero: allowZero))
    case "Unsqueeze" where floatOut:
      return addView(node, .unsqueeze(axes: (try? node.ints("axes", default: nil)) ?? nil))
    case "Squeeze" where floatOut:
      return addView(node, .squeeze(axes: (try? node.ints("axes", default: nil)) ?? nil))
    case "Flatten" where floatOut: return addView(node, .flatten(axis: (try? node.int("axis", default: 1)) ?? 1))
    case "Identity" where floatOut: return addView(node, .identity)
    case "Slice" where floatOut && isFloat(node.inputs[0]) && node.inputs.count >= 3:
      return emit(node, .slice(node), inputs: node.inputs)
    case "Gather" where floatOut:
      if let table = constant(node.inputs[0]), table.shape.count == 2, table.float32 != nil,
        ((try? node.int("axis", default: 0)) ?? 0) == 0, let t = graph.type(of: node.inputs[1])?.elementType,
        t == .int64 || t == .int32
      {
        return emit(node, .gatherRows(table: table), inputs: [node.inputs[1]])
      }
    default: break
    }
    emit(node, .fallback(node), inputs: node.inputs)
  }

  /// γ, β and ε of a LayerNormalization the fast step runs: float input and output, last axis,
  /// constant γ (and β when present).
  func fastLayerNorm(_ node: Node) -> (gamma: [Float], beta: [Float]?, epsilon: Float)? {
    guard node.domain.isEmpty, node.op == "LayerNormalization", node.outputs.count == 1, isFloat(node.outputs[0]),
      isFloat(node.inputs[0]), let r = rank(node.inputs[0]), let axis = try? node.int("axis", default: -1), axis == -1 || axis == r - 1,
      let gamma = node.input(1).flatMap(constant)?.float32,
      node.input(2) == nil || node.input(2).flatMap(constant)?.float32 != nil
    else { return nil }
    return (gamma, node.input(2).flatMap(constant)?.float32, (try? node.float("epsilon", default: 1e-5)) ?? 1e-5)
  }

  mutating func addView(_ node: Node, _ rule: ViewRule) {
    emit(node, .view(rule), inputs: node.inputs)
    let source = slot(node.inputs[0]), out = slot(node.outputs[0])
    root[out] = root[source] ?? source
  }

  /// A `com.tessera.DynamicQuantizedLinear` or `StaticQuantizedLinear` (int8 weights `[N, K]`,
  /// scales, optional bias; static: calibrated activation parameters and optional SmoothQuant
  /// multipliers) on the qd8 kernels, with a following activation folded in.
  mutating func addQuantizedLinear(_ node: Node) throws {
    guard node.inputs.count >= 3, let w = constant(node.inputs[1]), case let .int8(q) = w.storage, w.shape.count == 2,
      let scales = constant(node.inputs[2])?.float32
    else {
      throw GraphIRError.invalidNode(node: node.name, op: node.op, reason: "needs constant int8 weights [N, K] and float scales [N]")
    }
    let bias = node.input(3).flatMap(constant)?.float32
    let (n, k) = (w.shape[0], w.shape[1])
    let int8: DynamicQuantizedLinear
    do {
      var fixed: StaticActivationQuantization? = nil
      if node.op == TesseraOperators.staticQuantizedLinear {
        let multipliers = node.input(4).flatMap(constant)?.float32
        if node.input(4) != nil, multipliers == nil {
          throw GraphIRError.invalidNode(node: node.name, op: node.op, reason: "multipliers must be a constant float [K]")
        }
        fixed = try StaticActivationQuantization(
          scale: try node.float(TesseraOperators.activationScaleAttribute, default: nil),
          zeroPoint: Int32(clamping: try node.int(TesseraOperators.activationZeroPointAttribute, default: nil)),
          multipliers: multipliers)
      }
      int8 = try DynamicQuantizedLinear(int8: q, scales: scales, n: n, k: k, bias: bias, staticActivation: fixed)
    } catch let error as GraphIRError {
      throw error
    } catch {
      throw GraphIRError.invalidNode(node: node.name, op: node.op, reason: "\(error)")
    }
    let (activation, output) = fusedActivation(after: node.outputs[0])
    let weights = LinearWeights(k: k, n: n, weights: nil, bias: nil, activation: activation, int8: int8)
    emit(node, .linear(weights), inputs: [node.inputs[0]], output: output)
  }

  /// The activation that alone reads `value` (GELU, Relu, Tanh, Sigmoid), absorbed, and the
  /// value the fused step then writes.
  mutating func fusedActivation(after value: String) -> (DynamicKernels.Unary?, String) {
    guard let c = soleConsumer(value) else { return (nil, value) }
    let next = graph.nodes[c]
    let kinds: [String: DynamicKernels.Unary] = ["Relu": .relu, "Tanh": .tanh, "Sigmoid": .sigmoid]
    var activation: DynamicKernels.Unary? = nil
    if next.domain == TesseraOperators.domain, next.op == TesseraOperators.gelu {
      activation = (try? next.string("approximate", default: "none")) == "tanh" ? .geluTanh : .gelu
    } else if next.domain.isEmpty, let a = kinds[next.op] {
      activation = a
    }
    guard let activation else { return (nil, value) }
    absorbed.insert(c)
    return (activation, next.outputs[0])
  }

  /// A MatMul by a constant weight, with a following bias Add and activation folded in.
  mutating func addLinear(_ node: Node, weights: [Float], k: Int, n: Int) {
    var output = node.outputs[0]
    var bias: [Float]? = nil
    if let c = soleConsumer(output), case let add = graph.nodes[c], add.domain.isEmpty, add.op == "Add", add.inputs.count == 2 {
      let other = add.inputs[0] == output ? add.inputs[1] : add.inputs[0]
      if let b = constant(other), let values = b.float32, values.count == n, b.shape.last == n,
        b.shape.dropLast().allSatisfy({ $0 == 1 }), b.shape.count <= (rank(node.inputs[0]) ?? 0)
      {
        bias = values
        absorbed.insert(c)
        output = add.outputs[0]
      }
    }
    let (activation, fusedOutput) = fusedActivation(after: output)
    output = fusedOutput
    // The packed f32-gemm kernel where it is AVX-512 (faster than sgemm at transformer sizes);
    // elsewhere OpenBLAS sgemm.
    if let packed = try? PackedFloatLinear(weightsKN: weights, inputs: k, outputs: n, bias: bias), packed.isa == "avx512f" {
      let w = LinearWeights(k: k, n: n, weights: nil, bias: nil, activation: activation, packed: packed)
      return emit(node, .linear(w), inputs: [node.inputs[0]], output: output)
    }
    let w = LinearWeights(k: k, n: n, weights: weights, bias: bias, activation: activation)
    emit(node, .linear(w), inputs: [node.inputs[0]], output: output)
  }

  /// For each step, the buffer groups whose last reader it is (graph outputs are never released).
  func releases() -> [[(root: Int, members: [Int])]] {
    var members: [Int: [Int]] = [:]
    for (view, r) in root { members[r, default: [r]].append(view) }
    func group(_ s: Int) -> Int { root[s] ?? s }
    var last: [Int: Int] = [:]
    for (i, step) in steps.enumerated() {
      for s in step.inputs where s >= 0 { last[group(s)] = i }
      for s in step.outputs where s >= 0 { last[group(s)] = max(last[group(s)] ?? i, i) }
    }
    let kept = Set(graph.outputs.compactMap { slots[$0.name] }.map(group))
      .union(graph.inputs.compactMap { slots[$0.name] }).union(graph.initializers.keys.compactMap { slots[$0] })
    var result = [[(root: Int, members: [Int])]](repeating: [], count: steps.count)
    for (r, i) in last where !kept.contains(r) { result[i].append((r, members[r] ?? [r])) }
    return result
  }
}
