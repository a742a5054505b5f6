/// One dataflow's depth-first search with branch and bound (see ``Mapper``).
final class MapperSearch {
  let spec: HardwareSpec
  let workload: Workload
  let modeled: Workload
  let shape: LayerShape
  let datatype: Datatype
  let dataflow: Dataflow
  let metric: Metric
  let branchAndBound: Bool
  let fixedPETile: [Int]?
  let untiled: Set<ProblemDim>
  let fixedInnermostOrder: LoopOrder?
  let maximalOnly: Bool
  let context: CostContext
  let sizes: ElementSizes
  let levelCount: Int
  let peLevel: Int
  /// Holders of each tensor's previous level, indexed [tensor][child level] (−1 = not held).
  let parentOf: [[Int]]
  /// Energy every mapping pays at the PE level for MAC operands, plus the MACs.
  let constantEnergy: Double
  /// Lower bound of each boundary's energy (each element crosses it once), by child level.
  let compulsoryEnergy: [Double]

  private var bestMapping: Mapping?
  /// The best mapping's full cost (built once, after the search).
  var best: LayerCost? {
    bestMapping.map { CostModel.cost($0, workload: workload, modeled: modeled, spec: spec, datatype: datatype) }
  }
  private var bestValue = Double.infinity
  /// Tie-breaker of the best mapping: energy when minimising cycles or EDP, cycles when minimising energy.
  private var bestTie = Double.infinity
  private var bestMemory = Double.infinity
  private(set) var evaluated = 0
  /// Every evaluated cost, when collecting (for sweeps); `nil` otherwise.
  var collected: [LayerCost]?
  private(set) var space = 0

  // State of the current branch.
  private var spatialRows: [Int] = []
  private var spatialCols: [Int] = []
  private var peTile: [Int] = []
  private var block: [Int] = []
  private var computeCyclesLB = 0.0
  private var fillDrainLB = 0.0
  private var countMemo: [[Int]: Int] = [:]

  init(spec: HardwareSpec, workload: Workload, datatype: Datatype, dataflow: Dataflow, options: MapperOptions) {
    self.spec = spec
    self.workload = workload
    modeled = CostModel.modeledWorkload(workload, on: spec)
    shape = modeled.shape
    self.datatype = datatype
    self.dataflow = dataflow
    metric = options.metric
    branchAndBound = options.branchAndBound
    untiled = options.untiledDims
    fixedInnermostOrder = options.innermostOrder
    maximalOnly = options.maximalOnly
    context = CostContext(spec: spec, workload: workload, modeled: modeled, datatype: datatype)
    fixedPETile = options.peTile.map { tile in ProblemDim.allCases.map { min(tile[$0.rawValue], workload.shape[$0]) } }
    sizes = ElementSizes(spec: spec, workload: modeled, datatype: datatype)
    levelCount = spec.levels.count
    peLevel = levelCount - 1
    var parents = [[Int]](repeating: [Int](repeating: -1, count: levelCount), count: 3)
    for (t, tensor) in TensorKind.allCases.enumerated() {
      var last = 0
      for level in 1..<levelCount where spec.levels[level].holds.contains(tensor) {
        parents[t][level] = last
        last = level
      }
    }
    parentOf = parents
    let macs = spec.sparsity.skipsZeros(of: workload) ? (Double(shape.macs) * spec.sparsity.density(of: workload)).rounded() : Double(shape.macs)
    let peLevelSpec = spec.levels[peLevel]
    constantEnergy = macs * datatype.macEnergyPJ
      + (sizes.bytes(.input, macs) + sizes.bytes(.weight, macs) + sizes.bytes(.output, macs)) * peLevelSpec.readEnergyPerByte
      + sizes.bytes(.output, macs) * peLevelSpec.writeEnergyPerByte
    var compulsory = [Double](repeating: 0, count: levelCount)
    for (t, tensor) in TensorKind.allCases.enumerated() {
      for child in 1..<levelCount where parents[t][child] >= 0 {
        compulsory[child] += Self.boundary(
          tensor, fills: shape.elements(of: tensor), parent: parents[t][child], child: child,
          spec: spec, sizes: sizes, outputs: shape.elements(of: .output), density: spec.sparsity.compresses(workload) ? spec.sparsity.density(of: workload) : 1).energy
      }
    }
    compulsoryEnergy = compulsory
  }

  /// Energy and bytes of one tensor crossing one boundary `fills` elements' worth.
  static func boundary(
    _ tensor: TensorKind, fills rawFills: Int, parent: Int, child: Int, spec: HardwareSpec,
    sizes: ElementSizes, outputs: Int, density: Double
  ) -> (energy: Double, parentBytes: (read: Double, write: Double), childBytes: (read: Double, write: Double)) {
    let fills = tensor == .weight && spec.sparsity.compressedWeights ? (Double(rawFills) * density).rounded() : Double(rawFills)
    let p = spec.levels[parent], c = spec.levels[child]
    var parentRead = 0.0, parentWrite = 0.0, childRead = 0.0, childWrite = 0.0
    if tensor == .output {
      let back = sizes.bytes(.output, fills - Double(outputs))
      parentWrite = parent == 0
        ? Double(min(Int(fills), outputs) * sizes.outputBits) / 8 + sizes.bytes(.output, max(0, fills - Double(outputs)))
        : sizes.bytes(.output, fills)
      parentRead = back
      childRead = sizes.bytes(.output, fills)
      childWrite = back
    } else {
      parentRead = sizes.bytes(tensor, fills)
      childWrite = parentRead
    }
    let energy = parentRead * p.readEnergyPerByte + parentWrite * p.writeEnergyPerByte
      + childRead * c.readEnergyPerByte + childWrite * c.writeEnergyPerByte
    return (energy, (parentRead, parentWrite), (childRead, childWrite))
  }

  func run() {
    let spatial = MapperCandidates.spatialChoices(dataflow, shape: shape, array: spec.array, maximalOnly: maximalOnly)
    for choice in spatial {
      spatialRows = choice.rows
      spatialCols = choice.cols
      for tile in peTiles() {
        peTile = tile
        block = ProblemDim.allCases.map { min(shape[$0], tile[$0.rawValue] * choice.rows[$0.rawValue] * choice.cols[$0.rawValue]) }
        // Every PE along a dimension must get work somewhere: no more PEs than PE tiles.
        if ProblemDim.allCases.contains(where: { choice.rows[$0.rawValue] * choice.cols[$0.rawValue] > (shape[$0] + tile[$0.rawValue] - 1) / tile[$0.rawValue] }) {
          continue
        }
        computeBranchBounds()
        countMemo.removeAll(keepingCapacity: true)
        if branchAndBound,
          cannotImprove(lowerBound(energy: constantEnergy + compulsoryEnergy.reduce(0, +), levelBytes: [Double](repeating: 0, count: levelCount * 2)))
        {
          space += countLeaves(level: 1, tiles: [shape.bounds])
          continue
        }
        descend(level: 1, tiles: [shape.bounds], orders: [], knownEnergy: 0, levelBytes: [Double](repeating: 0, count: levelCount * 2))
      }
    }
  }

  /// PE tiles: one value on systolic arrays; otherwise every tile of divisors that fits the PE storage.
  private func peTiles() -> [[Int]] {
    let ones = [Int](repeating: 1, count: ProblemDim.count)
    if spec.array.kind == .systolic { return [ones] }
    if let fixedPETile {
      let level = spec.levels[peLevel]
      return level.fits(footprintBytes(fixedPETile, level: level)) ? [fixedPETile] : []
    }
    var extents = ProblemDim.allCases.map { MapperCandidates.divisors(shape[$0]) }
    if dataflow == .rs {
      extents[ProblemDim.r.rawValue] = [1]
      extents[ProblemDim.p.rawValue] = [1]
      extents[ProblemDim.s.rawValue] = [shape[.s]]
    }
    let level = spec.levels[peLevel]
    let fits = { (tile: [Int]) in level.fits(self.footprintBytes(tile, level: level)) }
    return MapperCandidates.tiles(extents, fits: fits)
  }

  private func footprintBytes(_ tile: [Int], level: MemoryLevel) -> [TensorKind: Double] {
    var bytes: [TensorKind: Double] = [:]
    for tensor in level.holds {
      bytes[tensor] = sizes.storedBytes(tensor, Double(shape.footprint(of: tensor, extents: tile)))
    }
    return bytes
  }

  /// Compute-cycle and fill/drain lower bounds of the current spatial choice and PE tile:
  /// the fewest spatial blocks (every shared tile = the whole layer).
  private func computeBranchBounds() {
    var steps = 1.0, folds = 1.0
    let stationary = dataflow.stationaryTensor
    for dim in ProblemDim.allCases {
      let chain = TileChain(sizes: [shape[dim], block[dim.rawValue], peTile[dim.rawValue]])
      steps *= Double(chain.sum(at: 1) { min(self.peTile[dim.rawValue], $0) })
      if let stationary, stationary.depends(on: dim) { folds *= Double(chain.count(at: 1)) }
    }
    if spec.sparsity.skipsZeros(of: workload) { steps *= spec.sparsity.density(of: workload) }
    computeCyclesLB = (steps / Double(datatype.macsPerPEPerCycle)).rounded(.up)
    fillDrainLB = 0
    if spec.array.kind == .systolic, stationary != nil {
      let a = spec.array
      fillDrainLB = folds * Double(dataflow == .os ? a.rows + a.cols - 2 : 2 * a.rows + a.cols - 2)
    }
  }

  /// Whether a subtree whose bounds are (`value`, `tie`) cannot beat the best mapping.
  private func cannotImprove(_ bound: (value: Double, tie: Double)) -> Bool {
    bound.value > bestValue || (bound.value == bestValue && bound.tie > bestTie)
  }

  private func lowerBound(energy: Double, levelBytes: [Double]) -> (value: Double, tie: Double) {
    var bandwidth = 0.0
    for (index, level) in spec.levels.enumerated() {
      let instances = Double(spec.instances(of: level))
      bandwidth = max(bandwidth, levelBytes[2 * index] / (level.readBandwidth * instances),
        levelBytes[2 * index + 1] / (level.writeBandwidth * instances))
    }
    let cycles = max(computeCyclesLB, bandwidth.rounded(.up)) + fillDrainLB
    switch metric {
    case .energy: return (energy, cycles)
    case .cycles: return (cycles, energy)
    case .edp: return (energy * cycles / spec.clockHz, energy)
    }
  }

  /// Chooses the tile of shared level `level` and the order of the loops above it.
  private func descend(level: Int, tiles: [[Int]], orders: [LoopOrder], knownEnergy: Double, levelBytes: [Double]) {
    if level == peLevel {
      finishLeaf(tiles: tiles, orders: orders)
      return
    }
    let parent = tiles[level - 1]
    let memory = spec.levels[level]
    let extents = sharedExtents(tiles: tiles)
    let candidates = MapperCandidates.tiles(extents) { memory.fits(self.footprintBytes($0, level: memory)) }
    for tile in candidates {
      let nontrivial = MapperCandidates.nontrivialGroups(outer: parent, inner: tile)
      var nextTiles = tiles
      nextTiles.append(tile)
      var chains: [TileChain]?  // depend on the tiles only: shared by every order
      for order in MapperCandidates.orders(nontrivial: nontrivial, inner: nil) {
        let nextOrders = orders + [order]
        var energy = knownEnergy
        var bytes = levelBytes
        let partial = partialMapping(tiles: nextTiles, orders: nextOrders)
        if chains == nil { chains = ProblemDim.allCases.map { partial.chain($0) } }
        let counter = AccessCounter(shape: shape, mapping: partial, im2col: spec.array.convLowering == .im2col, chains: chains)
        for (t, tensor) in TensorKind.allCases.enumerated() where parentOf[t][level] >= 0 {
          let from = parentOf[t][level]
          let b = Self.boundary(
            tensor, fills: counter.elementFills(tensor, side: .memory(child: level)), parent: from, child: level,
            spec: spec, sizes: sizes, outputs: shape.elements(of: .output), density: spec.sparsity.compresses(workload) ? spec.sparsity.density(of: workload) : 1)
          energy += b.energy
          bytes[2 * from] += b.parentBytes.read; bytes[2 * from + 1] += b.parentBytes.write
          bytes[2 * level] += b.childBytes.read; bytes[2 * level + 1] += b.childBytes.write
        }
        if branchAndBound {
          let remaining = compulsoryEnergy[(level + 1)...].reduce(0, +)
          if cannotImprove(lowerBound(energy: constantEnergy + energy + remaining, levelBytes: bytes)) {
            space += countLeaves(level: level + 1, tiles: nextTiles)
            continue
          }
        }
        descend(level: level + 1, tiles: nextTiles, orders: nextOrders, knownEnergy: energy, levelBytes: bytes)
      }
    }
  }

  /// Candidate extents per dimension for the next shared level below `tiles` (the chain so
  /// far), keeping only sizes whose loops are consistent (see ``TileChain/isConsistent(from:)``),
  /// including the loop over spatial blocks below the innermost shared level.
  private func sharedExtents(tiles: [[Int]]) -> [[Int]] {
    let level = tiles.count
    let parent = tiles[level - 1]
    return ProblemDim.allCases.map { dim in
      let d = dim.rawValue
      let values = untiled.contains(dim)
        ? [parent[d]]
        : MapperCandidates.tileExtents(bound: shape[dim], block: block[d], parent: parent[d])
      let sizes = tiles.map { $0[d] }
      return values.filter { t in
        var chain = sizes + [t]
        guard TileChain(sizes: chain).isConsistent(from: level - 1) else { return false }
        guard level == peLevel - 1 else { return true }
        chain.append(min(t, peTile[d] * spatialRows[d] * spatialCols[d]))
        return TileChain(sizes: chain).isConsistent(from: level)
      }
    }
  }

  /// A mapping whose levels below the last chosen one repeat its tile (their loops are trivial).
  private func partialMapping(tiles: [[Int]], orders: [LoopOrder]) -> Mapping {
    var full = tiles
    while full.count < peLevel { full.append(tiles.last!) }
    full.append(peTile)
    var allOrders = orders
    while allOrders.count < peLevel { allOrders.append(LoopOrder.all[0]) }
    return Mapping(dataflow: dataflow, tiles: full, spatialRows: spatialRows, spatialCols: spatialCols, orders: allOrders)
  }

  /// Orders of the innermost shared level (its loops walk spatial blocks).
  private func innermostOrders(shared: [Int]) -> [LoopOrder] {
    if let fixedInnermostOrder { return [fixedInnermostOrder] }
    let nontrivial = MapperCandidates.nontrivialGroups(outer: shared, inner: block)
    let inner = dataflow.stationaryTensor.map { t in LoopGroup.allCases.first { $0.stationaryTensor == t }! }
    return MapperCandidates.orders(nontrivial: nontrivial, inner: inner)
  }

  private func finishLeaf(tiles: [[Int]], orders: [LoopOrder]) {
    let shared = tiles[peLevel - 1]
    var full = tiles
    full.append(peTile)
    var chains: [TileChain]?
    for order in innermostOrders(shared: shared) {
      space += 1
      let mapping = Mapping(
        dataflow: dataflow, tiles: full, spatialRows: spatialRows, spatialCols: spatialCols, orders: orders + [order])
      if chains == nil { chains = ProblemDim.allCases.map { mapping.chain($0) } }
      let summary = context.summary(context.counts(mapping, chains: chains), dataflow: dataflow)
      evaluated += 1
      if collected != nil {
        collected!.append(CostModel.cost(mapping, workload: workload, modeled: modeled, spec: spec, datatype: datatype))
      }
      let cycles = Double(summary.cycles)
      let (value, tie): (Double, Double)
      switch metric {
      case .energy: (value, tie) = (summary.energy, cycles)
      case .cycles: (value, tie) = (cycles, summary.energy)
      case .edp: (value, tie) = (summary.energy * summary.seconds, summary.energy)
      }
      // Last resort among equals (e.g. compute-bound host tilings, whose energy is not
      // modeled): the least total memory time, i.e. the most slack under the roof.
      let memory = summary.levelCycles.reduce(0, +)
      if value < bestValue || (value == bestValue && (tie < bestTie || (tie == bestTie && memory < bestMemory))) {
        bestValue = value
        bestTie = tie
        bestMemory = memory
        bestMapping = mapping
      }
    }
  }

  /// Legal leaves below a pruned node: the product of distinct orders over every legal
  /// tiling of the remaining levels (memoised on the parent tile).
  private func countLeaves(level: Int, tiles: [[Int]]) -> Int {
    let parent = tiles[level - 1]
    if level == peLevel { return innermostOrders(shared: parent).count }
    let key = [level] + tiles.joined()
    if let known = countMemo[key] { return known }
    let memory = spec.levels[level]
    let extents = sharedExtents(tiles: tiles)
    var total = 0
    for tile in MapperCandidates.tiles(extents, fits: { memory.fits(self.footprintBytes($0, level: memory)) }) {
      let orders = MapperCandidates.orders(nontrivial: MapperCandidates.nontrivialGroups(outer: parent, inner: tile), inner: nil).count
      total += orders * countLeaves(level: level + 1, tiles: tiles + [tile])
    }
    countMemo[key] = total
    return total
  }
}
