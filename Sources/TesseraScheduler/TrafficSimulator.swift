/// A brute-force replay of a mapping's loop nest that counts every fill of every level's
/// one-tile buffer: the operational definition of the traffic the analytical
/// ``AccessCounter`` computes in closed form. Tests check that both agree exactly; the host
/// executor uses it to count the bytes its tiling moves and to list its kernel calls.
///
/// Semantics: each level holds one tile of each tensor it stores; when the loop nest needs a
/// different tile, the level refills it from the nearest outer level holding the tensor
/// (partial sums are written back, and read back unless this is the tile's first visit).
/// At the PE array the parent reads the spatial block once and every PE with work in the
/// block receives its own PE tile.
struct TrafficSimulator {
  let shape: LayerShape
  let mapping: Mapping
  let spec: HardwareSpec
  /// Element reads and writes per level and tensor (index = ``TensorKind`` order).
  private(set) var reads: [[Int]]
  private(set) var writes: [[Int]]
  /// Elements moved over the array network per tensor.
  private(set) var noc = [0, 0, 0]
  /// Fill events of the stationary tensor at the PE array.
  private(set) var folds = 0
  /// Temporal steps of the array (lockstep).
  private(set) var steps = 0
  /// The innermost shared tiles in execution order (start and extent per dimension), when recorded.
  private(set) var innermostTiles: [(start: [Int], extent: [Int])] = []

  private let levelCount: Int
  private let sizes: [[Int]]  // [depth][dim]
  private let loops: [(dim: Int, level: Int)]
  private var start: [[Int]]
  private var extent: [[Int]]
  private var held: [[Int]]  // [level][tensor] key of the tile held (−1 = none)
  private var seen: [Set<Int>]  // output tiles already visited, per child level
  private let parentOf: [[Int]]  // [tensor][child level]
  private let keyStride: [Int]
  private let record: Bool
  private let relevant: [[Bool]]  // [tensor][dim]
  private let im2col: Bool

  init(shape: LayerShape, mapping: Mapping, spec: HardwareSpec, recordInnermostTiles: Bool = false) {
    self.shape = shape
    self.mapping = mapping
    self.spec = spec
    record = recordInnermostTiles
    levelCount = spec.levels.count
    let chains = ProblemDim.allCases.map { mapping.chain($0).sizes }
    sizes = (0...levelCount).map { depth in chains.map { $0[depth] } }
    var loops: [(dim: Int, level: Int)] = []
    for level in 0..<(levelCount - 1) {
      for dim in mapping.orders[level].dims { loops.append((dim.rawValue, level)) }
    }
    self.loops = loops
    start = [[Int]](repeating: [Int](repeating: 0, count: 7), count: levelCount)
    extent = start
    extent[0] = shape.bounds
    held = [[Int]](repeating: [-1, -1, -1], count: levelCount)
    seen = [Set<Int>](repeating: [], count: levelCount)
    reads = [[Int]](repeating: [0, 0, 0], count: levelCount)
    writes = reads
    var parents = [[Int]](repeating: [Int](repeating: -1, count: levelCount), count: 3)
    for (t, tensor) in TensorKind.allCases.enumerated() {
      var last = 0
      for level in 1..<levelCount where spec.levels[level].holds.contains(tensor) {
        parents[t][level] = last
        last = level
      }
    }
    parentOf = parents
    var stride = [Int](repeating: 1, count: 7)
    for d in 1..<7 { stride[d] = stride[d - 1] * (shape.bounds[d - 1] + 1) }
    keyStride = stride
    relevant = TensorKind.allCases.map { t in ProblemDim.allCases.map { t.depends(on: $0) } }
    im2col = spec.array.convLowering == .im2col
  }

  /// Replays the whole loop nest.
  mutating func run() {
    walk(0)
    let macs = shape.macs  // dense counts; the cost model applies sparsity afterwards
    let pe = levelCount - 1
    reads[pe][0] += macs; reads[pe][1] += macs; reads[pe][2] += macs; writes[pe][2] += macs
  }

  private mutating func walk(_ position: Int) {
    if position % 7 == 0, position > 0 {
      let child = position / 7
      if child == levelCount - 1 { arrayBoundary(); return }
      memoryBoundary(child)
      if record, child == levelCount - 2 { innermostTiles.append((start[child], extent[child])) }
    }
    let (dim, level) = loops[position]
    let parentStart = start[level][dim], parentExtent = extent[level][dim]
    let size = sizes[level + 1][dim]
    var offset = 0
    while offset < parentExtent {
      start[level + 1][dim] = parentStart + offset
      extent[level + 1][dim] = min(size, parentExtent - offset)
      walk(position + 1)
      offset += size
    }
  }

  private func key(_ tensor: TensorKind, depth: Int) -> Int {
    var k = 0
    let mask = relevant[tensor.index]
    for d in 0..<7 where mask[d] { k += start[depth][d] * keyStride[d] }
    return k
  }

  private mutating func memoryBoundary(_ child: Int) {
    for (t, tensor) in TensorKind.allCases.enumerated() where parentOf[t][child] >= 0 {
      let k = key(tensor, depth: child)
      guard held[child][t] != k else { continue }
      held[child][t] = k
      let parent = parentOf[t][child]
      let fp = shape.footprint(of: tensor, extents: extent[child])
      if tensor == .output {
        writes[parent][t] += fp; reads[child][t] += fp
        if !seen[child].insert(k).inserted { reads[parent][t] += fp; writes[child][t] += fp }
      } else {
        reads[parent][t] += fp; writes[child][t] += fp
      }
    }
  }

  private mutating func arrayBoundary() {
    let depth = levelCount - 1
    let block = extent[depth]
    let pe = sizes[levelCount]
    var step = 1
    for d in 0..<7 { step *= min(pe[d], block[d]) }
    steps += step
    for (t, tensor) in TensorKind.allCases.enumerated() {
      let k = key(tensor, depth: depth)
      guard held[depth][t] != k else { continue }
      held[depth][t] = k
      if tensor == mapping.dataflow.stationaryTensor { folds += 1 }
      let parent = parentOf[t][depth]
      let union = shape.footprint(of: tensor, extents: block)
      let copies = peCopies(tensor, block: block, pe: pe)
      if tensor == .output {
        writes[parent][t] += union
        reads[depth][t] += copies
        noc[t] += copies
        if !seen[depth].insert(k).inserted {
          reads[parent][t] += union; writes[depth][t] += union; noc[t] += union
        }
      } else {
        reads[parent][t] += union; writes[depth][t] += copies; noc[t] += copies
      }
    }
  }

  /// Σ over the PEs with work in this block of their tile's footprint (closed form per
  /// dimension: a block of extent e holds ⌈e/pe⌉ PE tiles whose extents sum to e).
  private func peCopies(_ tensor: TensorKind, block: [Int], pe: [Int]) -> Int {
    func count(_ d: Int) -> Int { (block[d] + pe[d] - 1) / pe[d] }
    var total = 1
    for d in 0..<7 {
      if !relevant[tensor.index][d] { total *= count(d); continue }
      if tensor == .input, d >= 3 { continue }  // p, q, r, s: the windows below
      total *= block[d]
    }
    if tensor == .input {
      for (outer, filter, stride) in [(3, 5, shape.strideH), (4, 6, shape.strideW)] {
        total *= im2col
          ? block[outer] * block[filter]
          : count(filter) * stride * (block[outer] - count(outer)) + count(outer) * block[filter]
      }
    }
    return total
  }
}

extension TensorKind {
  /// Position in ``allCases`` (input 0, weight 1, output 2).
  var index: Int {
    switch self {
    case .input: 0
    case .weight: 1
    case .output: 2
    }
  }
}
