/// What the report reads from `tessera validate --format json` (the contract in ARCHITECTURE.md:
/// `float`/`quantized` top-1 and latency, `agreement`, `drop_points`, `bytes`, `layers`).
public struct ValidationRun: Sendable, Equatable, Decodable {
  /// Top-1 and latency of one model.
  public struct Side: Sendable, Equatable, Decodable {
    /// Top-1 accuracy in [0, 1].
    public var top1: Double
    /// Batch-1 latency, µs.
    public var latencyMicroseconds: Double?

    enum CodingKeys: String, CodingKey {
      case top1
      case latencyMicroseconds = "latency_us"
    }
  }

  /// Model file sizes.
  public struct Bytes: Sendable, Equatable, Decodable {
    /// Float model file, bytes.
    public var float: Int
    /// Quantized model file, bytes.
    public var quantized: Int
  }

  /// One layer's output error.
  public struct Layer: Sendable, Equatable, Decodable {
    /// Layer name.
    public var name: String
    /// Output SQNR of the int8 layer vs float, dB.
    public var sqnrDecibels: Double?
    /// Cosine similarity of the outputs.
    public var cosine: Double?

    enum CodingKeys: String, CodingKey {
      case name, cosine
      case sqnrDecibels = "sqnr_db"
    }
  }

  /// The float model.
  public var float: Side
  /// The quantized model.
  public var quantized: Side
  /// Fraction of samples where both predict the same class.
  public var agreement: Double?
  /// Float top-1 minus quantized top-1, percentage points.
  public var dropPoints: Double?
  /// File sizes.
  public var bytes: Bytes?
  /// Per layer.
  public var layers: [Layer]

  enum CodingKeys: String, CodingKey {
    case float, quantized, agreement, bytes, layers
    case dropPoints = "drop_points"
  }
}
