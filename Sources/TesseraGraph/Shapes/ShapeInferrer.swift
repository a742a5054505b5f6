/// One run of shape inference over a graph: the types, constants and small integer values known
/// so far, and the fresh symbols made. ``Graph/inferringTypes()`` drives it node by node in
/// topological order; the operator rules are in the `ShapeInferrer+*.swift` files.
final class ShapeInferrer {
  /// Default-domain opset of the graph (selects attribute-vs-input forms).
  let opset: Int
  /// Types of the values known so far.
  var types: [String: TensorType] = [:]
  /// Constant tensors: initializers and `Constant` node outputs.
  var constants: [String: GraphTensor] = [:]
  /// Small integer tensors whose elements are known, possibly symbolically.
  var values: [String: KnownIntegerValue] = [:]
  /// Symbols made by this run (so a declared name can replace them).
  private(set) var freshSymbols: Set<String> = []
  private var usedSymbols: Set<String> = []
  private var freshCount: [String: Int] = [:]

  /// Seeds the state from the graph's inputs, initializers and declared types.
  /// - Parameter graph: the graph.
  init(graph: Graph) {
    opset = graph.opset
    for (name, type) in graph.valueTypes { types[name] = type }
    for info in graph.outputs { types[info.name] = info.type }
    for info in graph.inputs { types[info.name] = info.type }
    for (name, tensor) in graph.initializers {
      types[name] = tensor.type
      constants[name] = tensor
      values[name] = KnownIntegerValue(tensor)
    }
    for type in types.values {
      for case let .symbol(s) in type.shape ?? [] { usedSymbols.insert(s) }
    }
  }

  // MARK: - Access to a node's inputs

  /// The type of input `i`, when known.
  func type(_ n: Node, _ i: Int) -> TensorType? { n.input(i).flatMap { types[$0] } }
  /// The shape of input `i`, when its rank is known.
  func shape(_ n: Node, _ i: Int) -> [Dimension]? { type(n, i)?.shape }
  /// The constant tensor at input `i`, when it is one.
  func constant(_ n: Node, _ i: Int) -> GraphTensor? { n.input(i).flatMap { constants[$0] } }
  /// The known elements of the small integer tensor at input `i`.
  func value(_ n: Node, _ i: Int) -> KnownIntegerValue? { n.input(i).flatMap { values[$0] } }
  /// The integers at input `i` when every element is known and fixed.
  func ints(_ n: Node, _ i: Int) -> [Int]? {
    if let v = value(n, i)?.fixed { return v }
    return constant(n, i)?.integers
  }

  /// A new symbol for a size that depends on run-time data, named after the node
  /// (`conv1_d0`, `conv1_d1`, …).
  func fresh(_ n: Node) -> Dimension {
    var k = freshCount[n.name, default: 0]
    var name = "\(n.name)_d\(k)"
    while usedSymbols.contains(name) {
      k += 1
      name = "\(n.name)_d\(k)"
    }
    freshCount[n.name] = k + 1
    usedSymbols.insert(name)
    freshSymbols.insert(name)
    return .symbol(name)
  }

  /// The error for a node whose inputs cannot fit its operator.
  func fail(_ n: Node, _ reason: String) -> GraphIRError { .invalidNode(node: n.name, op: n.op, reason: reason) }

  /// `'x' float32[batch, 784]` for messages.
  func describe(_ n: Node, _ i: Int) -> String {
    "'\(n.input(i) ?? "")' " + (type(n, i)?.description ?? "(unknown type)")
  }

  /// A list of unknown output types for `n`.
  func unknown(_ n: Node) -> [TensorType?] { Array(repeating: nil, count: n.outputs.count) }

  /// `types` padded with nil to the node's output count.
  func outputs(_ n: Node, _ types: TensorType?...) -> [TensorType?] {
    var out = Array(types.prefix(n.outputs.count))
    while out.count < n.outputs.count { out.append(nil) }
    return out
  }

  /// An axis normalized to `0..<rank` (or `0...rank` with `inclusive`, as Flatten's); a negative
  /// axis counts from the back (`-1` is `rank - 1`).
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when out of range.
  func normalize(_ n: Node, axis: Int, rank: Int, inclusive: Bool = false) throws -> Int {
    let limit = inclusive ? rank + 1 : rank
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < limit else { throw fail(n, "axis \(axis) is out of range for rank \(rank)") }
    return a
  }

  // MARK: - Dispatch

  /// The types of `n`'s outputs (nil where unknown).
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` for inputs that certainly do not fit.
  func infer(_ n: Node) throws -> [TensorType?] {
    if n.domain == TesseraOperators.domain { return try inferTessera(n) }
    guard n.domain.isEmpty || n.domain == "ai.onnx" else { return unknown(n) }
    switch n.op {
    case "Add", "Sub", "Mul", "Div": return try elementwise(n)
    case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Identity": return outputs(n, type(n, 0))
    case "Softmax": return try softmax(n)
    case "Dropout": return dropout(n)
    case "BatchNormalization": return try batchNormalization(n)
    case "Cast": return try cast(n)
    case "Constant": return try constantNode(n)
    case "Conv": return outputs(n, try conv(n))
    case "MaxPool", "AveragePool": return try pool(n)
    case "GlobalAveragePool": return try globalPool(n)
    case "Gemm": return outputs(n, try gemm(n, a: 0, b: 1, c: 2, elementType: type(n, 0)?.elementType))
    case "MatMul": return outputs(n, try matMul(n, a: 0, b: 1, elementType: type(n, 0)?.elementType))
    case "Reshape": return try reshape(n)
    case "Flatten": return try flatten(n)
    case "Transpose": return try transpose(n)
    case "Squeeze": return try squeeze(n)
    case "Unsqueeze": return try unsqueeze(n)
    case "Concat": return try concat(n)
    case "Expand": return try expand(n)
    case "Pad": return try pad(n)
    case "Shape": return try shapeOp(n)
    case "Gather": return try gather(n)
    case "Slice": return try slice(n)
    case "Range": return try range(n)
    case "QuantizeLinear": return try quantizeLinear(n)
    case "DequantizeLinear": return try dequantizeLinear(n)
    case "QLinearConv": return try qLinearConv(n)
    case "QLinearMatMul": return try qLinearMatMul(n)
    case "MatMulInteger": return outputs(n, try matMul(n, a: 0, b: 1, elementType: .int32))
    case "DynamicQuantizeLinear": return dynamicQuantizeLinear(n)
    case "Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal", "Erf", "Gelu", "Not": return outputs(n, type(n, 0))
    case "Pow": return try pow(n)
    case "Max", "Min", "Sum", "Mean": return try variadic(n)
    case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor": return try comparison(n)
    case "Where": return try whereSelect(n)
    case "GatherElements": return [type(n, 1).map { TensorType(type(n, 0)?.elementType ?? .float32, $0.shape) }]
    case "IsNaN": return [type(n, 0).map { TensorType(.bool, $0.shape) }]
    case "LayerNormalization": return try layerNormalization(n)
    case "LpNormalization": return try lpNormalization(n)
    case "ConstantOfShape": return try constantOfShape(n)
    case "Tile": return try tile(n)
    case "Size": return outputs(n, TensorType(.int64, []))
    case "CastLike": return castLike(n)
    case let op where op.hasPrefix("Reduce"): return try reduction(n)
    default: return unknown(n)
    }
  }

  /// Tessera-domain operators: the fused forms infer as their base operator.
  private func inferTessera(_ n: Node) throws -> [TensorType?] {
    switch n.op {
    case TesseraOperators.fusedConv: return outputs(n, try conv(n))
    case TesseraOperators.fusedGemm: return outputs(n, try gemm(n, a: 0, b: 1, c: 2, elementType: type(n, 0)?.elementType))
    case TesseraOperators.fusedMatMul: return outputs(n, try matMul(n, a: 0, b: 1, elementType: type(n, 0)?.elementType))
    case TesseraOperators.qGemm: return try qGemm(n)
    case TesseraOperators.gelu: return [type(n, 0)]
    case TesseraOperators.dynamicQuantizedLinear, TesseraOperators.staticQuantizedLinear:
      guard let a = type(n, 0), let shape = a.shape, let w = type(n, 1)?.shape, w.count == 2 else { return unknown(n) }
      return [TensorType(.float32, Array(shape.dropLast()) + [w[0]])]
    default: return unknown(n)
    }
  }
}
