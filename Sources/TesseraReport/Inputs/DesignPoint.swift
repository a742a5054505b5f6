/// One co-design point as the report draws it. The command line decodes the `tessera codesign`
/// JSON lines (TesseraCodesign's `CodesignPoint`) and maps them here, so this module stays free
/// of the other Tessera modules.
public struct DesignPoint: Sendable, Equatable {
  /// Model name.
  public var model: String
  /// Weight bits.
  public var weightBits: Int
  /// Sparsity setting (`dense`, `2:4`, `magnitude:0.5`, …).
  public var sparsity: String
  /// Hardware name.
  public var hardware: String
  /// Top-1 in [0, 1].
  public var top1: Double
  /// Compressed model file, bytes.
  public var modelBytes: Int
  /// Modeled latency, seconds.
  public var latencySeconds: Double
  /// Modeled energy, pJ.
  public var energyPicojoules: Double
  /// Modeled area, mm².
  public var areaSquareMillimeters: Double
  /// Measured host latency, µs.
  public var hostLatencyMicroseconds: Double
  /// Pareto-optimal over accuracy, energy, latency and area (as the sweep computed it).
  public var pareto: Bool

  /// Makes a point.
  /// - Parameters:
  ///   - model: name.
  ///   - weightBits: bits.
  ///   - sparsity: setting.
  ///   - hardware: name.
  ///   - top1: accuracy.
  ///   - modelBytes: bytes.
  ///   - latencySeconds: seconds.
  ///   - energyPicojoules: pJ.
  ///   - areaSquareMillimeters: mm².
  ///   - hostLatencyMicroseconds: µs.
  ///   - pareto: the sweep's flag.
  public init(
    model: String, weightBits: Int, sparsity: String, hardware: String, top1: Double, modelBytes: Int,
    latencySeconds: Double, energyPicojoules: Double, areaSquareMillimeters: Double, hostLatencyMicroseconds: Double,
    pareto: Bool
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

  /// `lenet 4-bit 2:4 on edge-npu`.
  public var name: String { "\(model) \(weightBits)-bit \(sparsity) on \(hardware)" }
}
