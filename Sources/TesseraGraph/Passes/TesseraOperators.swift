/// Tessera's own operators, in domain `com.tessera`, made by the passes and understood by shape
/// inference, the reference interpreter and the engine.
///
/// **FusedConv, FusedGemm, FusedMatMul** are exactly `Conv`, `Gemm`, `MatMul` (same inputs,
/// attributes and ONNX semantics at the graph's opset) followed by an activation on the output,
/// chosen by the string attribute `activation`:
/// - `"Relu"`: `y = max(x, 0)`;
/// - `"Clip"`: `y = min(max(x, activation_min), activation_max)` with float attributes
///   `activation_min` and `activation_max` (``Graph/fusingActivations()`` writes min 0).
///
/// Without an `activation` attribute the node is the plain operator. The engine and the
/// interpreter treat `FusedX` as X followed by the activation; ``Graph/unfusingActivations()``
/// turns them back into ONNX nodes for export.
///
/// **QGemm** is an integer Gemm with requantized output, defined by ``QGemmReference``:
/// inputs `(x_q, x_scale, x_zero_point, w_q, w_scale, w_zero_point, bias?, y_scale,
/// y_zero_point)` and the integer attribute `transB` (0 or 1).
public enum TesseraOperators {
  /// The operator domain, `com.tessera`.
  public static let domain = "com.tessera"
  /// `Conv` followed by an activation.
  public static let fusedConv = "FusedConv"
  /// `Gemm` followed by an activation.
  public static let fusedGemm = "FusedGemm"
  /// `MatMul` followed by an activation.
  public static let fusedMatMul = "FusedMatMul"
  /// GELU of a float tensor: `x · Φ(x)`, with the string attribute `approximate` `"none"` (erf:
  /// `0.5·x·(1 + erf(x/√2))`) or `"tanh"` (`0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))`); made by
  /// ``Graph/fusingGelu()``, the same as ONNX's opset-20 `Gelu`.
  public static let gelu = "Gelu"
  /// A Linear layer with int8 weights and activations quantized per row at run time (the
  /// qd8-f32-qc8w family, docs/quantization.md §13): inputs `(A float [..., K], W int8 [N, K],
  /// w_scale float [N], bias float [N]?)`, output float `[..., N]`. Each row of A is quantized to
  /// uint8 with its own scale and zero point (`QD8Reference`), multiplied by W in int32 and
  /// scaled back to float: `y = (float)acc · (scale_row · w_scale[n]) + bias[n]`. An optional
  /// `activation` attribute (`"Gelu"`, `"GeluTanh"`, `"Relu"`) is applied to y.
  public static let dynamicQuantizedLinear = "DynamicQuantizedLinear"
  /// Quantized Gemm with an int32 bias and requantized int8/uint8 output (``QGemmReference``).
  public static let qGemm = "QGemm"
  /// The attribute naming a fused activation (`"Relu"` or `"Clip"`).
  public static let activationAttribute = "activation"
  /// The lower bound of a fused `Clip`.
  public static let activationMinAttribute = "activation_min"
  /// The upper bound of a fused `Clip`.
  public static let activationMaxAttribute = "activation_max"

  /// The base ONNX operator of each fused operator (`FusedConv` → `Conv`).
  public static let fusedBase: [String: String] = [fusedConv: "Conv", fusedGemm: "Gemm", fusedMatMul: "MatMul"]

  /// Every operator of the domain.
  public static let all: Set<String> = [fusedConv, fusedGemm, fusedMatMul, qGemm, gelu, dynamicQuantizedLinear]

  /// True when `op` in `domain` is a Tessera operator.
  /// - Parameters:
  ///   - op: operator type.
  ///   - domain: operator domain.
  public static func supports(_ op: String, domain: String) -> Bool { domain == Self.domain && all.contains(op) }
}
