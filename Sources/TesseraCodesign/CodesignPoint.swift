/// One design point of a co-design sweep: a compressed model on one hardware, with what was
/// measured and modeled. One JSON line per point (the field names are the command-line contract in
/// ARCHITECTURE.md: `model`, `weight_bits`, `sparsity`, `hardware`, `top1`, `model_bytes`,
/// `latency_s`, `energy_pj`, `area_mm2`, `host_latency_us`, `pareto`).
public struct CodesignPoint: Sendable, Equatable, Codable {
  /// The model's name (its file's base name).
  public var model: String
  /// Weight bit width of every quantized layer (2...8; activations are 8-bit).
  public var weightBits: Int
  /// The sparsity setting as written on the command line (`dense`, `magnitude:0.5`, `2:4`, `channel:0.5`, …).
  public var sparsity: String
  /// The hardware's name (a preset or a spec file's `name`).
  public var hardware: String
  /// Top-1 accuracy in [0, 1] of the compressed int8 model on the test split.
  public var top1: Double
  /// Bytes of the compressed int8 model file.
  public var modelBytes: Int
  /// Modeled latency of one inference on the hardware, in seconds.
  public var latencySeconds: Double
  /// Modeled energy of one inference on the hardware, in picojoules.
  public var energyPicojoules: Double
  /// Modeled area of the hardware, in mm².
  public var areaSquareMillimeters: Double
  /// Measured batch-1 latency of the int8 engine on this host, in microseconds (median).
  public var hostLatencyMicroseconds: Double
  /// Whether no other point of the run is at least as good in accuracy, energy, latency and area
  /// and strictly better in one.
  public var pareto: Bool

  /// Makes a point.
  public init(
    model: String, weightBits: Int, sparsity: String, hardware: String, top1: Double, modelBytes: Int,
    latencySeconds: Double, energyPicojoules: Double, areaSquareMillimeters: Double,
    hostLatencyMicroseconds: Double, pareto: Bool = false
  ) {
    self.model = model
    self.weightBits = weightBits
    self.sparsity = sparsity
    self.hardware = hardware
    self.top1 = top1
    self.modelBytes = modelBytes
    self.latencySeconds = latencySeconds
    self.energyPicojoules = energyPicojoules
    self.areaSquareMillimeters = areaSquareMillimeters
    self.hostLatencyMicroseconds = hostLatencyMicroseconds
    self.pareto = pareto
  }

  enum CodingKeys: String, CodingKey {
    case model, sparsity, hardware, top1, pareto
    case weightBits = "weight_bits"
    case modelBytes = "model_bytes"
    case latencySeconds = "latency_s"
    case energyPicojoules = "energy_pj"
    case areaSquareMillimeters = "area_mm2"
    case hostLatencyMicroseconds = "host_latency_us"
  }
}
