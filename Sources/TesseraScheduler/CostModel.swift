/// The analytical cost model: exact accesses per level from the loop nest, then cycles,
/// energy, utilization and roofline position (ARCHITECTURE.md, "Scheduler model").
public enum CostModel {
  /// The shape the model runs for `workload` on `spec`: arrays with `conv_lowering: im2col`
  /// (systolic arrays by default, as SCALE-Sim models them, and the host) stream the im2col
  /// GEMM of a convolution; the others keep the 7-loop convolution and its sliding-window reuse.
  /// - Parameters:
  ///   - workload: the layer.
  ///   - spec: the hardware.
  public static func modeledWorkload(_ workload: Workload, on spec: HardwareSpec) -> Workload {
    spec.array.convLowering == .im2col ? workload.loweredToGEMM : workload
  }

  /// Evaluates one mapping.
  /// - Parameters:
  ///   - mapping: a mapping of `modeledWorkload(workload, on: spec)`.
  ///   - workload: the layer as given.
  ///   - spec: the hardware.
  ///   - validate: check legality first (the mapper skips this for mappings it built legal).
  /// - Throws: ``SchedulerError/illegalMapping(_:)`` when `validate` is set and the mapping is illegal.
  public static func evaluate(
    _ mapping: Mapping, workload: Workload, spec: HardwareSpec, validate: Bool = true
  ) throws -> LayerCost {
    let modeled = modeledWorkload(workload, on: spec)
    if validate { try mapping.validate(spec: spec, workload: modeled) }
    let datatype = try spec.datatype(inputBits: workload.inputBits, weightBits: workload.weightBits)
    return cost(mapping, workload: workload, modeled: modeled, spec: spec, datatype: datatype)
  }

  static func cost(
    _ mapping: Mapping, workload: Workload, modeled: Workload, spec: HardwareSpec, datatype: Datatype
  ) -> LayerCost {
    let context = CostContext(spec: spec, workload: workload, modeled: modeled, datatype: datatype)
    let counts = context.counts(mapping)
    let summary = context.summary(counts, dataflow: mapping.dataflow)
    var levels: [LevelCost] = []
    for (index, level) in spec.levels.enumerated() {
      levels.append(LevelCost(
        name: level.name,
        reads: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, counts.reads[index][$0]) }),
        writes: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, counts.writes[index][$0]) }),
        readBytes: summary.levelBytes[index].read, writeBytes: summary.levelBytes[index].write,
        energyPJ: summary.levelEnergy[index], bandwidthCycles: summary.levelCycles[index]))
    }
    if spec.array.kind == .spatial {
      levels.append(LevelCost(
        name: "NoC", reads: [:],
        writes: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, counts.noc[$0]) }),
        readBytes: 0, writeBytes: summary.nocBytes, energyPJ: summary.nocEnergy, bandwidthCycles: 0))
    }
    let array = spec.array
    let peakMACs = Double(array.rows * array.cols * datatype.macsPerPEPerCycle)
    let dramBytes = summary.levelBytes[0].read + summary.levelBytes[0].write
    let ops = 2 * Double(counts.macs)
    let intensity = dramBytes > 0 ? ops / dramBytes : .infinity
    // Reads and writes use separate ports (a level's cycles are the larger of reads ÷ read
    // bandwidth and writes ÷ write bandwidth), so the roof is the bandwidth DRAM delivers for
    // this layer's read/write mix: bytes ÷ DRAM cycles. Every achieved point is then on or
    // under its roof (cycles ≥ DRAM cycles).
    let dramCycles = summary.levelCycles[0]
    let dramBandwidth = dramCycles > 0 ? dramBytes / dramCycles : spec.levels[0].readBandwidth
    let roofline = RooflinePoint(
      operationalIntensity: intensity, peakOpsPerCycle: 2 * peakMACs, dramBytesPerCycle: dramBandwidth,
      attainableOpsPerCycle: min(2 * peakMACs, intensity * dramBandwidth),
      achievedOpsPerCycle: summary.cycles > 0 ? ops / Double(summary.cycles) : 0,
      bound: intensity * dramBandwidth < 2 * peakMACs ? "memory" : "compute")
    return LayerCost(
      workload: workload, modeledShape: modeled.shape, mapping: mapping,
      mappingText: mapping.describe(levelNames: spec.levels.map(\.name)), datatype: datatype, levels: levels,
      macs: counts.macs, macEnergyPJ: summary.macEnergy, leakageEnergyPJ: summary.leakageEnergy,
      computeCycles: summary.computeCycles, bandwidthCycles: summary.bandwidthCycles, folds: counts.folds,
      fillDrainCycles: summary.fillDrainCycles, cycles: summary.cycles,
      utilization: summary.cycles > 0 ? Double(counts.macs) / (Double(summary.cycles) * peakMACs) : 0,
      energyPJ: summary.energy, latencySeconds: summary.seconds, roofline: roofline)
  }

  /// Bytes read and written at one level from its element counts (index = ``TensorKind``
  /// order): operands at the datatype's width, partial sums at `psum_bits`, except that final
  /// outputs written to DRAM (level 0) leave at the output width.
  static func bytes(level: Int, reads: [Int], writes: [Int], sizes: ElementSizes, outputs: Int) -> (read: Double, write: Double) {
    var readBytes = 0.0, writeBytes = 0.0
    for (t, tensor) in TensorKind.allCases.enumerated() {
      readBytes += sizes.bytes(tensor, Double(reads[t]))
      if tensor == .output && level == 0 {
        writeBytes += Double(min(writes[t], outputs) * sizes.outputBits) / 8
          + sizes.bytes(.output, Double(max(0, writes[t] - outputs)))
      } else {
        writeBytes += sizes.bytes(tensor, Double(writes[t]))
      }
    }
    return (readBytes, writeBytes)
  }
}
