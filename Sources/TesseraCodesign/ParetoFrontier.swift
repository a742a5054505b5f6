/// Pareto optimality of design points: maximise top-1; minimise modeled energy, modeled latency
/// and area. Measured host latency is left out on purpose: it is noisy, and the flags must be the
/// same whether a sweep ran in one process or in shards on different machines.
public enum ParetoFrontier {
  /// Whether `a` dominates `b`: at least as good in every objective and strictly better in one.
  public static func dominates(_ a: CodesignPoint, _ b: CodesignPoint) -> Bool {
    let noWorse = a.top1 >= b.top1 && a.energyPicojoules <= b.energyPicojoules
      && a.latencySeconds <= b.latencySeconds && a.areaSquareMillimeters <= b.areaSquareMillimeters
    let better = a.top1 > b.top1 || a.energyPicojoules < b.energyPicojoules
      || a.latencySeconds < b.latencySeconds || a.areaSquareMillimeters < b.areaSquareMillimeters
    return noWorse && better
  }

  /// `points` with ``CodesignPoint/pareto`` set: true exactly for the points no other point
  /// dominates (within one model; points of different models are never compared).
  public static func marked(_ points: [CodesignPoint]) -> [CodesignPoint] {
    points.map { p in
      var q = p
      q.pareto = !points.contains { $0.model == p.model && dominates($0, p) }
      return q
    }
  }
}
