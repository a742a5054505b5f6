/// Consecutive layers (in topological order) run fused on one core: activations between them
/// stay in the fusion buffer as line buffers (convolutions) or whole tensors, and their weights
/// stay resident, so only the group's inputs, outputs and weights (once) touch DRAM.
public struct FusionGroup: Sendable {
  /// Indices of the layers in the network.
  public var layers: ClosedRange<Int>
  /// Each layer's cost in the group.
  public var costs: [NetworkLayerCost]
  /// Fusion-buffer bytes the group reserves: its internal activations (line buffers or whole
  /// tensors) plus its layers' weights when more than one layer is fused.
  public var reservedBytes: Double
  /// The same layers scheduled one by one (every activation through DRAM): DRAM bytes.
  public var layerByLayerDRAMBytes: Double
  /// The same layers one by one: energy, pJ.
  public var layerByLayerEnergyPJ: Double
  /// The same layers one by one: cycles.
  public var layerByLayerCycles: Int

  /// DRAM bytes of the group.
  public var dramBytes: Double { costs.reduce(0) { $0 + $1.dramBytes } }
  /// Energy of the group, pJ.
  public var energyPJ: Double { costs.reduce(0) { $0 + $1.energyPJ } }
  /// Cycles of the group (its layers run one after another, strip by strip).
  public var cycles: Int { costs.reduce(0) { $0 + $1.cycles } }

  /// The value the fusion search minimises: energy (also for `edp`, which does not add up
  /// over groups) or cycles.
  /// - Parameter metric: the mapper's metric.
  public func value(of metric: Metric) -> Double { metric == .cycles ? Double(cycles) : energyPJ }
}
