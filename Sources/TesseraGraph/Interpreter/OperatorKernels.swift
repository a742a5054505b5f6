/// The reference kernels: ONNX semantics of every operator in ``OperatorSet``, at opsets
/// ``Graph/supportedOpsets``, written as plain loops over the tensors' arrays.
///
/// They are the definition the engine and the passes are checked against (constant folding calls
/// ``evaluate(_:inputs:opset:)`` directly). Float32 results are float32 values: element-wise
/// arithmetic is exact float32 arithmetic, dot products and reductions accumulate in double
/// precision and round once. Float64 is computed in double, integer operators in integers
/// (wrapping like numpy).
///
/// For example:
/// ```swift
/// let node = Node(name: "add", op: "Add", inputs: ["a", "b"], outputs: ["c"])
/// let a = try GraphTensor(float32: [1, 2, 3, 4], shape: [2, 2])
/// let b = try GraphTensor(float32: [10, 20], shape: [2])
/// let c = try OperatorKernels.evaluate(node, inputs: [a, b], opset: 17)[0]   // [11, 22, 13, 24]
/// ```
public enum OperatorKernels {
  /// The opset in which each implemented operator's default-domain definition first appeared; an
  /// operator is available at every opset from that version on.
  static let firstOpset: [String: Int] = [
    "Gemm": 1, "MatMul": 1, "Add": 1, "Sub": 1, "Mul": 1, "Div": 1, "Conv": 1, "Relu": 1, "LeakyRelu": 1,
    "Sigmoid": 1, "Tanh": 1, "Clip": 1, "MaxPool": 1, "AveragePool": 1, "GlobalAveragePool": 1, "Flatten": 1,
    "Reshape": 1, "Transpose": 1, "Squeeze": 1, "Unsqueeze": 1, "Concat": 1, "Softmax": 1,
    "BatchNormalization": 1, "Identity": 1, "Constant": 1, "Cast": 1, "Pad": 1, "Dropout": 1, "Shape": 1,
    "Gather": 1, "Slice": 1, "Range": 11, "Expand": 8, "QuantizeLinear": 10, "DequantizeLinear": 10,
    "QLinearConv": 10, "QLinearMatMul": 10, "MatMulInteger": 10, "DynamicQuantizeLinear": 11,
    "Neg": 1, "Abs": 1, "Sqrt": 1, "Exp": 1, "Log": 1, "Reciprocal": 1, "Erf": 9, "Gelu": 20, "Pow": 1,
    "Max": 1, "Min": 1, "Equal": 1, "Less": 1, "Greater": 1, "LessOrEqual": 12, "GreaterOrEqual": 12, "Not": 1,
    "And": 1, "Or": 1, "Xor": 1, "Where": 9, "GatherElements": 11, "IsNaN": 9, "ReduceSum": 1, "ReduceMean": 1, "ReduceMax": 1, "ReduceMin": 1,
    "ReduceProd": 1, "ReduceL1": 1, "ReduceL2": 1, "ReduceSumSquare": 1, "ReduceLogSum": 1, "ReduceLogSumExp": 1,
    "LayerNormalization": 17, "LpNormalization": 1, "ConstantOfShape": 9, "Tile": 6, "Size": 1, "CastLike": 15,
    "Sum": 1, "Mean": 1,
  ]

  /// The operators these kernels implement (equal to ``OperatorSet/supported``).
  public static let implemented: Set<String> = Set(firstOpset.keys)

  /// True when `op` in `domain` has a kernel at `opset`.
  /// - Parameters:
  ///   - op: operator type.
  ///   - domain: operator domain (`""` or `ai.onnx`).
  ///   - opset: the default-domain opset.
  public static func supports(_ op: String, domain: String, opset: Int) -> Bool {
    guard OperatorSet.supports(op, domain: domain), let first = firstOpset[op] else { return false }
    return opset >= first && Graph.supportedOpsets.contains(opset)
  }

  /// Evaluates one node.
  ///
  /// - Parameters:
  ///   - node: the node (operator, attributes, output names: optional outputs such as MaxPool's
  ///     `Indices` or Dropout's `mask` are computed only when named).
  ///   - inputs: its inputs by position, nil for an omitted optional input.
  ///   - opset: the default-domain opset whose semantics apply.
  /// - Returns: the outputs by position (an unrequested optional output may be absent or a
  ///   placeholder).
  /// - Throws: ``GraphIRError/unsupportedOperator(node:op:opset:)`` for an operator without a
  ///   kernel; ``GraphIRError/invalidNode(node:op:reason:)`` naming the node and operator when the
  ///   inputs or attributes do not fit the operator (shapes, types, values, sizes over 2³¹).
  /// - Complexity: the operator's arithmetic (e.g. O(M·N·K) for MatMul), plus O(n) index
  ///   bookkeeping per output element.
  public static func evaluate(_ node: Node, inputs: [GraphTensor?], opset: Int) throws -> [GraphTensor] {
    guard supports(node.op, domain: node.domain, opset: opset) else {
      throw GraphIRError.unsupportedOperator(node: node.name, op: node.op, opset: opset)
    }
    let c = KernelContext(node: node, inputs: inputs, opset: opset)
    try c.checkInputShapes()
    switch node.op {
    case "Add": return [try arithmetic(c, .add)]
    case "Sub": return [try arithmetic(c, .sub)]
    case "Mul": return [try arithmetic(c, .mul)]
    case "Div": return [try arithmetic(c, .div)]
    case "Relu": return [try relu(c)]
    case "LeakyRelu", "Sigmoid", "Tanh": return [try floatActivation(c)]
    case "Clip": return [try clip(c)]
    case "Gemm": return [try gemm(c)]
    case "MatMul": return [try matMul(c)]
    case "MatMulInteger": return [try matMulInteger(c)]
    case "QLinearMatMul": return [try qLinearMatMul(c)]
    case "Conv": return [try conv(c)]
    case "QLinearConv": return [try qLinearConv(c)]
    case "MaxPool": return try maxPool(c)
    case "AveragePool": return [try averagePool(c)]
    case "GlobalAveragePool": return [try globalAveragePool(c)]
    case "Flatten": return [try flatten(c)]
    case "Reshape": return [try reshape(c)]
    case "Transpose": return [try transpose(c)]
    case "Squeeze": return [try squeeze(c)]
    case "Unsqueeze": return [try unsqueeze(c)]
    case "Concat": return [try concat(c)]
    case "Shape": return [try shape(c)]
    case "Expand": return [try expand(c)]
    case "Identity": return [try c.input(0, "input")]
    case "Gather": return [try gatherAxis(c)]
    case "Slice": return [try slice(c)]
    case "Range": return [try range(c)]
    case "Pad": return [try pad(c)]
    case "Softmax": return [try softmax(c)]
    case "BatchNormalization": return try batchNormalization(c)
    case "Dropout": return try dropout(c)
    case "Constant": return [try constant(c)]
    case "Cast": return [try cast(c)]
    case "QuantizeLinear": return [try quantizeLinear(c)]
    case "DequantizeLinear": return [try dequantizeLinear(c)]
    case "DynamicQuantizeLinear": return try dynamicQuantizeLinear(c)
    case "Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal", "Erf", "Gelu": return [try unaryMath(c)]
    case "Pow": return [try pow(c)]
    case "Max", "Min", "Sum", "Mean": return [try variadic(c)]
    case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual":
      return [try comparison(c, ComparisonOperator(op: node.op)!)]
    case "And", "Or", "Xor": return [try logical(c)]
    case "Not": return [try not(c)]
    case "Where": return [try whereSelect(c)]
    case "GatherElements": return [try gatherElements(c)]
    case "IsNaN": return [try isNaN(c)]
    case "LayerNormalization": return try layerNormalization(c)
    case "LpNormalization": return [try lpNormalization(c)]
    case "ConstantOfShape": return [try constantOfShape(c)]
    case "Tile": return [try tile(c)]
    case "Size": return [try size(c)]
    case "CastLike": return [try castLike(c)]
    case let op where op.hasPrefix("Reduce"): return [try reduce(c, Reduction(rawValue: op)!)]
    default: throw GraphIRError.unsupportedOperator(node: node.name, op: node.op, opset: opset)
    }
  }
}
