import Tessera

/// The result of `tessera schedule --network`: the layer-by-layer schedule (every existing
/// per-layer field, unchanged) plus the fusion groups on one core, the pipeline stages over the
/// spec's cores and, with `--system`, the host/accelerator partition.
///
/// JSON: the `schedule` contract's fields, and `groups: [{"layers", "reserved_bytes",
/// "dram_bytes", "energy_pj", "cycles", "layer_by_layer": {"dram_bytes", "energy_pj", "cycles"}}]`,
/// `fused_total: {"dram_bytes", "energy_pj", "cycles"}`, `layer_by_layer_total` (the same three),
/// `stages: [{"core", "layers", "cycles", "energy_pj", "dram_bytes", "send_bytes", "link_cycles"}]`,
/// `pipeline: {"cores", "period_cycles", "throughput_per_s", "latency_cycles", "latency_s",
/// "fill_cycles", "bottleneck", "energy_pj", "interconnect_energy_pj", "dram_cycles",
/// "single_core_cycles", "speedup"}` and, with a system spec, `partition` (``PartitionResult``).
public struct NetworkSchedule: Sendable {
  /// The per-layer (layer-by-layer) report on core 0.
  public var layers: ScheduleReport
  /// The network scheduled.
  public var network: NetworkGraph
  /// Fusion groups on core 0 (the whole network on one core).
  public var groups: [FusionGroup]
  /// The pipeline over the spec's cores.
  public var pipeline: PipelineSchedule?
  /// The host/accelerator split.
  public var partition: PartitionResult?

  /// Makes a report.
  /// - Parameters:
  ///   - layers: the per-layer report.
  ///   - network: the network.
  ///   - groups: fusion groups on one core.
  ///   - pipeline: the pipeline.
  ///   - partition: the host/accelerator split.
  public init(
    layers: ScheduleReport, network: NetworkGraph, groups: [FusionGroup], pipeline: PipelineSchedule? = nil,
    partition: PartitionResult? = nil
  ) {
    self.layers = layers
    self.network = network
    self.groups = groups
    self.pipeline = pipeline
    self.partition = partition
  }

  /// Fused DRAM bytes of the whole network on one core.
  public var fusedDRAMBytes: Double { groups.reduce(0) { $0 + $1.dramBytes } }
  /// Fused energy on one core, pJ.
  public var fusedEnergyPJ: Double { groups.reduce(0) { $0 + $1.energyPJ } }
  /// Fused cycles on one core.
  public var fusedCycles: Int { groups.reduce(0) { $0 + $1.cycles } }
  /// Layer-by-layer DRAM bytes.
  public var layerByLayerDRAMBytes: Double { groups.reduce(0) { $0 + $1.layerByLayerDRAMBytes } }
  /// Layer-by-layer energy, pJ.
  public var layerByLayerEnergyPJ: Double { groups.reduce(0) { $0 + $1.layerByLayerEnergyPJ } }
  /// Layer-by-layer cycles.
  public var layerByLayerCycles: Int { groups.reduce(0) { $0 + $1.layerByLayerCycles } }

  func names(_ range: ClosedRange<Int>) -> [String] { range.map { network.layers[$0].name } }
}

extension NetworkSchedule: Encodable {
  private enum Keys: String, CodingKey {
    case groups, stages, pipeline, partition
    case fusedTotal = "fused_total"
    case layerByLayerTotal = "layer_by_layer_total"
  }
  private enum GroupKeys: String, CodingKey {
    case layers, cycles
    case reservedBytes = "reserved_bytes"
    case dramBytes = "dram_bytes"
    case energyPJ = "energy_pj"
    case layerByLayer = "layer_by_layer"
  }
  private enum TotalKeys: String, CodingKey {
    case cycles
    case dramBytes = "dram_bytes"
    case energyPJ = "energy_pj"
  }
  private enum StageKeys: String, CodingKey {
    case core, layers, cycles, groups
    case energyPJ = "energy_pj"
    case dramBytes = "dram_bytes"
    case sendBytes = "send_bytes"
    case linkCycles = "link_cycles"
  }
  private enum PipelineKeys: String, CodingKey {
    case cores, bottleneck, speedup
    case periodCycles = "period_cycles"
    case throughput = "throughput_per_s"
    case latencyCycles = "latency_cycles"
    case latencySeconds = "latency_s"
    case fillCycles = "fill_cycles"
    case energyPJ = "energy_pj"
    case interconnectEnergyPJ = "interconnect_energy_pj"
    case dramCycles = "dram_cycles"
    case singleCoreCycles = "single_core_cycles"
  }

  /// Encodes the `schedule` contract's fields, then `groups`, the totals, `stages`, `pipeline`
  /// and `partition` (see the type's documentation).
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    try layers.encode(to: encoder)
    var root = encoder.container(keyedBy: Keys.self)
    var list = root.nestedUnkeyedContainer(forKey: .groups)
    for group in groups {
      var entry = list.nestedContainer(keyedBy: GroupKeys.self)
      try entry.encode(names(group.layers), forKey: .layers)
      try entry.encode(ReportNumber.rounded(group.reservedBytes), forKey: .reservedBytes)
      try entry.encode(ReportNumber.rounded(group.dramBytes), forKey: .dramBytes)
      try entry.encode(ReportNumber.rounded(group.energyPJ), forKey: .energyPJ)
      try entry.encode(group.cycles, forKey: .cycles)
      var alone = entry.nestedContainer(keyedBy: TotalKeys.self, forKey: .layerByLayer)
      try alone.encode(ReportNumber.rounded(group.layerByLayerDRAMBytes), forKey: .dramBytes)
      try alone.encode(ReportNumber.rounded(group.layerByLayerEnergyPJ), forKey: .energyPJ)
      try alone.encode(group.layerByLayerCycles, forKey: .cycles)
    }
    var fused = root.nestedContainer(keyedBy: TotalKeys.self, forKey: .fusedTotal)
    try fused.encode(ReportNumber.rounded(fusedDRAMBytes), forKey: .dramBytes)
    try fused.encode(ReportNumber.rounded(fusedEnergyPJ), forKey: .energyPJ)
    try fused.encode(fusedCycles, forKey: .cycles)
    var alone = root.nestedContainer(keyedBy: TotalKeys.self, forKey: .layerByLayerTotal)
    try alone.encode(ReportNumber.rounded(layerByLayerDRAMBytes), forKey: .dramBytes)
    try alone.encode(ReportNumber.rounded(layerByLayerEnergyPJ), forKey: .energyPJ)
    try alone.encode(layerByLayerCycles, forKey: .cycles)
    if let pipeline {
      var stages = root.nestedUnkeyedContainer(forKey: .stages)
      for stage in pipeline.stages {
        var entry = stages.nestedContainer(keyedBy: StageKeys.self)
        try entry.encode(stage.coreName, forKey: .core)
        try entry.encode(names(stage.layers), forKey: .layers)
        try entry.encode(stage.groups.map { names($0.layers) }, forKey: .groups)
        try entry.encode(stage.cycles, forKey: .cycles)
        try entry.encode(ReportNumber.rounded(stage.energyPJ), forKey: .energyPJ)
        try entry.encode(ReportNumber.rounded(stage.dramBytes), forKey: .dramBytes)
        try entry.encode(ReportNumber.rounded(stage.sendBytes), forKey: .sendBytes)
        try entry.encode(ReportNumber.rounded(stage.linkCycles), forKey: .linkCycles)
      }
      var summary = root.nestedContainer(keyedBy: PipelineKeys.self, forKey: .pipeline)
      try summary.encode(pipeline.stages.count, forKey: .cores)
      try summary.encode(ReportNumber.rounded(pipeline.periodCycles), forKey: .periodCycles)
      try summary.encode(ReportNumber.rounded(pipeline.throughputPerSecond), forKey: .throughput)
      try summary.encode(ReportNumber.rounded(pipeline.latencyCycles), forKey: .latencyCycles)
      try summary.encode(pipeline.latencySeconds, forKey: .latencySeconds)
      try summary.encode(ReportNumber.rounded(pipeline.fillCycles), forKey: .fillCycles)
      try summary.encode(pipeline.bottleneck, forKey: .bottleneck)
      try summary.encode(ReportNumber.rounded(pipeline.energyPJ), forKey: .energyPJ)
      try summary.encode(ReportNumber.rounded(pipeline.interconnectEnergyPJ), forKey: .interconnectEnergyPJ)
      try summary.encode(ReportNumber.rounded(pipeline.dramCycles), forKey: .dramCycles)
      try summary.encode(fusedCycles, forKey: .singleCoreCycles)
      let speedup = pipeline.periodCycles > 0 ? Double(fusedCycles) / pipeline.periodCycles : 0
      try summary.encode(ReportNumber.rounded(speedup, decimals: 4), forKey: .speedup)
    }
    if let partition { try root.encode(partition, forKey: .partition) }
  }
}

extension NetworkSchedule: TabularReport {
  /// One row per fusion group (fused against layer by layer), then one per pipeline stage.
  /// - Parameter format: `.table` or `.csv`.
  public func table(for format: ReportFormat) -> ReportTable {
    let plain = format == .csv
    func num(_ v: Double) -> String { plain ? ReportNumber.csv(ReportNumber.rounded(v)) : ReportNumber.format(v, significant: 4, maxDecimals: 1) }
    let right = ReportTable.Alignment.right
    var table = ReportTable(columns: [
      .init("kind"), .init("layers"), .init("core"), .init("dram_bytes", alignment: right),
      .init("lbl_dram_bytes", alignment: right), .init("energy_pj", alignment: right),
      .init("lbl_energy_pj", alignment: right), .init("cycles", alignment: right), .init("lbl_cycles", alignment: right),
    ])
    for group in groups {
      try? table.append([
        "group", names(group.layers).joined(separator: "+"), layers.spec.coreSpecs[0].name, num(group.dramBytes),
        num(group.layerByLayerDRAMBytes), num(group.energyPJ), num(group.layerByLayerEnergyPJ), "\(group.cycles)",
        "\(group.layerByLayerCycles)",
      ])
    }
    try? table.append([
      "total", "fused", "", num(fusedDRAMBytes), num(layerByLayerDRAMBytes), num(fusedEnergyPJ),
      num(layerByLayerEnergyPJ), "\(fusedCycles)", "\(layerByLayerCycles)",
    ])
    for stage in pipeline?.stages ?? [] {
      try? table.append([
        "stage", stage.groups.map { names($0.layers).joined(separator: "+") }.joined(separator: " | "), stage.coreName,
        num(stage.dramBytes), "", num(stage.energyPJ), "", "\(stage.cycles)", "",
      ])
    }
    return table
  }

  /// The title above the table.
  public var title: String? { "network \(network.name) on \(layers.hardware): fusion groups (lbl = layer by layer) and pipeline stages" }

  /// Pipeline and partition summaries.
  public var notes: [String] {
    var lines: [String] = []
    if let p = pipeline {
      let speedup = p.periodCycles > 0 ? Double(fusedCycles) / p.periodCycles : 0
      lines.append(
        "pipeline: \(p.stages.count) stage(s), period \(ReportNumber.format(p.periodCycles)) cycles (bottleneck \(p.bottleneck)), "
          + "\(ReportNumber.format(p.throughputPerSecond)) inferences/s, latency \(ReportNumber.format(p.latencyCycles)) cycles, "
          + "fill \(ReportNumber.format(p.fillCycles)) cycles; \(ReportNumber.format(speedup))× the fused single core's throughput")
    }
    if let partition { lines += partition.summaryLines }
    return lines
  }
}
