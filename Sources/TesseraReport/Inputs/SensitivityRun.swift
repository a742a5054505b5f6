/// Per-layer sensitivity as written by `tessera quantize --sensitivity-out`:
/// `{"model", "baseline_top1", "layers": [{"layer", "setting", "top1", "top1_drop", "sqnr_db"}]}`,
/// one entry per (layer, setting) with only that layer compressed.
public struct SensitivityRun: Sendable, Equatable, Decodable {
  /// One layer under one setting.
  public struct Entry: Sendable, Equatable, Decodable {
    /// Layer name.
    public var layer: String
    /// Setting (`4-bit`, `2:4`, …).
    public var setting: String
    /// Top-1 in [0, 1] with only this layer compressed.
    public var top1: Double
    /// Baseline top-1 minus `top1`, as a fraction.
    public var top1Drop: Double
    /// Output SQNR, dB.
    public var sqnrDecibels: Double?

    enum CodingKeys: String, CodingKey {
      case layer, setting, top1
      case top1Drop = "top1_drop", sqnrDecibels = "sqnr_db"
    }

    /// Makes an entry.
    /// - Parameters:
    ///   - layer: name.
    ///   - setting: setting.
    ///   - top1: accuracy.
    ///   - top1Drop: drop (fraction).
    ///   - sqnrDecibels: dB.
    public init(layer: String, setting: String, top1: Double, top1Drop: Double, sqnrDecibels: Double? = nil) {
      self.layer = layer
      self.setting = setting
      self.top1 = top1
      self.top1Drop = top1Drop
      self.sqnrDecibels = sqnrDecibels
    }
  }

  /// Model name.
  public var model: String?
  /// Top-1 of the uncompressed model.
  public var baselineTop1: Double?
  /// The entries.
  public var layers: [Entry]

  enum CodingKeys: String, CodingKey {
    case model, layers
    case baselineTop1 = "baseline_top1"
  }

  /// Makes a run.
  /// - Parameters:
  ///   - model: model name.
  ///   - baselineTop1: baseline accuracy.
  ///   - layers: entries.
  public init(model: String?, baselineTop1: Double?, layers: [Entry]) {
    self.model = model
    self.baselineTop1 = baselineTop1
    self.layers = layers
  }
}
