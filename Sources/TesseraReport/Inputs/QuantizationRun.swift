/// What the report reads from `tessera quantize --format json`: the recipe and, per layer, the
/// weight bits and weight SQNR.
public struct QuantizationRun: Sendable, Equatable, Decodable {
  /// How the model was quantized.
  public struct Recipe: Sendable, Equatable, Decodable {
    /// Activation calibration method.
    public var method: String?
    /// Weight bits.
    public var weightBits: Int?
    /// Per-channel weight scales.
    public var perChannel: Bool?
    /// Calibration samples.
    public var calibrationSamples: Int?
    /// GPTQ weights.
    public var gptq: Bool?

    enum CodingKeys: String, CodingKey {
      case method, gptq
      case weightBits = "weight_bits", perChannel = "per_channel", calibrationSamples = "calibration_samples"
    }
  }

  /// One layer.
  public struct Layer: Sendable, Equatable, Decodable {
    /// Layer name.
    public var name: String
    /// Weight bits.
    public var weightBits: Int?
    /// Weight SQNR, dB.
    public var weightSQNR: Double?
    /// Output MSE of round-to-nearest weights on the calibration inputs.
    public var rtnOutputMSE: Double?

    enum CodingKeys: String, CodingKey {
      case name
      case weightBits = "weight_bits", weightSQNR = "weight_sqnr_db", rtnOutputMSE = "rtn_output_mse"
    }
  }

  /// Float model path.
  public var model: String?
  /// Quantized model path.
  public var out: String?
  /// Quantized file size, bytes.
  public var bytes: Int?
  /// The recipe.
  public var recipe: Recipe?
  /// Per layer.
  public var layers: [Layer]
}
