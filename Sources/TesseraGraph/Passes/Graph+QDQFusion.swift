extension Graph {
  /// The graph with each QDQ-quantized Conv, MatMul or Gemm rewritten as one integer node.
  ///
  /// The pattern: `DequantizeLinear(x_q, x_scale, x_zp)` and `DequantizeLinear(w_q, w_scale,
  /// w_zp)` with `w_q` an int8/uint8 initializer feed a default-domain `Conv`, `MatMul` or `Gemm`
  /// (inputs 0 and 1), whose output only a `QuantizeLinear(·, y_scale, y_zp)` reads. It becomes:
  /// - Conv → `QLinearConv(x_q, x_scale, x_zp, w_q, w_scale, w_zp, y_scale, y_zp, bias?)` with the
  ///   Conv's attributes;
  /// - MatMul → `QLinearMatMul(x_q, x_scale, x_zp, w_q, w_scale, w_zp, y_scale, y_zp)`;
  /// - Gemm (transA 0, alpha 1, beta 1 when it has C) → ``TesseraOperators/qGemm`` in domain
  ///   `com.tessera`: `(x_q, x_scale, x_zp, w_q, w_scale, w_zp, bias?, y_scale, y_zp)` with
  ///   attribute `transB`, as ``QGemmReference`` defines (the weight keeps its layout).
  ///
  /// The replacement keeps the float node's name and writes the QuantizeLinear's output.
  /// Scales are positive float32 constants; x and y are per-tensor; w is per-tensor or per
  /// output channel (a 1-D scale along the DequantizeLinear's `axis`, which must be the weight's
  /// output-channel axis: 0 for Conv and for Gemm with transB, 1 for MatMul and Gemm without).
  /// An omitted zero point becomes a zero initializer (`<node>_zero_point`; uint8 for y unless
  /// opset-21 `output_dtype` says otherwise). The bias (Conv B or Gemm C with N values) may be a
  /// float32 initializer or a DequantizeLinear of an int32 initializer; it is requantized to int32
  /// with scale `x_scale · w_scale[n]` and zero point 0, rounding half to even
  /// (``QGemmReference/quantizeBias(_:xScale:wScale:)``), as `<node>_bias_q`.
  ///
  /// Anything else — an activation between the operator and QuantizeLinear, a weight that is not
  /// an initializer, another reader of the float output, a per-axis scale on another axis — keeps
  /// the float path untouched. DequantizeLinear nodes and initializers left unused are removed.
  /// - Returns: the rewritten graph.
  public func fusingQDQ() -> Graph {
    var g = self
    var index = GraphUseIndex(self)
    var removed = Set<String>()
    var released = Set<String>()
    var releasedInitializers = Set<String>()
    for q in nodes where q.op == "QuantizeLinear" {
      guard let match = QDQPattern(quantize: q, graph: g, index: &index) else { continue }
      g.nodes[match.producer] = match.replacement
      g.valueTypes[q.inputs[0]] = nil
      g.initializers.merge(match.initializers) { $1 }
      removed.insert(match.quantize)
      released.formUnion(match.released)
      releasedInitializers.formUnion(match.releasedInitializers)
    }
    g.nodes.removeAll { removed.contains($0.name) }
    return GraphRewriting.prune(g, nodes: released, initializers: releasedInitializers)
  }
}
