/// A mapping of one layer onto a hardware spec (Timeloop's "mapping"): the tile each
/// memory level holds, the loop order at each shared level, and how loops are unrolled
/// across the PE array's rows and columns.
///
/// The loops at shared level `i` walk the tiles of level `i + 1` (at the innermost shared
/// level: the *spatial blocks*, i.e. one PE tile × the PEs along each dimension); the
/// PE-local loops walk single MACs. Tiles need not divide their parents (the last tile of
/// a loop is partial, as SCALE-Sim's folds are).
public struct Mapping: Hashable, Sendable, CustomStringConvertible {
  /// The dataflow this mapping realises.
  public var dataflow: Dataflow
  /// `tiles[i][d]`: the extent of dimension `d` in the tile level `i` holds; `tiles[0]` is the
  /// whole layer and the last entry is one PE's tile.
  public var tiles: [[Int]]
  /// PEs along each dimension on the array's rows (product ≤ rows).
  public var spatialRows: [Int]
  /// PEs along each dimension on the array's columns (product ≤ cols).
  public var spatialCols: [Int]
  /// Loop order at each shared level (`tiles.count − 1` entries, outermost level first).
  public var orders: [LoopOrder]

  /// Makes a mapping; check it with ``validate(spec:workload:)``.
  /// - Parameters:
  ///   - dataflow: the dataflow.
  ///   - tiles: per-level tile extents (7 per level).
  ///   - spatialRows: PEs per dimension on rows.
  ///   - spatialCols: PEs per dimension on columns.
  ///   - orders: loop order per shared level.
  public init(dataflow: Dataflow, tiles: [[Int]], spatialRows: [Int], spatialCols: [Int], orders: [LoopOrder]) {
    self.dataflow = dataflow
    self.tiles = tiles
    self.spatialRows = spatialRows
    self.spatialCols = spatialCols
    self.orders = orders
  }

  /// PEs along dimension `d` (rows × columns).
  /// - Parameter d: a dimension.
  public func spatial(_ d: ProblemDim) -> Int { spatialRows[d.rawValue] * spatialCols[d.rawValue] }

  /// The spatial block extent of `d`: one PE tile times the PEs along `d`, clipped to the innermost shared tile.
  /// - Parameter d: a dimension.
  public func block(_ d: ProblemDim) -> Int {
    let shared = tiles[tiles.count - 2][d.rawValue]
    return min(shared, tiles[tiles.count - 1][d.rawValue] * spatial(d))
  }

  /// PE rows used (product of the row factors).
  public var rowsUsed: Int { spatialRows.reduce(1, *) }
  /// PE columns used.
  public var colsUsed: Int { spatialCols.reduce(1, *) }

  /// The chain of tile sizes of `d` from the whole layer to one PE tile (depths 0…levels).
  func chain(_ d: ProblemDim) -> TileChain {
    var sizes = tiles.dropLast().map { $0[d.rawValue] }
    sizes.append(block(d))
    sizes.append(tiles[tiles.count - 1][d.rawValue])
    return TileChain(sizes: sizes)
  }

  /// A compact one-line form: each shared level with the tile it holds and the order of
  /// its loops, then the spatial unrolling and the PE tile, e.g.
  /// `DRAM(mnk) GLB[k16 c6 p8](nkm) | rows c3·r4 cols k16 | RF[q8 s5]`. Orders name the loop
  /// groups by their GEMM letters, outermost first (`m` = n·p·q, `n` = k, `k` = c·r·s); tiles
  /// use the seven loop names for convolutions and `m`, `n`, `k` for GEMMs.
  public var description: String { describe(levelNames: nil) }

  /// The one-line form with the spec's level names.
  /// - Parameter levelNames: names of the levels (`nil` = `L0`, `L1`, …).
  public func describe(levelNames: [String]?) -> String {
    func name(_ i: Int) -> String { levelNames.map { i < $0.count ? $0[i] : "L\(i)" } ?? "L\(i)" }
    // GEMMs print their own letters (m = n, n = k, k = c); convolutions the seven loop names.
    let bounds = tiles[0]
    let isGEMM = bounds[3] == 1 && bounds[4] == 1 && bounds[5] == 1 && bounds[6] == 1
    func letter(_ dim: ProblemDim) -> String {
      isGEMM ? (dim == .n ? "m" : dim == .k ? "n" : dim == .c ? "k" : dim.description) : dim.description
    }
    func dims(_ values: [Int], separator: String = " ") -> String {
      let parts = ProblemDim.allCases.filter { values[$0.rawValue] > 1 }.map { "\(letter($0))\(values[$0.rawValue])" }
      return parts.isEmpty ? "1" : parts.joined(separator: separator)
    }
    var shared: [String] = []
    for level in 0..<tiles.count - 1 {
      shared.append(name(level) + (level == 0 ? "" : "[\(dims(tiles[level]))]") + "(\(orders[level]))")
    }
    let spatial = "rows \(dims(spatialRows, separator: "·")) cols \(dims(spatialCols, separator: "·"))"
    return shared.joined(separator: " ") + " | " + spatial + " | " + name(tiles.count - 1) + "[\(dims(tiles[tiles.count - 1]))]"
  }
}
