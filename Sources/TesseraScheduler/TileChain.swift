/// How one loop dimension is cut into tiles, from the whole layer down to one PE's share.
///
/// `sizes[0]` is the layer's bound; `sizes[j]` is the nominal tile size at depth `j`. A
/// tile need not divide its parent: a parent of extent `e` splits into `⌊e/t⌋` tiles of
/// size `t` and one remainder tile, so the extents at each depth form a small multiset.
/// Every count the cost model needs is a sum over these multisets, hence exact.
struct TileChain: Sendable {
  /// Nominal sizes per depth (depth 0 = the whole dimension).
  let sizes: [Int]
  /// Distinct extents and how many tiles have them, per depth.
  let extents: [[(extent: Int, count: Int)]]

  init(sizes: [Int]) {
    self.sizes = sizes
    var levels: [[(extent: Int, count: Int)]] = [[(sizes[0], 1)]]
    levels.reserveCapacity(sizes.count)
    for depth in 1..<sizes.count {
      let t = sizes[depth]
      var next: [(extent: Int, count: Int)] = []
      func add(_ e: Int, _ n: Int) {
        if let i = next.firstIndex(where: { $0.extent == e }) { next[i].count += n } else { next.append((e, n)) }
      }
      for (e, n) in levels[depth - 1] {
        if t >= e {
          add(e, n)
        } else {
          add(t, n * (e / t))
          if e % t > 0 { add(e % t, n) }
        }
      }
      levels.append(next)
    }
    extents = levels
  }

  /// Number of tiles at `depth`.
  func count(at depth: Int) -> Int { extents[depth].reduce(0) { $0 + $1.count } }

  /// The largest extent at `depth`.
  func maxExtent(at depth: Int) -> Int { extents[depth].reduce(0) { max($0, $1.extent) } }

  /// Whether the loop from `depth` to `depth + 1` runs more than once for some tile.
  func isNontrivial(from depth: Int) -> Bool { sizes[depth + 1] < maxExtent(at: depth) }

  /// Whether the loop from `depth` to `depth + 1` is either trivial for every tile (one
  /// sub-tile each) or non-trivial for every tile (at least two). When every loop is consistent,
  /// "refill when a loop above the innermost relevant loop advances" (the closed form) and
  /// "refill when the needed tile differs from the held one" (a one-tile buffer,
  /// ``TrafficSimulator``) count the same fills; a loop that runs once for a remainder tile but
  /// several times for full tiles would make them differ.
  func isConsistent(from depth: Int) -> Bool {
    let t = sizes[depth + 1]
    let runsOnce = Set(extents[depth].map { $0.extent <= t })
    return runsOnce.count <= 1
  }

  /// Σ over tiles at `depth` of `f(extent)`.
  func sum(at depth: Int, _ f: (Int) -> Int) -> Int {
    extents[depth].reduce(0) { $0 + $1.count * f($1.extent) }
  }

  /// Σ over the tiles at `depth` of the number of `leafDepth` tiles each holds, capped at
  /// `cap` per tile: how many PEs along this dimension receive a copy per fill event.
  func sumOfSubtiles(at depth: Int, leafSize: Int, cap: Int) -> Int {
    sum(at: depth) { min(cap, ($0 + leafSize - 1) / leafSize) }
  }
}
