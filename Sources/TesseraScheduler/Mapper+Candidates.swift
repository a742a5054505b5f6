/// Candidate generation for the mapper: spatial unrollings, PE tiles, shared-level tiles and
/// the distinct loop orders of a level.
enum MapperCandidates {
  /// Positive divisors of `n`, ascending.
  static func divisors(_ n: Int) -> [Int] {
    var small: [Int] = [], large: [Int] = []
    var d = 1
    while d * d <= n {
      if n % d == 0 {
        small.append(d)
        if d * d != n { large.append(n / d) }
      }
      d += 1
    }
    return small + large.reversed()
  }

  /// Factors for one dimension on one array side: its divisors up to the side length, plus
  /// the side length itself when the dimension is longer (a padded, partial last fold).
  static func spatialFactors(_ bound: Int, side: Int) -> [Int] {
    var values = divisors(bound).filter { $0 <= side }
    if bound > side, !values.contains(side) { values.append(side) }
    return values
  }

  /// Every assignment of factors to `dims` whose product fits `side`.
  static func unrollings(_ dims: [ProblemDim], shape: LayerShape, side: Int) -> [[Int]] {
    var results: [[Int]] = []
    func walk(_ index: Int, _ factors: [Int], _ product: Int) {
      if index == dims.count { results.append(factors); return }
      let dim = dims[index]
      for f in spatialFactors(shape[dim], side: side) where product * f <= side {
        var next = factors
        next[dim.rawValue] = f
        walk(index + 1, next, product * f)
      }
    }
    walk(0, [Int](repeating: 1, count: ProblemDim.count), 1)
    return results
  }

  /// Unrollings where no dimension can take its next larger factor and still fit the side.
  static func maximalUnrollings(_ dims: [ProblemDim], shape: LayerShape, side: Int) -> [[Int]] {
    unrollings(dims, shape: shape, side: side).filter { factors in
      let product = factors.reduce(1, *)
      return dims.allSatisfy { dim in
        let f = factors[dim.rawValue]
        guard let next = spatialFactors(shape[dim], side: side).first(where: { $0 > f }) else { return true }
        return product / f * next > side
      }
    }
  }

  /// Spatial (rows, cols) choices of a dataflow, the most PEs first.
  static func spatialChoices(_ dataflow: Dataflow, shape: LayerShape, array: PEArray, maximalOnly: Bool = false) -> [(rows: [Int], cols: [Int])] {
    let rows = maximalOnly
      ? maximalUnrollings(dataflow.rowDims, shape: shape, side: array.rows)
      : unrollings(dataflow.rowDims, shape: shape, side: array.rows)
    let cols = maximalOnly
      ? maximalUnrollings(dataflow.colDims, shape: shape, side: array.cols)
      : unrollings(dataflow.colDims, shape: shape, side: array.cols)
    var choices: [(rows: [Int], cols: [Int])] = []
    for r in rows { for c in cols { choices.append((r, c)) } }
    return choices.sorted { $0.rows.reduce(1, *) * $0.cols.reduce(1, *) > $1.rows.reduce(1, *) * $1.cols.reduce(1, *) }
  }

  /// Tile extents of one dimension at a shared level: the spatial block times each divisor of
  /// the number of blocks and times each power of two, plus the parent extent, within
  /// [block, parent].
  static func tileExtents(bound: Int, block: Int, parent: Int) -> [Int] {
    let blocks = (bound + block - 1) / block
    var values = Set(divisors(blocks).map { min($0 * block, bound) })
    var power = 1
    while power < blocks { values.insert(min(power * block, bound)); power *= 2 }
    values.insert(parent)
    return values.filter { $0 >= block && $0 <= parent }.sorted()
  }

  /// Every 7-dimension tile whose per-dimension extents come from `extents` and which `fits`,
  /// using the monotonicity of footprints to cut branches early.
  static func tiles(_ extents: [[Int]], fits: ([Int]) -> Bool) -> [[Int]] {
    var results: [[Int]] = []
    guard extents.allSatisfy({ !$0.isEmpty }) else { return [] }
    var current = extents.map { $0[0] }
    guard fits(current) else { return [] }
    func walk(_ dim: Int) {
      if dim == ProblemDim.count { results.append(current); return }
      for value in extents[dim] {
        current[dim] = value
        // Dimensions after `dim` are still at their minimum, so a failure here rules out
        // every larger value of this dimension too.
        if !fits(current) { break }
        walk(dim + 1)
      }
      current[dim] = extents[dim][0]
    }
    walk(0)
    return results
  }

  /// Tiles (from ``tiles(_:fits:)``) where no dimension can take its next larger extent and still fit.
  static func maximalTiles(_ extents: [[Int]], fits: ([Int]) -> Bool) -> [[Int]] {
    tiles(extents, fits: fits).filter { tile in
      (0..<tile.count).allSatisfy { d in
        guard let next = extents[d].first(where: { $0 > tile[d] }) else { return true }
        var grown = tile
        grown[d] = next
        return !fits(grown)
      }
    }
  }

  /// The distinct loop orders of a level: permutations of the groups whose loops run more
  /// than once (the others do not change any count), with `inner` forced innermost.
  static func orders(nontrivial: [Bool], inner: LoopGroup?) -> [LoopOrder] {
    let active = LoopGroup.allCases.filter { nontrivial[$0.rawValue] && $0 != inner }
    let idle = LoopGroup.allCases.filter { !nontrivial[$0.rawValue] && $0 != inner }
    var results: [LoopOrder] = []
    func permute(_ prefix: [LoopGroup], _ rest: [LoopGroup]) {
      if rest.isEmpty {
        results.append(LoopOrder(idle + prefix + (inner.map { [$0] } ?? [])))
        return
      }
      for (i, g) in rest.enumerated() {
        var remaining = rest
        remaining.remove(at: i)
        permute(prefix + [g], remaining)
      }
    }
    permute([], active)
    return results
  }

  /// Which groups have a loop that runs more than once between two tile extents.
  static func nontrivialGroups(outer: [Int], inner: [Int]) -> [Bool] {
    var flags = [false, false, false]
    for dim in ProblemDim.allCases where inner[dim.rawValue] < outer[dim.rawValue] {
      flags[dim.group.rawValue] = true
    }
    return flags
  }
}
