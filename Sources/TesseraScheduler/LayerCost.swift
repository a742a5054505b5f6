/// Accesses and energy of one memory level (or the array network) for one layer.
public struct LevelCost: Hashable, Sendable {
  /// Level name (`DRAM`, `GLB`, …, or `NoC` for the array network).
  public var name: String
  /// Element reads per tensor (outputs count partial-sum reads).
  public var reads: [TensorKind: Int]
  /// Element writes per tensor.
  public var writes: [TensorKind: Int]
  /// Bytes read.
  public var readBytes: Double
  /// Bytes written.
  public var writeBytes: Double
  /// Access energy, pJ.
  public var energyPJ: Double
  /// Cycles this level's traffic needs at its bandwidth (reads and writes on separate ports).
  public var bandwidthCycles: Double

  /// Total element reads over tensors.
  public var totalReads: Int { reads.values.reduce(0, +) }
  /// Total element writes over tensors.
  public var totalWrites: Int { writes.values.reduce(0, +) }
}

/// Where a layer sits on the roofline of the hardware.
public struct RooflinePoint: Hashable, Sendable {
  /// Operations (2 per effective MAC) per DRAM byte.
  public var operationalIntensity: Double
  /// Peak operations per cycle of the array.
  public var peakOpsPerCycle: Double
  /// Effective DRAM bytes per cycle for this layer's read/write mix (DRAM bytes ÷ DRAM cycles,
  /// reads and writes on separate ports); the spec's read bandwidth when DRAM is not touched.
  public var dramBytesPerCycle: Double
  /// min(peak, intensity × DRAM bandwidth), operations per cycle.
  public var attainableOpsPerCycle: Double
  /// Operations per modeled cycle.
  public var achievedOpsPerCycle: Double
  /// `memory` when the DRAM roof is below the compute roof at this intensity, else `compute`.
  public var bound: String
}

/// The modeled cost of one layer under one mapping.
public struct LayerCost: Hashable, Sendable {
  /// The layer as given (before any im2col lowering).
  public var workload: Workload
  /// The shape the cost model ran on (im2col GEMM on systolic arrays).
  public var modeledShape: LayerShape
  /// The mapping.
  public var mapping: Mapping
  /// The one-line mapping with level names.
  public var mappingText: String
  /// The datatype the array computed in.
  public var datatype: Datatype
  /// Memory levels (DRAM first), then the array network for spatial arrays.
  public var levels: [LevelCost]
  /// MACs actually performed (dense MACs × weight density when zeros are skipped).
  public var macs: Int
  /// MAC energy, pJ.
  public var macEnergyPJ: Double
  /// Leakage energy over the layer's cycles, pJ.
  public var leakageEnergyPJ: Double
  /// Cycles of the PE array at full throughput (streaming only, no fill/drain).
  public var computeCycles: Int
  /// The largest memory-level bandwidth time, cycles.
  public var bandwidthCycles: Double
  /// Folds of a systolic array (loads of its stationary operand); 0 for spatial arrays.
  public var folds: Int
  /// Fill and drain of a systolic array over all folds, plus the host's kernel-invocation
  /// overhead, cycles.
  public var fillDrainCycles: Int
  /// max(compute, every level's bandwidth time) + fill/drain: SCALE-Sim's "Total Cycles"
  /// (without the initial DRAM prefetch) counted as a number of cycles.
  public var cycles: Int
  /// Effective MACs over (cycles × PEs × MACs per PE per cycle).
  public var utilization: Double
  /// Total energy: levels + network + MACs + leakage, pJ.
  public var energyPJ: Double
  /// Seconds at the spec's clock.
  public var latencySeconds: Double
  /// Roofline position.
  public var roofline: RooflinePoint

  /// Energy-delay product, pJ·s.
  public var edp: Double { energyPJ * latencySeconds }

  /// The value of `metric` (lower is better).
  /// - Parameter metric: what to minimise.
  public func value(of metric: Metric) -> Double {
    switch metric {
    case .energy: energyPJ
    case .cycles: Double(cycles)
    case .edp: edp
    }
  }
}

/// What the mapper minimises.
public enum Metric: String, Sendable, CaseIterable, Codable {
  /// Total energy.
  case energy
  /// Total cycles.
  case cycles
  /// Energy × delay.
  case edp
}
