/// Exact access counts of one mapping, derived from its loop nest (no sampling).
///
/// The rule (Timeloop's): a level's tile of tensor X is refilled every time one of the
/// loops above it advances, down to the innermost loop that X depends on; loops below that
/// (X's irrelevant loops innermost) reuse the tile in place. Because each dimension is tiled
/// independently, the sum over all fills of the tile footprint factors into one term per
/// dimension, computed exactly from the tile multisets of ``TileChain`` — partial tiles
/// included. At the PE array a fill is *multicast*: the parent reads the union of the PE
/// tiles once, while every PE that uses the data receives its own copy.
struct AccessCounter {
  let shape: LayerShape
  let mapping: Mapping
  /// Convolutions on systolic arrays stream their im2col matrix: no sliding-window sharing.
  let im2col: Bool
  let chains: [TileChain]
  /// Loops of all shared levels, outermost first: (dimension, level, runs more than once).
  let loops: [(dim: ProblemDim, level: Int, nontrivial: Bool)]
  let peLevel: Int

  init(shape: LayerShape, mapping: Mapping, im2col: Bool, chains: [TileChain]? = nil) {
    self.shape = shape
    self.mapping = mapping
    self.im2col = im2col
    peLevel = mapping.tiles.count - 1
    let chains = chains ?? ProblemDim.allCases.map { mapping.chain($0) }
    self.chains = chains
    var loops: [(dim: ProblemDim, level: Int, nontrivial: Bool)] = []
    for level in 0..<peLevel {
      for dim in mapping.orders[level].dims {
        loops.append((dim, level, chains[dim.rawValue].isNontrivial(from: level)))
      }
    }
    self.loops = loops
  }

  /// How a fill is counted.
  enum Side {
    /// The parent's side at a memory level `child` (tile depth = child).
    case memory(child: Int)
    /// The parent's side of the PE array: the union of the PE tiles (spatial-block depth).
    case arrayUnion
    /// The PEs' side: one copy per PE that uses the data (PE-tile depth).
    case arrayCopies
  }

  /// For each dimension X does not depend on, the tile depth its loops above the cut reach
  /// (0 when none of its loops is above the cut).
  private func irrelevantDepths(_ tensor: TensorKind, childLevel: Int) -> [Int] {
    var cut = -1
    for (index, loop) in loops.enumerated() where loop.level < childLevel {
      if loop.nontrivial && tensor.depends(on: loop.dim) { cut = index }
    }
    var depths = [Int](repeating: 0, count: ProblemDim.count)
    if cut >= 0 {
      for loop in loops[0..<cut] where !tensor.depends(on: loop.dim) {
        depths[loop.dim.rawValue] = max(depths[loop.dim.rawValue], loop.level + 1)
      }
    }
    return depths
  }

  /// Σ over all fills of X's tile footprint, in elements.
  func elementFills(_ tensor: TensorKind, side: Side) -> Int {
    let childLevel: Int, depth: Int
    switch side {
    case .memory(let child): (childLevel, depth) = (child, child)
    case .arrayUnion: (childLevel, depth) = (peLevel, peLevel)
    case .arrayCopies: (childLevel, depth) = (peLevel, peLevel + 1)
    }
    let depths = irrelevantDepths(tensor, childLevel: childLevel)
    var total = relevantSum(tensor, depth: depth)
    for dim in ProblemDim.allCases where !tensor.depends(on: dim) {
      let chain = chains[dim.rawValue]
      if case .arrayCopies = side {
        total *= chain.sumOfSubtiles(at: depths[dim.rawValue], leafSize: chain.sizes[peLevel + 1], cap: mapping.spatial(dim))
      } else {
        total *= chain.count(at: depths[dim.rawValue])
      }
    }
    return total
  }

  /// Number of fill events (not elements) of X's tiles at the PE array: for the
  /// stationary tensor of a systolic dataflow, the number of folds.
  func arrayFillEvents(_ tensor: TensorKind) -> Int {
    let depths = irrelevantDepths(tensor, childLevel: peLevel)
    var total = 1
    for dim in ProblemDim.allCases {
      let chain = chains[dim.rawValue]
      total *= chain.count(at: tensor.depends(on: dim) ? peLevel : depths[dim.rawValue])
    }
    return total
  }

  /// Σ over tiles at `depth` of the footprint along X's own dimensions.
  private func relevantSum(_ tensor: TensorKind, depth: Int) -> Int {
    switch tensor {
    case .weight: return shape[.k] * shape[.c] * shape[.r] * shape[.s]
    case .output: return shape[.n] * shape[.k] * shape[.p] * shape[.q]
    case .input:
      return shape[.n] * shape[.c]
        * window(outer: .p, filter: .r, stride: shape.strideH, depth: depth)
        * window(outer: .q, filter: .s, stride: shape.strideW, depth: depth)
    }
  }

  /// Σ over (output-row tile, filter-row tile) pairs of the input rows each touches,
  /// `(p − 1)·stride + r` (or `p·r` for im2col streaming).
  private func window(outer: ProblemDim, filter: ProblemDim, stride: Int, depth: Int) -> Int {
    let p = chains[outer.rawValue], r = chains[filter.rawValue]
    let total = shape[outer], filterTotal = shape[filter]
    if im2col { return total * filterTotal }
    return r.count(at: depth) * stride * (total - p.count(at: depth)) + p.count(at: depth) * filterTotal
  }

  /// Kernel invocations: one per row of PE tiles (their pixel-group position) in each innermost
  /// shared tile (its position in the other dimensions).
  var invocations: Int {
    ProblemDim.allCases.reduce(1) { product, dim in
      product * chains[dim.rawValue].count(at: dim.group == .pixels ? peLevel : peLevel - 1)
    }
  }

  /// Temporal steps of the array in lockstep: Π over dimensions of Σ over spatial blocks of
  /// the largest PE tile in the block. Equals MACs / PEs when everything divides.
  var steps: Int {
    ProblemDim.allCases.reduce(1) { product, dim in
      let chain = chains[dim.rawValue], pe = chain.sizes[peLevel + 1]
      return product * chain.sum(at: peLevel) { min(pe, $0) }
    }
  }
}
