import Tessera

/// The result of `tessera validate`: float vs int8 on held-out data.
///
/// JSON (ARCHITECTURE.md, fixed): `{"float": {"top1", "latency_us"}, "quantized": {"top1",
/// "latency_us"}, "agreement", "drop_points", "bytes": {"float", "quantized"}, "layers":
/// [{"name", "sqnr_db", "cosine"}]}`; rates are fractions in [0, 1], `drop_points` is
/// `(float top-1 − int8 top-1) × 100`.
public struct ValidationReport: TabularReport, Sendable, Equatable {
  /// Accuracy and batch-1 latency of one engine.
  public struct Side: Sendable, Equatable, Encodable {
    /// Top-1 accuracy in [0, 1].
    public var top1: Double
    /// Median batch-1 latency in microseconds.
    public var latencyMicroseconds: Double

    /// Makes a side.
    /// - Parameters:
    ///   - top1: accuracy in [0, 1].
    ///   - latencyMicroseconds: median batch-1 latency.
    public init(top1: Double, latencyMicroseconds: Double) {
      self.top1 = top1
      self.latencyMicroseconds = latencyMicroseconds
    }

    enum CodingKeys: String, CodingKey {
      case top1
      case latencyMicroseconds = "latency_us"
    }
  }

  /// Model sizes in bytes (the files on disk).
  public struct Bytes: Sendable, Equatable, Encodable {
    /// Float model file.
    public var float: Int
    /// Int8 model file.
    public var quantized: Int

    /// Makes sizes.
    /// - Parameters:
    ///   - float: float file bytes.
    ///   - quantized: int8 file bytes.
    public init(float: Int, quantized: Int) {
      self.float = float
      self.quantized = quantized
    }
  }

  /// Agreement of one layer's int8 activations with the float ones.
  public struct Layer: Sendable, Equatable, Encodable {
    /// Layer name.
    public var name: String
    /// SQNR in dB (null in JSON when infinite).
    public var sqnrDB: Double
    /// Cosine similarity.
    public var cosine: Double

    /// Makes a layer row.
    /// - Parameters:
    ///   - name: layer name.
    ///   - sqnrDB: SQNR in dB.
    ///   - cosine: cosine similarity.
    public init(name: String, sqnrDB: Double, cosine: Double) {
      self.name = name
      self.sqnrDB = sqnrDB
      self.cosine = cosine
    }

    enum CodingKeys: String, CodingKey {
      case name, cosine
      case sqnrDB = "sqnr_db"
    }

    /// Encodes non-finite SQNR as null.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      if sqnrDB.isFinite { try c.encode(ReportNumber.rounded(sqnrDB, decimals: 3), forKey: .sqnrDB) } else { try c.encodeNil(forKey: .sqnrDB) }
      try c.encode(ReportNumber.rounded(cosine, decimals: 6), forKey: .cosine)
    }
  }

  /// The float engine.
  public var float: Side
  /// The int8 engine.
  public var quantized: Side
  /// Fraction of samples whose int8 argmax equals the float argmax.
  public var agreement: Double
  /// `(float.top1 − quantized.top1) × 100`.
  public var dropPoints: Double
  /// Model file sizes.
  public var bytes: Bytes
  /// Per dense/conv layer.
  public var layers: [Layer]
  /// Samples evaluated (table notes only).
  public var samples: Int = 0
  /// Reference-check summary (table notes only; nil when not run).
  public var referenceNote: String?

  enum CodingKeys: String, CodingKey {
    case float, quantized, agreement, bytes, layers
    case dropPoints = "drop_points"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - float: float side.
  ///   - quantized: int8 side.
  ///   - agreement: argmax agreement in [0, 1].
  ///   - bytes: file sizes.
  ///   - layers: per-layer SQNR and cosine.
  public init(float: Side, quantized: Side, agreement: Double, bytes: Bytes, layers: [Layer]) {
    self.float = float
    self.quantized = quantized
    self.agreement = agreement
    self.dropPoints = (float.top1 - quantized.top1) * 100
    self.bytes = bytes
    self.layers = layers
  }

  /// `"validate: 1000 samples"` style title.
  public var title: String? { "float vs int8 on \(samples) samples" }

  /// The summary rows, then one row per layer.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    func pct(_ v: Double) -> String { human ? ReportNumber.format(100 * v, significant: 4, maxDecimals: 2) + " %" : ReportNumber.csv(v) }
    func num(_ v: Double) -> String { human ? ReportNumber.format(v, significant: 4, maxDecimals: 2) : ReportNumber.csv(v) }
    var table = ReportTable(columns: [
      .init(human ? "metric" : "metric"), .init("float", alignment: .right), .init("int8", alignment: .right),
      .init(human ? "int8 vs float" : "comparison", alignment: .right),
    ])
    try? table.append(["top-1", pct(float.top1), pct(quantized.top1), (human ? "drop " : "") + num(dropPoints) + (human ? " pts" : "")])
    try? table.append(["agreement", "", "", pct(agreement)])
    try? table.append(["latency (batch 1, µs)", num(float.latencyMicroseconds), num(quantized.latencyMicroseconds),
                       human ? ReportNumber.format(quantized.latencyMicroseconds / Swift.max(float.latencyMicroseconds, 1e-9), significant: 3) + "×" : ReportNumber.csv(quantized.latencyMicroseconds / Swift.max(float.latencyMicroseconds, 1e-9))])
    try? table.append(["model bytes", "\(bytes.float)", "\(bytes.quantized)",
                       human ? ReportNumber.format(Double(bytes.quantized) / Double(Swift.max(bytes.float, 1)), significant: 3) + "×" : ReportNumber.csv(Double(bytes.quantized) / Double(Swift.max(bytes.float, 1)))])
    for layer in layers {
      try? table.append(["layer \(layer.name)", "", "", "SQNR " + num(layer.sqnrDB) + " dB, cos " + ReportNumber.format(layer.cosine, significant: 6, maxDecimals: 6)])
    }
    return table
  }

  /// Explains the columns.
  public var notes: [String] {
    var lines = ["agreement = share of samples where the int8 and float argmax agree; SQNR/cosine compare each layer's",
                 "dequantized int8 output with the float output on the same samples."]
    if let referenceNote { lines.append(referenceNote) }
    return lines
  }

  /// Encodes the contract's JSON (rates rounded to 6 decimals).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(Side(top1: ReportNumber.rounded(float.top1, decimals: 6), latencyMicroseconds: ReportNumber.rounded(float.latencyMicroseconds, decimals: 3)), forKey: .float)
    try c.encode(Side(top1: ReportNumber.rounded(quantized.top1, decimals: 6), latencyMicroseconds: ReportNumber.rounded(quantized.latencyMicroseconds, decimals: 3)), forKey: .quantized)
    try c.encode(ReportNumber.rounded(agreement, decimals: 6), forKey: .agreement)
    try c.encode(ReportNumber.rounded(dropPoints, decimals: 4), forKey: .dropPoints)
    try c.encode(bytes, forKey: .bytes)
    try c.encode(layers, forKey: .layers)
  }
}
