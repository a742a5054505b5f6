/// The operators of the default (ONNX) domain the IR defines, at opsets
/// ``Graph/supportedOpsets``. The reference interpreter implements every one; importers reject
/// the rest with ``GraphIRError/unsupportedOperator(node:op:opset:)``.
public enum OperatorSet {
  /// Operators with float semantics (and integer tensors where ONNX allows them).
  public static let core: Set<String> = [
    "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Conv", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
    "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze",
    "Concat", "Softmax", "BatchNormalization", "Identity", "Constant", "Cast", "Pad", "Dropout",
    "Shape", "Gather", "Slice", "Range", "Expand",
    // Transformer (BERT-style) graphs: math, comparisons and selection, reductions, normalizations.
    "Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal", "Erf", "Gelu", "Pow", "Max", "Min", "Sum", "Mean",
    "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "Where", "GatherElements", "IsNaN",
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
    "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp",
    "LayerNormalization", "LpNormalization", "ConstantOfShape", "Tile", "Size", "CastLike",
  ]
  /// Integer (quantized) operators.
  public static let quantized: Set<String> = [
    "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "MatMulInteger", "DynamicQuantizeLinear",
  ]
  /// Every supported default-domain operator.
  public static let supported: Set<String> = core.union(quantized)

  /// True when `op` in `domain` is supported (the default domain is `""` or `ai.onnx`).
  /// - Parameters:
  ///   - op: operator type.
  ///   - domain: operator domain.
  public static func supports(_ op: String, domain: String) -> Bool {
    (domain.isEmpty || domain == "ai.onnx") && supported.contains(op)
  }
}

extension Graph {
  /// True for a graph that computes in int8: it has QuantizeLinear, QLinear* or MatMulInteger
  /// nodes. DequantizeLinear of constant weights alone does not count (those weights are float
  /// once dequantized). Engines, validation and reports use this one rule.
  public var computesInInt8: Bool {
    nodes.contains { $0.op == "QuantizeLinear" || $0.op.hasPrefix("QLinear") || $0.op == "MatMulInteger" }
  }
}
