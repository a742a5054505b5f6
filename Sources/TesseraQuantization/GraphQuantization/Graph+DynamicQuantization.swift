import Tessera
import TesseraGraph

extension Graph {
  /// The graph with every Linear layer — a `MatMul` of a float activation by a constant float
  /// `[K, N]` weight, with a following `Add` of a constant `[N]` bias folded in — replaced by a
  /// `com.tessera.DynamicQuantizedLinear` node: int8 weights `[N, K]`, symmetric per output
  /// channel (scale = max|w|/127, round half to even), activations quantized per row when the
  /// model runs (qd8-f32-qc8w, docs/quantization.md §13). Embedding tables, attention products
  /// (MatMul of two activations) and everything else stay float.
  ///
  /// - Parameter keepFloat: names of MatMul nodes to leave in float.
  /// - Returns: the rewritten graph; `metadata["tessera.precision"]` is `dynamic-int8`.
  /// - Throws: ``GraphIRError`` when shape inference fails; a weight with NaN or infinity
  ///   throws `TesseraError.invalidArgument` naming it.
  public func quantizingLinearDynamically(keepFloat: Set<String> = []) throws -> Graph {
    var g = try inferringTypes()
    var consumers: [String: [Int]] = [:]
    for (i, node) in g.nodes.enumerated() { for input in Set(node.inputs) where !input.isEmpty { consumers[input, default: []].append(i) } }
    let outputs = Set(g.outputs.map(\.name))
    var removed = Set<Int>()
    var replaced: [Int: Node] = [:]
    for (i, node) in g.nodes.enumerated() where node.domain.isEmpty && node.op == "MatMul" && !keepFloat.contains(node.name) {
      guard node.inputs.count == 2, g.type(of: node.inputs[0])?.elementType == .float32,
        let w = g.initializers[node.inputs[1]], w.shape.count == 2, let values = w.float32
      else { continue }
      let (k, n) = (w.shape[0], w.shape[1])
      guard values.allSatisfy(\.isFinite) else {
        throw TesseraError.invalidArgument("weight \(node.inputs[1]) of \(node.name) contains NaN or infinity")
      }
      var transposed = [Float](repeating: 0, count: k * n)
      for r in 0..<k { for c in 0..<n { transposed[c * k + r] = values[r * n + c] } }
      let (q, scales) = DynamicQuantizedLinear.quantizeWeights(transposed, n: n, k: k)
      var output = node.outputs[0]
      var inputs = [node.inputs[0], node.inputs[1] + ".int8", node.inputs[1] + ".scale"]
      // Fold a following bias Add.
      if !outputs.contains(output), let c = consumers[output], c.count == 1, g.nodes[c[0]].domain.isEmpty, g.nodes[c[0]].op == "Add" {
        let add = g.nodes[c[0]]
        let other = add.inputs[0] == output ? add.inputs[1] : add.inputs[0]
        if let b = g.initializers[other], b.float32?.count == n, b.shape.last == n, b.shape.dropLast().allSatisfy({ $0 == 1 }) {
          inputs.append(other)
          output = add.outputs[0]
          removed.insert(c[0])
        }
      }
      g.initializers[node.inputs[1] + ".int8"] = try GraphTensor(.int8(q), shape: [n, k])
      g.initializers[node.inputs[1] + ".scale"] = try GraphTensor(float32: scales, shape: [n])
      replaced[i] = Node(
        name: node.name, op: TesseraOperators.dynamicQuantizedLinear, domain: TesseraOperators.domain, inputs: inputs,
        outputs: [output])
    }
    for (i, node) in replaced { g.nodes[i] = node }
    g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    let used = Set(g.nodes.flatMap(\.inputs))
    for name in g.initializers.keys where !used.contains(name) && !g.outputs.contains(where: { $0.name == name }) {
      g.initializers[name] = nil
    }
    g.metadata["tessera.precision"] = "dynamic-int8"
    return try g.inferringTypes().validate()
  }
}

extension Graph {
  /// The graph with each `com.tessera.DynamicQuantizedLinear` written in standard ONNX operators
  /// for export: `DequantizeLinear(W int8 [N, K], w_scale, axis 0)` → `Transpose` → `MatMul` →
  /// `Add` bias. Other runtimes then compute with the same int8 weights in float (activations
  /// are not quantized there, so their outputs differ from Tessera's by the activation rounding).
  /// - Returns: the graph unchanged when it has no such node.
  public func expandingDynamicQuantization() throws -> Graph {
    guard nodes.contains(where: { $0.domain == TesseraOperators.domain && $0.op == TesseraOperators.dynamicQuantizedLinear }) else {
      return self
    }
    var g = self
    g.nodes = []
    for node in nodes {
      guard node.domain == TesseraOperators.domain, node.op == TesseraOperators.dynamicQuantizedLinear else {
        g.nodes.append(node)
        continue
      }
      let p = node.name
      g.nodes.append(Node(name: p + "/Dequantize", op: "DequantizeLinear", inputs: [node.inputs[1], node.inputs[2]], outputs: [p + "/W"], attributes: ["axis": .int(0)]))
      g.nodes.append(Node(name: p + "/Transpose", op: "Transpose", inputs: [p + "/W"], outputs: [p + "/WT"], attributes: ["perm": .ints([1, 0])]))
      if let bias = node.input(3) {
        g.nodes.append(Node(name: p + "/MatMul", op: "MatMul", inputs: [node.inputs[0], p + "/WT"], outputs: [p + "/Y"]))
        g.nodes.append(Node(name: p, op: "Add", inputs: [p + "/Y", bias], outputs: node.outputs))
      } else {
        g.nodes.append(Node(name: p, op: "MatMul", inputs: [node.inputs[0], p + "/WT"], outputs: node.outputs))
      }
    }
    g.valueTypes = [:]
    return try g.inferringTypes().validate()
  }
}
