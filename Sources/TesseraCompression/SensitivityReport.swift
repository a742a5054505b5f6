import Tessera

/// The result of ``LayerSensitivity/measure(settings:model:progress:)``; its JSON is
/// `{"model", "baseline_top1", "layers": [{"layer", "setting", "top1", "top1_drop", "sqnr_db"}]}`
/// (rates are fractions in [0, 1]; `sqnr_db` is null when the logits are unchanged).
public struct SensitivityReport: Sendable, Equatable, Codable, TabularReport {
  /// One (layer, setting) measurement.
  public struct Entry: Sendable, Equatable, Codable {
    /// Layer name.
    public var layer: String
    /// The setting (`"4-bit"`, `"pruned 50%"`).
    public var setting: String
    /// Top-1 with only this layer perturbed.
    public var top1: Double
    /// Float top-1 minus ``top1`` (a fraction; positive = worse).
    public var top1Drop: Double
    /// Output SQNR of the logits against the float logits, dB (+∞ when identical).
    public var sqnrDecibels: Double

    /// Makes an entry.
    public init(layer: String, setting: String, top1: Double, top1Drop: Double, sqnrDecibels: Double) {
      self.layer = layer
      self.setting = setting
      self.top1 = top1
      self.top1Drop = top1Drop
      self.sqnrDecibels = sqnrDecibels
    }

    enum CodingKeys: String, CodingKey {
      case layer, setting, top1
      case top1Drop = "top1_drop"
      case sqnrDecibels = "sqnr_db"
    }

    /// Decodes an entry (`sqnr_db` null = +∞).
    /// - Throws: `DecodingError` for missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      layer = try c.decode(String.self, forKey: .layer)
      setting = try c.decode(String.self, forKey: .setting)
      top1 = try c.decode(Double.self, forKey: .top1)
      top1Drop = try c.decode(Double.self, forKey: .top1Drop)
      sqnrDecibels = try c.decodeIfPresent(Double.self, forKey: .sqnrDecibels) ?? .infinity
    }

    /// Encodes an entry (a non-finite SQNR as null, which JSON can hold).
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(layer, forKey: .layer)
      try c.encode(setting, forKey: .setting)
      try c.encode(top1, forKey: .top1)
      try c.encode(top1Drop, forKey: .top1Drop)
      if sqnrDecibels.isFinite { try c.encode(ReportNumber.rounded(sqnrDecibels, decimals: 2), forKey: .sqnrDecibels) } else { try c.encodeNil(forKey: .sqnrDecibels) }
    }
  }

  /// Model name.
  public var model: String
  /// Float top-1 on the same data.
  public var baselineTop1: Double
  /// One entry per (layer, setting), layers in network order.
  public var layers: [Entry]

  /// Makes a report.
  public init(model: String, baselineTop1: Double, layers: [Entry]) {
    self.model = model
    self.baselineTop1 = baselineTop1
    self.layers = layers
  }

  enum CodingKeys: String, CodingKey {
    case model, layers
    case baselineTop1 = "baseline_top1"
  }

  /// The entry of `layer` at `setting`, if measured.
  public func entry(layer: String, setting: SensitivitySetting) -> Entry? {
    layers.first { $0.layer == layer && $0.setting == setting.description }
  }

  /// `sensitivity of <model> (float top-1 …)`.
  public var title: String? {
    "per-layer sensitivity of \(model) (float top-1 \(ReportNumber.format(100 * baselineTop1)) %; one layer perturbed at a time)"
  }

  /// One row per (layer, setting).
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    var table = ReportTable(columns: human
      ? [.init("layer"), .init("setting"), .init("top-1 %", alignment: .right), .init("drop (points)", alignment: .right), .init("SQNR dB", alignment: .right)]
      : [.init("layer"), .init("setting"), .init("top1"), .init("top1_drop"), .init("sqnr_db")])
    for e in layers {
      let sqnr = e.sqnrDecibels.isFinite ? (human ? ReportNumber.format(e.sqnrDecibels) : ReportNumber.csv(e.sqnrDecibels)) : (human ? "inf" : "")
      try? table.append(human
        ? [e.layer, e.setting, ReportNumber.format(100 * e.top1), ReportNumber.format(100 * e.top1Drop), sqnr]
        : [e.layer, e.setting, ReportNumber.csv(e.top1), ReportNumber.csv(e.top1Drop), sqnr])
    }
    return table
  }
}
