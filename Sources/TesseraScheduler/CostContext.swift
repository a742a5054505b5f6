/// The per-layer constants of the cost model and its two steps: exact element counts of a
/// mapping (``counts(_:)``), then energy and cycles from them (``summary(_:dataflow:)``). The
/// mapper calls these directly and builds a ``LayerCost`` only for the mappings it keeps.
struct CostContext {
  let spec: HardwareSpec
  let workload: Workload
  let modeled: Workload
  let datatype: Datatype
  let sizes: ElementSizes
  let outputs: Int
  let im2col: Bool
  /// (parent, child) pairs of holders per tensor.
  let boundaries: [[(parent: Int, child: Int)]]

  init(spec: HardwareSpec, workload: Workload, modeled: Workload, datatype: Datatype) {
    self.spec = spec
    self.workload = workload
    self.modeled = modeled
    self.datatype = datatype
    sizes = ElementSizes(spec: spec, workload: modeled, datatype: datatype)
    outputs = modeled.shape.elements(of: .output)
    im2col = spec.array.convLowering == .im2col
    boundaries = TensorKind.allCases.map { tensor in
      let holders = (0..<spec.levels.count).filter { spec.levels[$0].holds.contains(tensor) }
      return Array(zip(holders, holders.dropFirst())).map { (parent: $0.0, child: $0.1) }
    }
  }

  /// Element accesses of one mapping.
  struct Counts {
    var reads: [[Int]]
    var writes: [[Int]]
    var noc: [Int]
    var macs: Int
    var steps: Int
    var folds: Int
    var invocations: Int
  }

  /// Energy and time of one mapping.
  struct Summary {
    var levelBytes: [(read: Double, write: Double)]
    var levelEnergy: [Double]
    var levelCycles: [Double]
    var nocBytes: Double
    var nocEnergy: Double
    var macEnergy: Double
    var leakageEnergy: Double
    var computeCycles: Int
    var bandwidthCycles: Double
    var fillDrainCycles: Int
    var cycles: Int
    var energy: Double
    var seconds: Double
  }

  /// - Parameters:
  ///   - mapping: the mapping.
  ///   - chains: its tile chains when already built (they depend on
  ///     the tiles only, so the mapper reuses them across loop orders).
  func counts(_ mapping: Mapping, chains: [TileChain]? = nil) -> Counts {
    let shape = modeled.shape
    let counter = AccessCounter(shape: shape, mapping: mapping, im2col: im2col, chains: chains)
    let pe = spec.peLevel
    var reads = [[Int]](repeating: [0, 0, 0], count: spec.levels.count)
    var writes = reads
    var noc = [0, 0, 0]
    let compressed = spec.sparsity.compresses(workload), density = spec.sparsity.density(of: workload)
    func scaled(_ t: Int, _ n: Int) -> Int { t == 1 && compressed ? Int((Double(n) * density).rounded()) : n }
    for (t, tensor) in TensorKind.allCases.enumerated() {
      for (parent, child) in boundaries[t] {
        if child < pe {
          let fills = scaled(t, counter.elementFills(tensor, side: .memory(child: child)))
          if tensor == .output {
            writes[parent][t] += fills; reads[parent][t] += fills - outputs
            reads[child][t] += fills; writes[child][t] += fills - outputs
          } else {
            reads[parent][t] += fills; writes[child][t] += fills
          }
        } else {
          let union = scaled(t, counter.elementFills(tensor, side: .arrayUnion))
          let copies = scaled(t, counter.elementFills(tensor, side: .arrayCopies))
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
    let skipped = spec.sparsity.skipsZeros(of: workload)
    let macs = skipped ? Int((Double(shape.macs) * spec.sparsity.density(of: workload)).rounded()) : shape.macs
    reads[pe][0] += macs; reads[pe][1] += macs; reads[pe][2] += macs; writes[pe][2] += macs
    var folds = 0
    if spec.array.kind == .systolic, let stationary = mapping.dataflow.stationaryTensor {
      folds = counter.arrayFillEvents(stationary)
    }
    let invocations = spec.array.invocationOverheadCycles > 0 ? counter.invocations : 0
    return Counts(reads: reads, writes: writes, noc: noc, macs: macs, steps: counter.steps, folds: folds, invocations: invocations)
  }

  func summary(_ counts: Counts, dataflow: Dataflow) -> Summary {
    let array = spec.array
    var levelBytes: [(read: Double, write: Double)] = []
    var levelEnergy: [Double] = [], levelCycles: [Double] = []
    var energy = 0.0
    for (index, level) in spec.levels.enumerated() {
      let b = CostModel.bytes(level: index, reads: counts.reads[index], writes: counts.writes[index], sizes: sizes, outputs: outputs)
      levelBytes.append(b)
      let e = b.read * level.readEnergyPerByte + b.write * level.writeEnergyPerByte
      levelEnergy.append(e)
      energy += e
      let instances = Double(spec.instances(of: level))
      levelCycles.append(max(b.read / (level.readBandwidth * instances), b.write / (level.writeBandwidth * instances)))
    }
    var nocBytes = 0.0
    if array.kind == .spatial {
      for (t, tensor) in TensorKind.allCases.enumerated() { nocBytes += sizes.bytes(tensor, Double(counts.noc[t])) }
    }
    let nocEnergy = nocBytes * array.nocEnergyPerByte
    var steps = Double(counts.steps)
    if spec.sparsity.skipsZeros(of: workload) { steps *= spec.sparsity.density(of: workload) }
    let computeCycles = Int((steps / Double(datatype.macsPerPEPerCycle)).rounded(.up))
    var fillDrain = 0
    if array.kind == .systolic, dataflow.stationaryTensor != nil {
      fillDrain = counts.folds * (dataflow == .os ? array.rows + array.cols - 2 : 2 * array.rows + array.cols - 2)
    }
    fillDrain += Int((Double(counts.invocations) * array.invocationOverheadCycles).rounded())
    let bandwidthCycles = levelCycles.max() ?? 0
    let cycles = Int(max(Double(computeCycles), bandwidthCycles).rounded(.up)) + fillDrain
    let seconds = Double(cycles) / spec.clockHz
    let macEnergy = Double(counts.macs) * datatype.macEnergyPJ
    let leakage = spec.leakageMilliwatts * 1e9 * seconds
    energy += nocEnergy + macEnergy + leakage
    return Summary(
      levelBytes: levelBytes, levelEnergy: levelEnergy, levelCycles: levelCycles, nocBytes: nocBytes,
      nocEnergy: nocEnergy, macEnergy: macEnergy, leakageEnergy: leakage, computeCycles: computeCycles,
      bandwidthCycles: bandwidthCycles, fillDrainCycles: fillDrain, cycles: cycles, energy: energy, seconds: seconds)
  }
}
