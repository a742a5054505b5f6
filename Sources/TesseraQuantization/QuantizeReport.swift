import Tessera

/// What `tessera quantize` did: the recipe, and per layer the chosen output parameters and the
/// weight error (SQNR, and output MSE of round-to-nearest vs GPTQ on the calibration inputs).
public struct QuantizeReport: TabularReport, Sendable, Equatable {
  /// One quantized layer.
  public struct Layer: Sendable, Equatable, Encodable {
    /// Layer name.
    public var name: String
    /// Weight bit width.
    public var weightBits: Int
    /// Output activation scale.
    public var outputScale: Double
    /// Output activation zero point.
    public var outputZeroPoint: Int
    /// SQNR of the quantized weights (dB).
    public var weightSQNR: Double?
    /// Output MSE of round-to-nearest weights on the calibration inputs.
    public var rtnOutputMSE: Double?
    /// Output MSE of GPTQ weights (nil without `--gptq`).
    public var gptqOutputMSE: Double?

    enum CodingKeys: String, CodingKey {
      case name
      case weightBits = "weight_bits"
      case outputScale = "output_scale"
      case outputZeroPoint = "output_zero_point"
      case weightSQNR = "weight_sqnr_db"
      case rtnOutputMSE = "rtn_output_mse"
      case gptqOutputMSE = "gptq_output_mse"
    }
  }

  /// Float model file.
  public var model: String
  /// Int8 model file written.
  public var out: String
  /// How.
  public var recipe: QuantizationRecipe
  /// Per layer.
  public var layers: [Layer]
  /// Size of the written file.
  public var bytes: Int
  /// Top-1 on the calibration (training) samples after QAT, when QAT ran.
  public var qatTrainAccuracy: Double?

  enum CodingKeys: String, CodingKey {
    case model, out, recipe, layers, bytes
    case qatTrainAccuracy = "qat_train_top1"
  }

  /// Makes a report from the quantizer's per-layer numbers.
  /// - Parameters:
  ///   - model: float model path.
  ///   - out: output path.
  ///   - network: the quantized network.
  ///   - layerReports: the quantizer's report.
  ///   - bytes: size of the written file.
  public init(model: String, out: String, network: QuantizedNetwork, layerReports: [PostTrainingQuantizer.LayerReport], bytes: Int) {
    self.model = model
    self.out = out
    recipe = network.recipe
    self.bytes = bytes
    layers = zip(network.linearLayers, layerReports).map { l, r in
      Layer(
        name: l.name, weightBits: l.weights.grid.bits, outputScale: Double(l.output.scale),
        outputZeroPoint: Int(l.output.zeroPoint), weightSQNR: r.weightSQNR.isFinite ? ReportNumber.rounded(r.weightSQNR) : nil,
        rtnOutputMSE: r.roundToNearestMSE, gptqOutputMSE: r.gptqMSE)
    }
  }

  /// `quantized <model> → <out> (…)`.
  public var title: String? {
    "\(model) → \(out): \(recipe.method.rawValue) calibration on \(recipe.calibrationSamples) training samples, "
      + "\(recipe.layerWeightBits.isEmpty ? "\(recipe.weightBits)-bit" : "mixed-precision (per-layer)") \(recipe.perChannel ? "per-channel" : "per-tensor") weights (\(recipe.gptq ? "GPTQ" : "round-to-nearest"), "
      + "\(recipe.weightCalibration.rawValue) scales)\(recipe.qatEpochs > 0 ? ", QAT \(recipe.qatEpochs) epochs" : "")"
  }

  /// One row per layer.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    func num(_ v: Double?) -> String {
      guard let v else { return human ? "-" : "" }
      return human ? (abs(v) < 1e-3 && v != 0 ? String(format: "%.3e", v) : ReportNumber.format(v)) : ReportNumber.csv(v)
    }
    var table = ReportTable(columns: [
      .init(human ? "layer" : "name"), .init(human ? "bits" : "weight_bits", alignment: .right),
      .init(human ? "out scale" : "output_scale", alignment: .right), .init(human ? "out zp" : "output_zero_point", alignment: .right),
      .init(human ? "weight SQNR dB" : "weight_sqnr_db", alignment: .right),
      .init(human ? "RTN out MSE" : "rtn_output_mse", alignment: .right), .init(human ? "GPTQ out MSE" : "gptq_output_mse", alignment: .right),
    ])
    for l in layers {
      try? table.append([
        l.name, "\(l.weightBits)", human ? String(format: "%.4g", l.outputScale) : ReportNumber.csv(l.outputScale), "\(l.outputZeroPoint)",
        num(l.weightSQNR), num(l.rtnOutputMSE), num(l.gptqOutputMSE),
      ])
    }
    return table
  }

  /// File size and the meaning of the MSE columns.
  public var notes: [String] {
    var lines = ["wrote \(out) (\(bytes) bytes)",
                 "out MSE = mean squared error of the layer's float output, ‖X(W − Ŵ)ᵀ‖²/(rows·N), on the calibration inputs X"]
    if let qatTrainAccuracy { lines.append("QAT: fake-quantized top-1 on the training split after the last epoch \(ReportNumber.format(100 * qatTrainAccuracy)) %") }
    return lines
  }
}
