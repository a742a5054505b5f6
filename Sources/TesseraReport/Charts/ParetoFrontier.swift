/// The two-objective Pareto frontier of a chart: points for which no other point has lower (or
/// equal) cost and higher (or equal) accuracy, strictly better in one.
///
/// The co-design sweep flags its own Pareto points over all four objectives; a chart of two of
/// them needs the frontier of those two, which this computes for display.
///
/// For example:
/// ```swift
/// ParetoFrontier.indices(cost: [3, 1, 2, 4], accuracy: [0.9, 0.8, 0.7, 0.95])  // [1, 0, 3]
/// ```
public enum ParetoFrontier {
  /// Indices of the frontier points, by ascending cost (and ascending accuracy). Points with a
  /// non-finite cost or accuracy are ignored; of exact duplicates the first is kept.
  /// - Parameters:
  ///   - cost: the objective to minimise, one per point.
  ///   - accuracy: the objective to maximise, one per point (same count as `cost`).
  /// - Returns: indices into the inputs.
  /// - Complexity: O(n log n).
  public static func indices(cost: [Double], accuracy: [Double]) -> [Int] {
    let count = min(cost.count, accuracy.count)
    let candidates = (0..<count).filter { cost[$0].isFinite && accuracy[$0].isFinite }
    // Cheapest first; among equal costs the most accurate first; then input order.
    let sorted = candidates.sorted {
      cost[$0] != cost[$1] ? cost[$0] < cost[$1] : accuracy[$0] != accuracy[$1] ? accuracy[$0] > accuracy[$1] : $0 < $1
    }
    var frontier: [Int] = []
    var best = -Double.infinity
    for index in sorted where accuracy[index] > best {
      frontier.append(index)
      best = accuracy[index]
    }
    return frontier
  }
}
