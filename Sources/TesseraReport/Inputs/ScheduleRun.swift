/// What the report reads from `tessera schedule --format json` (one hardware; the contract in
/// ARCHITECTURE.md). A file holding an array (several `--hardware`) gives several runs.
public struct ScheduleRun: Sendable, Equatable, Decodable {
  /// One memory level of one layer.
  public struct Level: Sendable, Equatable, Decodable {
    /// Level name (`DRAM` first).
    public var name: String
    /// Element reads.
    public var reads: Int
    /// Element writes.
    public var writes: Int
    /// Access energy, pJ.
    public var energyPicojoules: Double

    enum CodingKeys: String, CodingKey {
      case name, reads, writes
      case energyPicojoules = "energy_pj"
    }

    /// Makes a level.
    /// - Parameters:
    ///   - name: name.
    ///   - reads: element reads.
    ///   - writes: element writes.
    ///   - energyPicojoules: pJ.
    public init(name: String, reads: Int, writes: Int, energyPicojoules: Double) {
      self.name = name
      self.reads = reads
      self.writes = writes
      self.energyPicojoules = energyPicojoules
    }
  }

  /// One layer.
  public struct Layer: Sendable, Equatable, Decodable {
    /// Layer name.
    public var name: String
    /// GEMM rows.
    public var m: Int
    /// GEMM columns.
    public var n: Int
    /// GEMM depth.
    public var k: Int
    /// Dataflow (`ws`, `os`, `is`, `rs`).
    public var dataflow: String?
    /// Modeled cycles.
    public var cycles: Int
    /// Effective MACs over (cycles × peak MACs per cycle).
    public var utilization: Double
    /// Total energy (levels, network, MACs, leakage), pJ.
    public var energyPicojoules: Double
    /// Memory levels, DRAM first.
    public var levels: [Level]

    enum CodingKeys: String, CodingKey {
      case name, m, n, k, dataflow, cycles, utilization, levels
      case energyPicojoules = "energy_pj"
    }

    /// Makes a layer.
    /// - Parameters:
    ///   - name: name.
    ///   - m: rows.
    ///   - n: columns.
    ///   - k: depth.
    ///   - dataflow: dataflow.
    ///   - cycles: cycles.
    ///   - utilization: utilization.
    ///   - energyPicojoules: pJ.
    ///   - levels: DRAM first.
    public init(
      name: String, m: Int, n: Int, k: Int, dataflow: String? = nil, cycles: Int, utilization: Double, energyPicojoules: Double,
      levels: [Level]
    ) {
      self.name = name
      self.m = m
      self.n = n
      self.k = k
      self.dataflow = dataflow
      self.cycles = cycles
      self.utilization = utilization
      self.energyPicojoules = energyPicojoules
      self.levels = levels
    }

    /// Operations (2 per MAC of the dense GEMM).
    public var operations: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Energy not spent in memory levels (MACs, leakage), pJ.
    public var computeEnergyPicojoules: Double { max(0, energyPicojoules - levels.reduce(0) { $0 + $1.energyPicojoules }) }
  }

  /// Totals over the layers.
  public struct Total: Sendable, Equatable, Decodable {
    /// Cycles.
    public var cycles: Int
    /// Energy, pJ.
    public var energyPicojoules: Double
    /// Latency, seconds.
    public var latencySeconds: Double

    enum CodingKeys: String, CodingKey {
      case cycles
      case energyPicojoules = "energy_pj", latencySeconds = "latency_s"
    }

    /// Makes totals.
    /// - Parameters:
    ///   - cycles: cycles.
    ///   - energyPicojoules: pJ.
    ///   - latencySeconds: seconds.
    public init(cycles: Int, energyPicojoules: Double, latencySeconds: Double) {
      self.cycles = cycles
      self.energyPicojoules = energyPicojoules
      self.latencySeconds = latencySeconds
    }
  }

  /// Hardware name.
  public var hardware: String
  /// Layers in order.
  public var layers: [Layer]
  /// Totals.
  public var total: Total

  /// Makes a run.
  /// - Parameters:
  ///   - hardware: name.
  ///   - layers: layers.
  ///   - total: totals.
  public init(hardware: String, layers: [Layer], total: Total) {
    self.hardware = hardware
    self.layers = layers
    self.total = total
  }

  /// The clock the latency was computed at: total cycles ÷ total seconds (nil when unknown).
  public var clockHz: Double? {
    total.latencySeconds > 0 && total.cycles > 0 ? Double(total.cycles) / total.latencySeconds : nil
  }

  /// Peak operations per cycle, recovered from the busiest layer: ops ÷ (cycles × utilization).
  /// Exact for dense layers (the utilization's six decimals limit it to about 1e-6 relative).
  public var peakOpsPerCycle: Double? {
    guard let best = layers.filter({ $0.utilization > 0 && $0.cycles > 0 }).max(by: { $0.utilization < $1.utilization }) else { return nil }
    return best.operations / (Double(best.cycles) * best.utilization)
  }
}
