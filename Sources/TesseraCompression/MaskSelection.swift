/// How the keep masks of the shape-preserving methods are chosen from weight magnitudes.
///
/// Every choice is exact and deterministic: a sparsity `s` over `n` weights zeros exactly
/// `round(s · n)` of them, the smallest by |w|, with ties broken by position (earlier first).
enum MaskSelection {
  /// Number of weights to zero for sparsity `s` over `n` weights: `round(s · n)`, at most `n`.
  static func prunedCount(_ sparsity: Double, of n: Int) -> Int {
    min(n, max(0, Int((sparsity * Double(n)).rounded())))
  }

  /// Keep mask zeroing the `round(s · n)` smallest-magnitude values of `weights`.
  static func magnitude(_ weights: [Float], sparsity: Double) -> [Bool] {
    let pruned = prunedCount(sparsity, of: weights.count)
    var keep = [Bool](repeating: true, count: weights.count)
    guard pruned > 0 else { return keep }
    for index in smallest(pruned, of: weights.map(abs)) { keep[index] = false }
    return keep
  }

  /// Keep masks over several weight arrays with one threshold: the `round(s · Σn)` smallest
  /// magnitudes over all arrays together are zeroed.
  static func global(_ weights: [[Float]], sparsity: Double) -> [[Bool]] {
    let magnitudes = weights.flatMap { $0.map(abs) }
    var flat = [Bool](repeating: true, count: magnitudes.count)
    for index in smallest(prunedCount(sparsity, of: magnitudes.count), of: magnitudes) { flat[index] = false }
    var start = 0
    return weights.map { w in
      defer { start += w.count }
      return Array(flat[start..<(start + w.count)])
    }
  }

  /// Keep mask of the N:M pattern over a `[rows, count / rows]` weight: in every group of `m`
  /// consecutive weights of a row, the `n` largest by magnitude stay (ties: earlier first). A
  /// shorter last group (when the row length is not a multiple of `m`) keeps `min(n, length)`.
  static func nOfM(_ weights: [Float], rows: Int, n: Int, m: Int) -> [Bool] {
    var keep = [Bool](repeating: false, count: weights.count)
    guard rows > 0 else { return keep }
    let columns = weights.count / rows
    for row in 0..<rows {
      var start = 0
      while start < columns {
        let end = min(start + m, columns)
        let base = row * columns
        let group = (base + start)..<(base + end)
        // Largest n by |w|; stable: equal magnitudes keep the earlier weight.
        let order = group.sorted { a, b in
          let x = abs(weights[a]), y = abs(weights[b])
          return x != y ? x > y : a < b
        }
        for index in order.prefix(n) { keep[index] = true }
        start = end
      }
    }
    return keep
  }

  /// Indices of the `count` smallest values (ties: lower index first).
  static func smallest(_ count: Int, of values: [Float]) -> ArraySlice<Int> {
    guard count > 0 else { return [] }
    let order = values.indices.sorted { a, b in values[a] != values[b] ? values[a] < values[b] : a < b }
    return order.prefix(count)
  }
}
