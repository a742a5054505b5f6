import Tessera

/// The result of `tessera schedule`: one entry per layer and totals, encoded exactly as the
/// command-line contract's `schedule` JSON (ARCHITECTURE.md):
/// `{"hardware", "layers": [{"name", "m", "n", "k", "dataflow", "mapping", "cycles",
/// "utilization", "energy_pj", "levels": [{"name", "reads", "writes", "energy_pj"}]}],
/// "total": {"cycles", "energy_pj", "latency_s"}}`. `--measure` adds `measured_gops` to
/// each layer and `--sweep` adds a top-level `sweep` object; nothing else is added.
///
/// `reads`/`writes` count element accesses (one operand value or partial sum), summed over
/// the three tensors; `energy_pj` of a layer also includes MACs, the array network and leakage.
public struct ScheduleReport: Sendable {
  /// The hardware's name.
  public var hardware: String
  /// The spec the layers were mapped onto.
  public var spec: HardwareSpec
  /// The modeled cost of each layer.
  public var costs: [LayerCost]
  /// The mapper's search statistics per layer (`nil` for fixed mappings).
  public var searches: [SearchSummary?]
  /// Measured host throughput per layer (only with `--measure`).
  public var measurements: [HostMeasurement?]
  /// The tiling sweep (only with `--sweep --measure`).
  public var sweep: SweepResult?

  /// Size and time of one mapper search.
  public struct SearchSummary: Sendable, Equatable {
    /// Legal mappings in the space searched.
    public var spaceSize: Int
    /// Mappings evaluated in full.
    public var evaluated: Int
    /// Seconds.
    public var seconds: Double

    /// Makes a summary.
    /// - Parameters:
    ///   - spaceSize: legal mappings.
    ///   - evaluated: fully evaluated.
    ///   - seconds: search time.
    public init(spaceSize: Int, evaluated: Int, seconds: Double) {
      self.spaceSize = spaceSize
      self.evaluated = evaluated
      self.seconds = seconds
    }
  }

  /// Makes a report.
  /// - Parameters:
  ///   - spec: the hardware.
  ///   - costs: one per layer.
  ///   - searches: search statistics per layer.
  ///   - measurements: measured host throughput per layer.
  ///   - sweep: a tiling sweep.
  public init(
    spec: HardwareSpec, costs: [LayerCost], searches: [SearchSummary?] = [], measurements: [HostMeasurement?] = [],
    sweep: SweepResult? = nil
  ) {
    hardware = spec.name
    self.spec = spec
    self.costs = costs
    self.searches = searches
    self.measurements = measurements
    self.sweep = sweep
  }

  /// Sum of the layers' cycles (layers run one after another).
  public var totalCycles: Int { costs.reduce(0) { $0 + $1.cycles } }
  /// Sum of the layers' energy, pJ.
  public var totalEnergyPJ: Double { costs.reduce(0) { $0 + $1.energyPJ } }
  /// Sum of the layers' latency, seconds.
  public var totalLatencySeconds: Double { costs.reduce(0) { $0 + $1.latencySeconds } }
}

extension ScheduleReport: Encodable {
  private enum Keys: String, CodingKey { case hardware, layers, total, sweep }
  private enum LayerKeys: String, CodingKey {
    case name, m, n, k, dataflow, mapping, cycles, utilization, levels
    case energyPJ = "energy_pj"
    case measuredGOPS = "measured_gops"
  }
  private enum LevelKeys: String, CodingKey {
    case name, reads, writes
    case energyPJ = "energy_pj"
  }
  private enum TotalKeys: String, CodingKey {
    case cycles
    case energyPJ = "energy_pj"
    case latencySeconds = "latency_s"
  }

  /// Encodes the contract fields (see the type's documentation).
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var root = encoder.container(keyedBy: Keys.self)
    try root.encode(hardware, forKey: .hardware)
    var layers = root.nestedUnkeyedContainer(forKey: .layers)
    for (index, cost) in costs.enumerated() {
      var layer = layers.nestedContainer(keyedBy: LayerKeys.self)
      let shape = cost.workload.shape
      try layer.encode(cost.workload.name, forKey: .name)
      try layer.encode(shape.gemmM, forKey: .m)
      try layer.encode(shape.gemmN, forKey: .n)
      try layer.encode(shape.gemmK, forKey: .k)
      try layer.encode(cost.mapping.dataflow.rawValue, forKey: .dataflow)
      try layer.encode(cost.mappingText, forKey: .mapping)
      try layer.encode(cost.cycles, forKey: .cycles)
      try layer.encode(ReportNumber.rounded(cost.utilization, decimals: 6), forKey: .utilization)
      try layer.encode(ReportNumber.rounded(cost.energyPJ), forKey: .energyPJ)
      var levels = layer.nestedUnkeyedContainer(forKey: .levels)
      for level in cost.levels {
        var entry = levels.nestedContainer(keyedBy: LevelKeys.self)
        try entry.encode(level.name, forKey: .name)
        try entry.encode(level.totalReads, forKey: .reads)
        try entry.encode(level.totalWrites, forKey: .writes)
        try entry.encode(ReportNumber.rounded(level.energyPJ), forKey: .energyPJ)
      }
      if index < measurements.count, let measured = measurements[index] {
        try layer.encode(ReportNumber.rounded(measured.gops), forKey: .measuredGOPS)
      }
    }
    var total = root.nestedContainer(keyedBy: TotalKeys.self, forKey: .total)
    try total.encode(totalCycles, forKey: .cycles)
    try total.encode(ReportNumber.rounded(totalEnergyPJ), forKey: .energyPJ)
    try total.encode(totalLatencySeconds, forKey: .latencySeconds)
    if let sweep { try root.encode(sweep, forKey: .sweep) }
  }
}
