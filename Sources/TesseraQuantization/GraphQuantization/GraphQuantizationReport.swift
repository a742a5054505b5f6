import Tessera
import TesseraNN

/// What ``GraphQuantizer`` did: which nodes became int8, which run in float (the float
/// fallback), and per quantized layer the chosen parameters and the errors they cause.
///
/// JSON: `{"model", "out", "recipe", "quantized_nodes": [names], "float_nodes": [{"name", "op"}],
/// "layers": [{"name", "op", "weight_bits", "input_scale", "input_zero_point", "output",
/// "output_scale", "output_zero_point", "weight_sqnr_db", "output_sqnr_db", "output_cosine",
/// "rtn_output_mse", "gptq_output_mse"}], "bytes"}`.
public struct GraphQuantizationReport: TabularReport, Sendable, Equatable {
  /// One quantized Gemm, MatMul or Conv.
  public struct Layer: Sendable, Equatable, Encodable {
    /// Node name.
    public var name: String
    /// Operator (`Gemm`, `MatMul`, `Conv`).
    public var op: String
    /// Weight bit width.
    public var weightBits: Int
    /// Input activation scale.
    public var inputScale: Double
    /// Input activation zero point.
    public var inputZeroPoint: Int
    /// The value quantized after the layer (its output, or the output of a folded Relu).
    public var output: String
    /// Output activation scale.
    public var outputScale: Double
    /// Output activation zero point.
    public var outputZeroPoint: Int
    /// SQNR of the quantized weights against the float weights (dB; nil when exact).
    public var weightSQNR: Double?
    /// SQNR of the QDQ graph's dequantized output against the float graph's, on the first
    /// calibration batch (dB; nil when exact). Errors of earlier layers accumulate into it.
    public var outputSQNR: Double?
    /// Cosine similarity of the same two tensors.
    public var outputCosine: Double?
    /// Output MSE of round-to-nearest weights on the calibration inputs (nil without Hessians).
    public var rtnOutputMSE: Double?
    /// Output MSE of GPTQ weights (nil without GPTQ).
    public var gptqOutputMSE: Double?

    enum CodingKeys: String, CodingKey {
      case name, op, output
      case weightBits = "weight_bits"
      case inputScale = "input_scale"
      case inputZeroPoint = "input_zero_point"
      case outputScale = "output_scale"
      case outputZeroPoint = "output_zero_point"
      case weightSQNR = "weight_sqnr_db"
      case outputSQNR = "output_sqnr_db"
      case outputCosine = "output_cosine"
      case rtnOutputMSE = "rtn_output_mse"
      case gptqOutputMSE = "gptq_output_mse"
    }
  }

  /// The float model file (set by the command line).
  public var model: String?
  /// The file written (set by the command line).
  public var out: String?
  /// How.
  public var recipe: QuantizationRecipe
  /// Names of the nodes computed in int8, in graph order.
  public var quantizedNodes: [String]
  /// Nodes that compute in float in the QDQ graph (``QDQGraphAnalysis/floatNodes(in:)``).
  public var floatNodes: [QDQGraphAnalysis.FloatNode]
  /// Per quantized layer.
  public var layers: [Layer]
  /// Size of the written file (set by the command line).
  public var bytes: Int?

  enum CodingKeys: String, CodingKey {
    case model, out, recipe, layers, bytes
    case quantizedNodes = "quantized_nodes"
    case floatNodes = "float_nodes"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - recipe: the recipe used (with the calibration sample count).
  ///   - quantizedNodes: int8 nodes.
  ///   - floatNodes: float-fallback nodes.
  ///   - layers: per-layer numbers.
  public init(recipe: QuantizationRecipe, quantizedNodes: [String], floatNodes: [QDQGraphAnalysis.FloatNode], layers: [Layer]) {
    self.recipe = recipe
    self.quantizedNodes = quantizedNodes
    self.floatNodes = floatNodes
    self.layers = layers
  }

  /// `model → out: recipe`.
  public var title: String? {
    let what = [model, out].compactMap { $0 }.joined(separator: " → ")
    return (what.isEmpty ? "" : what + ": ")
      + "graph quantized to QDQ, \(recipe.method.rawValue) calibration on \(recipe.calibrationSamples) samples, "
      + "\(recipe.weightBits)-bit \(recipe.perChannel ? "per-channel" : "per-tensor") weights "
      + "(\(recipe.gptq ? "GPTQ" : "round-to-nearest"), \(recipe.weightCalibration.rawValue) scales)"
  }

  /// One row per quantized layer.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    func num(_ v: Double?) -> String {
      guard let v else { return human ? "-" : "" }
      return human ? (abs(v) < 1e-3 && v != 0 ? String(format: "%.3e", v) : ReportNumber.format(v)) : ReportNumber.csv(v)
    }
    func scale(_ v: Double) -> String { human ? String(format: "%.4g", v) : ReportNumber.csv(v) }
    var table = ReportTable(columns: [
      .init(human ? "layer" : "name"), .init("op"), .init(human ? "bits" : "weight_bits", alignment: .right),
      .init(human ? "in scale" : "input_scale", alignment: .right), .init(human ? "in zp" : "input_zero_point", alignment: .right),
      .init(human ? "out scale" : "output_scale", alignment: .right), .init(human ? "out zp" : "output_zero_point", alignment: .right),
      .init(human ? "weight SQNR dB" : "weight_sqnr_db", alignment: .right),
      .init(human ? "out SQNR dB" : "output_sqnr_db", alignment: .right), .init(human ? "out cosine" : "output_cosine", alignment: .right),
      .init(human ? "RTN out MSE" : "rtn_output_mse", alignment: .right), .init(human ? "GPTQ out MSE" : "gptq_output_mse", alignment: .right),
    ])
    for l in layers {
      try? table.append([
        l.name, l.op, "\(l.weightBits)", scale(l.inputScale), "\(l.inputZeroPoint)", scale(l.outputScale), "\(l.outputZeroPoint)",
        num(l.weightSQNR), num(l.outputSQNR), l.outputCosine.map { human ? String(format: "%.5f", $0) : ReportNumber.csv($0) } ?? (human ? "-" : ""),
        num(l.rtnOutputMSE), num(l.gptqOutputMSE),
      ])
    }
    return table
  }

  /// The float-fallback nodes and the file written.
  public var notes: [String] {
    var lines = ["int8: \(quantizedNodes.count) nodes (\(quantizedNodes.joined(separator: ", ")))"]
    if floatNodes.isEmpty {
      lines.append("float fallback: none")
    } else {
      lines.append("float fallback: \(floatNodes.count) nodes (\(floatNodes.map { "\($0.name) \($0.op)" }.joined(separator: ", ")))")
    }
    lines.append("out SQNR/cosine: QDQ graph vs float graph at each layer's output on the first calibration batch")
    if let out { lines.append("wrote \(out)\(bytes.map { " (\($0) bytes)" } ?? "")") }
    return lines
  }
}
