/// The analytical cost model: exact accesses per level from the loop nest, then cycles,
/// energy, utilization and roofline position (ARCHITECTURE.md, "Scheduler model").
public enum CostModel {
  /// The shape the model runs for `workload` on `spec`: arrays with `conv_lowering: im2col`
  /// (systolic arrays by default, as SCALE-Sim models them, and the host) stream the im2col
  /// GEMM of a convolution; the others keep the 7-loop convolution and its sliding-window reuse.
  /// - Parameters:
  ///   - workload: the layer. - spec: the hardware.
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
    let shape = modeled.shape
    let counter = AccessCounter(shape: shape, mapping: mapping, im2col: spec.array.convLowering == .im2col)
    let sizes = ElementSizes(spec: spec, workload: modeled, datatype: datatype)
    let pe = spec.peLevel
    let levelCount = spec.levels.count
    var reads = [[Int]](repeating: [0, 0, 0], count: levelCount)
    var writes = reads
    var noc = [0, 0, 0]
    let outputs = shape.elements(of: .output)
    let density = workload.weightDensity
    func scaled(_ tensor: TensorKind, _ n: Int) -> Int {
      tensor == .weight && spec.sparsity.compressedWeights ? Int((Double(n) * density).rounded()) : n
    }
    for (t, tensor) in TensorKind.allCases.enumerated() {
      let holders = (0..<levelCount).filter { spec.levels[$0].holds.contains(tensor) }
      for (parent, child) in zip(holders, holders.dropFirst()) {
        if child < pe {
          let fills = scaled(tensor, counter.elementFills(tensor, side: .memory(child: child)))
          if tensor == .output {
            writes[parent][t] += fills; reads[parent][t] += fills - outputs
            reads[child][t] += fills; writes[child][t] += fills - outputs
          } else {
            reads[parent][t] += fills; writes[child][t] += fills
          }
        } else {
          let union = scaled(tensor, counter.elementFills(tensor, side: .arrayUnion))
          let copies = scaled(tensor, counter.elementFills(tensor, side: .arrayCopies))
          if tensor == .output {
            writes[parent][t] += union; reads[parent][t] += union - outputs
            reads[child][t] += copies; writes[child][t] += union - outputs
            noc[t] += copies + union - outputs
          } else {
            reads[parent][t] += union; writes[child][t] += copies
            noc[t] += copies
          }
        }
      }
    }
    // Every MAC reads a weight, an input and a partial sum from the PE-local level and writes the sum.
    let macs = spec.sparsity.skipZeroWeights ? Int((Double(shape.macs) * density).rounded()) : shape.macs
    reads[pe][0] += macs; reads[pe][1] += macs; reads[pe][2] += macs; writes[pe][2] += macs

    var levels: [LevelCost] = []
    for (index, level) in spec.levels.enumerated() {
      var readBytes = 0.0, writeBytes = 0.0
      for (t, tensor) in TensorKind.allCases.enumerated() {
        readBytes += sizes.bytes(tensor, Double(reads[index][t]))
        if tensor == .output && index == 0 {
          // Final values leave at the output width; only spilled partial sums are wider.
          writeBytes += Double(min(writes[0][t], outputs) * sizes.outputBits) / 8
            + sizes.bytes(.output, Double(max(0, writes[0][t] - outputs)))
        } else {
          writeBytes += sizes.bytes(tensor, Double(writes[index][t]))
        }
      }
      let instances = Double(spec.instances(of: level))
      levels.append(LevelCost(
        name: level.name,
        reads: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, reads[index][$0]) }),
        writes: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, writes[index][$0]) }),
        readBytes: readBytes, writeBytes: writeBytes,
        energyPJ: readBytes * level.readEnergyPerByte + writeBytes * level.writeEnergyPerByte,
        bandwidthCycles: max(readBytes / (level.readBandwidth * instances), writeBytes / (level.writeBandwidth * instances))))
    }
    if spec.array.kind == .spatial {
      let bytes = TensorKind.allCases.enumerated().reduce(0.0) { $0 + sizes.bytes($1.element, Double(noc[$1.offset])) }
      levels.append(LevelCost(
        name: "NoC", reads: [:],
        writes: Dictionary(uniqueKeysWithValues: TensorKind.allCases.enumerated().map { ($1, noc[$0]) }),
        readBytes: 0, writeBytes: bytes, energyPJ: bytes * spec.array.nocEnergyPerByte, bandwidthCycles: 0))
    }
    return finish(
      mapping: mapping, workload: workload, modeled: modeled, spec: spec, datatype: datatype,
      counter: counter, levels: levels, macs: macs)
  }

  private static func finish(
    mapping: Mapping, workload: Workload, modeled: Workload, spec: HardwareSpec, datatype: Datatype,
    counter: AccessCounter, levels: [LevelCost], macs: Int
  ) -> LayerCost {
    let array = spec.array
    var steps = Double(counter.steps)
    if spec.sparsity.skipZeroWeights { steps *= workload.weightDensity }
    let computeCycles = Int((steps / Double(datatype.macsPerPEPerCycle)).rounded(.up))
    var folds = 0, fillDrain = 0
    if array.kind == .systolic, let stationary = mapping.dataflow.stationaryTensor {
      folds = counter.arrayFillEvents(stationary)
      let perFold = mapping.dataflow == .os ? array.rows + array.cols - 2 : 2 * array.rows + array.cols - 2
      fillDrain = folds * perFold
    }
    let bandwidthCycles = levels.map(\.bandwidthCycles).max() ?? 0
    let cycles = Int(max(Double(computeCycles), bandwidthCycles).rounded(.up)) + fillDrain
    let seconds = Double(cycles) / spec.clockHz
    let macEnergy = Double(macs) * datatype.macEnergyPJ
    let leakage = spec.leakageMilliwatts * 1e9 * seconds
    let energy = levels.reduce(0) { $0 + $1.energyPJ } + macEnergy + leakage
    let peakMACs = Double(array.rows * array.cols * datatype.macsPerPEPerCycle)
    let dramBytes = levels[0].readBytes + levels[0].writeBytes
    let ops = 2 * Double(macs)
    let intensity = dramBytes > 0 ? ops / dramBytes : .infinity
    let dramBandwidth = spec.levels[0].readBandwidth
    let roofline = RooflinePoint(
      operationalIntensity: intensity, peakOpsPerCycle: 2 * peakMACs, dramBytesPerCycle: dramBandwidth,
      attainableOpsPerCycle: min(2 * peakMACs, intensity * dramBandwidth),
      achievedOpsPerCycle: cycles > 0 ? ops / Double(cycles) : 0,
      bound: intensity * dramBandwidth < 2 * peakMACs ? "memory" : "compute")
    return LayerCost(
      workload: workload, modeledShape: modeled.shape, mapping: mapping,
      mappingText: mapping.describe(levelNames: spec.levels.map(\.name)), datatype: datatype, levels: levels,
      macs: macs, macEnergyPJ: macEnergy, leakageEnergyPJ: leakage, computeCycles: computeCycles,
      bandwidthCycles: bandwidthCycles, folds: folds, fillDrainCycles: fillDrain, cycles: cycles,
      utilization: cycles > 0 ? Double(macs) / (Double(cycles) * peakMACs) : 0,
      energyPJ: energy, latencySeconds: seconds, roofline: roofline)
  }
}
