import TesseraNN

/// Post-training quantization of any float graph to a QDQ graph (docs/quantization.md §12).
///
/// Every `Gemm`, `MatMul` and `Conv` with constant float32 weights becomes int8: its activation
/// input is read through `QuantizeLinear` → `DequantizeLinear` (int8, calibrated), its weights are
/// `DequantizeLinear(int8 codes, scales, axis)` (symmetric, per output channel by default), its
/// bias is `DequantizeLinear(int32 codes, s_in·s_w[n])`, and its output — after a `Relu` that alone
/// reads it, which the requantization absorbs — goes through `QuantizeLinear` →
/// `DequantizeLinear`. Every other node computes in float on the dequantized values (the *float
/// fallback*, listed in the report); shape ops and max pooling next to int8 values run on the
/// codes. A chain-shaped result lowers with ``GraphLowering/quantizedNetwork(_:)`` onto the int8
/// engine; any result runs on the reference interpreter.
///
/// Calibration runs the float graph (BatchNorm folded) on the reference interpreter and feeds the
/// same observers as ``PostTrainingQuantizer``: the recipe's method for hidden activations,
/// min-max for the model input region and for the outputs of the last layers. GPTQ works on
/// Gemm, MatMul and 2-D ungrouped convolutions; QAT is chain-only.
///
/// For example:
/// ```swift
/// let graph = try ModelFile(contentsOf: "Models/lenet.safetensors").graphIR()
/// let (qdq, report) = try GraphQuantizer(recipe: QuantizationRecipe(method: .mse))
///   .quantize(graph, samples: calibration.pixels, count: calibration.count)
/// print(report.floatNodes)   // []
/// let int8 = try GraphLowering.quantizedNetwork(qdq)
/// ```
public struct GraphQuantizer: Sendable {
  /// Model-file metadata key holding the recipe (JSON) of a quantized graph.
  public static let recipeMetadataKey = "tessera.quantization.recipe"

  /// Calibration method, weight bits, granularity, GPTQ.
  public var recipe: QuantizationRecipe
  /// GPTQ settings (used when `recipe.gptq`).
  public var gptq: GPTQ
  /// Samples per interpreter run during calibration.
  public var batchSize: Int
  /// Accumulate each layer's input Hessian even without GPTQ, for the report's RTN output MSE
  /// (costs `K²` floats per layer).
  public var collectHessians: Bool

  /// Makes a graph quantizer.
  /// - Parameters:
  ///   - recipe: what to do (`qatEpochs` is ignored).
  ///   - gptq: GPTQ block size and damping.
  ///   - batchSize: calibration batch size.
  ///   - collectHessians: report round-to-nearest output MSE per layer.
  public init(recipe: QuantizationRecipe, gptq: GPTQ = GPTQ(), batchSize: Int = 64, collectHessians: Bool = false) {
    self.recipe = recipe
    self.gptq = gptq
    self.batchSize = batchSize
    self.collectHessians = collectHessians
  }

  /// Quantizes `graph`.
  /// - Parameters:
  ///   - graph: a float graph with one float32 input `[batch, …]` (other dimensions fixed).
  ///   - samples: `count` calibration samples of the input's per-sample size, row-major, as the
  ///     graph takes them (its own normalization nodes, if any, are applied by the graph).
  ///   - count: number of samples.
  /// - Returns: the validated QDQ graph (same inputs and outputs by name) and the report.
  /// - Throws: ``QuantizationError`` for a graph with nothing to quantize or already quantized, data that does not fit,
  ///   NaN/inf activations, a bias that does not fit int32 or a layer GPTQ cannot handle;
  ///   `GraphIRError` when the graph is invalid or a node rejects its inputs.
  public func quantize(_ graph: Graph, samples: [Float], count: Int) throws -> (graph: Graph, report: GraphQuantizationReport) {
    guard !QDQGraphAnalysis.isQDQ(graph) else {
      throw QuantizationError.invalidModel("graph '\(graph.name)' is already quantized (it has QuantizeLinear/DequantizeLinear nodes); pass the float model")
    }
    let plan = GraphQuantizationPlan(graph: try Self.preparing(graph))
    guard !plan.order.isEmpty else {
      throw QuantizationError.invalidModel("graph '\(graph.name)' has no Gemm, MatMul or Conv with constant float32 weights to quantize")
    }
    let calibration = try GraphCalibration(
      plan: plan, samples: samples, count: count, batchSize: batchSize, collectHessians: collectHessians || recipe.gptq)
    let options = CalibrationOptions(method: recipe.method, percentile: recipe.percentile)
    var parameters = [String: AffineQuantization]()
    for (value, minmax) in plan.anchors {
      parameters[value] = try calibration.observers[value]!.quantization(
        minmax ? CalibrationOptions(method: .minmax) : options, symmetric: recipe.symmetricActivations && !minmax)
    }
    func resolved(_ value: String) -> AffineQuantization {
      parameters[value] ?? resolved(plan.derived[value]!)
    }
    var weights = [String: QDQRewriter.LayerWeights]()
    var layers = [GraphQuantizationReport.Layer]()
    for name in plan.order {
      let layer = plan.layers[name]!
      let input = resolved(layer.activation), output = resolved(layer.outputPoint)
      let (w, numbers) = try quantizeWeights(layer, inputScale: input.scale, hessian: calibration.hessians[name])
      weights[name] = w
      layers.append(GraphQuantizationReport.Layer(
        name: name, op: layer.node.op, weightBits: recipe.weightBits, inputScale: Double(input.scale),
        inputZeroPoint: Int(input.zeroPoint), output: layer.outputPoint, outputScale: Double(output.scale),
        outputZeroPoint: Int(output.zeroPoint), weightSQNR: numbers.sqnr.isFinite ? numbers.sqnr : nil,
        rtnOutputMSE: numbers.rtn, gptqOutputMSE: numbers.gptq))
    }
    var rewriter = QDQRewriter(plan: plan, parameters: parameters, perChannel: recipe.perChannel)
    let qdq = try rewriter.rewrite(weights: weights)
    let errors = try Self.outputErrors(
      float: plan.graph, quantized: qdq, values: layers.map(\.output), samples: samples, count: count,
      batchSize: Swift.max(1, batchSize))
    for i in layers.indices {
      guard let e = errors[layers[i].output] else { continue }
      layers[i].outputSQNR = e.sqnr.isFinite ? e.sqnr : nil
      layers[i].outputCosine = e.cosine
    }
    var used = recipe
    used.calibrationSamples = count
    used.qatEpochs = 0
    let report = GraphQuantizationReport(
      recipe: used, quantizedNodes: plan.order, floatNodes: QDQGraphAnalysis.floatNodes(in: qdq), layers: layers)
    return (qdq, report)
  }

  /// The float graph the quantizer works on: fused activations split back into `Relu`/`Clip`,
  /// types inferred (when possible), BatchNormalization folded into the Conv/Gemm before it, a
  /// constant bias `Add` after `MatMul`/`Gemm` fused into a `Gemm`.
  /// - Parameter graph: a float graph.
  /// - Throws: `GraphIRError` when the graph is invalid.
  public static func preparing(_ graph: Graph) throws -> Graph {
    var g = try graph.validate().unfusingActivations()
    g = (try? g.inferringTypes()) ?? g
    return try g.fusingBatchNorm().fusingBias().validate()
  }

  /// The single float32 input and its per-sample shape (every dimension after the first fixed).
  /// - Throws: ``QuantizationError/invalidModel(_:)`` otherwise.
  static func sampleShape(_ graph: Graph) throws -> (name: String, shape: [Int]) {
    guard graph.inputs.count == 1, let input = graph.inputs.first, input.type.elementType == .float32,
      let dims = input.type.shape, !dims.isEmpty
    else {
      throw QuantizationError.invalidModel(
        "graph '\(graph.name)': the quantizer needs one float32 input [batch, …] (inputs: \(graph.inputs.map { "\($0.name): \($0.type)" }))")
    }
    let sample = dims.dropFirst().compactMap(\.value)
    guard sample.count == dims.count - 1 else {
      throw QuantizationError.invalidModel("graph '\(graph.name)': input '\(input.name)' \(input.type) needs fixed dimensions after the batch")
    }
    return (input.name, sample)
  }

  /// One layer's int8 weights (round-to-nearest or GPTQ) and int32 bias, with the weight SQNR and
  /// the output MSEs when a Hessian is known.
  func quantizeWeights(
    _ layer: QuantizableNode, inputScale: Float, hessian: [Float]?
  ) throws -> (QDQRewriter.LayerWeights, (sqnr: Double, rtn: Double?, gptq: Double?)) {
    let name = layer.node.name, n = layer.channels, k = layer.inner
    let scales = try WeightObserver.quantization(
      weights: layer.weight, channels: n, bits: recipe.weightBits, perChannel: recipe.perChannel,
      method: recipe.weightCalibration, percentile: recipe.percentile, name: name)
    var codes = try scales.quantize(matrix: layer.weight, columns: k)
    let rtn = scales.dequantize(matrix: codes, columns: k)
    var dequantized = rtn
    var gptqMSE: Double?
    if recipe.gptq {
      guard let hessian else { throw QuantizationError.invalidArgument("layer '\(name)': no calibration Hessian for GPTQ") }
      let result = try gptq.quantize(weights: layer.weight, channels: n, hessian: hessian, quantization: scales)
      codes = result.codes
      dequantized = result.dequantized
      gptqMSE = PostTrainingQuantizer.outputMSE(layer.weight, dequantized, hessian: hessian, channels: n)
    }
    let bias = try layer.bias.map { b in
      try (0..<n).map { c -> Int32 in
        let v = (b[c] / (inputScale * scales.scales[c])).rounded(.toNearestOrEven)
        guard v.isFinite, abs(v) <= 2_147_483_520 else {
          throw QuantizationError.invalidModel(
            "layer '\(name)': bias \(b[c]) of channel \(c) does not fit int32 at scale \(inputScale * scales.scales[c])")
        }
        return Int32(v)
      }
    }
    return (
      QDQRewriter.LayerWeights(codes: codes, scales: scales, bias: bias),
      (
        QuantizationMetrics.sqnr(reference: layer.weight, approximation: dequantized),
        hessian.map { PostTrainingQuantizer.outputMSE(layer.weight, rtn, hessian: $0, channels: n) }, gptqMSE
      )
    )
  }

  /// SQNR and cosine of `values` in the QDQ graph against the float graph, on the first batch of
  /// the calibration samples.
  static func outputErrors(
    float: Graph, quantized: Graph, values: [String], samples: [Float], count: Int, batchSize: Int
  ) throws -> [String: (sqnr: Double, cosine: Double)] {
    let (input, sample) = try sampleShape(float)
    var n = Swift.min(count, batchSize)
    if case let .fixed(b)? = float.inputs[0].type.shape?.first { n = b }
    guard n <= count else { return [:] }
    let size = sample.reduce(1, *)
    let batch = try GraphTensor(float32: Array(samples[0..<(n * size)]), shape: [n] + sample)
    let wanted = Set(values)
    func capture(_ graph: Graph) throws -> [String: [Float]] {
      var seen = [String: [Float]]()
      _ = try ReferenceInterpreter(graph: graph).run([input: batch]) { node, outputs in
        for (name, tensor) in zip(node.outputs.filter { !$0.isEmpty }, outputs) where wanted.contains(name) {
          seen[name] = tensor.float32
        }
      }
      return seen
    }
    let reference = try capture(float), approximation = try capture(quantized)
    var result = [String: (sqnr: Double, cosine: Double)]()
    for v in values {
      guard let x = reference[v], let y = approximation[v], x.count == y.count else { continue }
      result[v] = (QuantizationMetrics.sqnr(reference: x, approximation: y), QuantizationMetrics.cosine(x, y))
    }
    return result
  }
}
