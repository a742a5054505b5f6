import Foundation

/// Greedy search for per-layer weight bit widths that meet an accuracy budget at a lower modeled
/// cost than uniform 8-bit.
///
/// Start with every layer at the widest candidate. Each round considers every move "one layer one
/// candidate step narrower", scores it by cost saving ÷ added sensitivity, and tries the best:
/// the evaluator measures the real quantized network with that assignment, and the move is kept
/// only when the top-1 stays within the budget; a rejected move freezes its layer at its current
/// width. It stops when no move saves cost. Sensitivity is the output noise power the layer adds
/// at a width, `10^(−SQNR/10)` from ``SensitivityReport`` (noise from different layers adds up
/// roughly independently), so a move's added sensitivity is the difference of two such terms.
/// Ties break by layer order, so the result is deterministic for deterministic closures.
///
/// For example:
/// ```swift
/// let search = try MixedPrecisionSearch(layers: ["conv1", "fc1"], sensitivity: report, floatTop1: 0.985, maxDropPoints: 0.5)
/// let result = try search.run(cost: { energy(of: $0) }, evaluate: { top1(of: $0) })
/// ```
public struct MixedPrecisionSearch: Sendable {
  /// Per-layer bit widths by layer name.
  public typealias Assignment = [String: Int]

  /// Dense/conv layer names in network order.
  public let layers: [String]
  /// Candidate widths, widest first (default 8, 6, 4).
  public let candidates: [Int]
  /// Noise power `10^(−SQNR/10)` of each layer at each candidate width.
  public let noise: [String: [Int: Double]]
  /// Float top-1 (a fraction).
  public let floatTop1: Double
  /// Allowed top-1 loss against float, in points (0.5 = half a percentage point).
  public let maxDropPoints: Double

  /// Makes a search.
  /// - Parameters:
  ///   - layers: the layers to assign, in network order.
  ///   - candidates: bit widths (2...8, distinct); sorted widest first.
  ///   - sensitivity: a report holding `"<b>-bit"` entries of every layer at every candidate.
  ///   - floatTop1: the float model's top-1.
  ///   - maxDropPoints: the budget in points (≥ 0).
  /// - Throws: ``CompressionError`` for bad widths, a negative budget, no layers, or a missing sensitivity entry.
  public init(
    layers: [String], candidates: [Int] = [8, 6, 4], sensitivity: SensitivityReport, floatTop1: Double, maxDropPoints: Double
  ) throws {
    guard !layers.isEmpty else { throw CompressionError.invalidArgument("mixed precision needs at least one dense/conv layer") }
    guard !candidates.isEmpty, Set(candidates).count == candidates.count else {
      throw CompressionError.invalidArgument("mixed-precision candidates must be distinct bit widths, got \(candidates)")
    }
    for b in candidates where !(2...8).contains(b) { throw CompressionError.invalidBits(b) }
    guard maxDropPoints >= 0, maxDropPoints.isFinite else {
      throw CompressionError.invalidArgument("accuracy budget must be a non-negative number of points, got \(maxDropPoints)")
    }
    var noise = [String: [Int: Double]]()
    for layer in layers {
      for b in candidates {
        guard let e = sensitivity.entry(layer: layer, setting: .bits(b)) else {
          throw CompressionError.invalidArgument("sensitivity report has no \(b)-bit entry for layer '\(layer)'")
        }
        noise[layer, default: [:]][b] = e.sqnrDecibels.isFinite ? pow(10, -e.sqnrDecibels / 10) : 0
      }
    }
    self.layers = layers
    self.candidates = candidates.sorted(by: >)
    self.noise = noise
    self.floatTop1 = floatTop1
    self.maxDropPoints = maxDropPoints
  }

  /// Runs the greedy search.
  /// - Parameters:
  ///   - cost: modeled cost of an assignment (e.g. energy in pJ); smaller is better.
  ///   - evaluate: top-1 (a fraction) of the real quantized network with that assignment.
  ///   - progress: called with a line after each tried move.
  /// - Returns: the chosen assignment and the uniform-widest baseline, each with top-1 and cost.
  /// - Throws: whatever the closures throw.
  public func run(
    cost: (Assignment) throws -> Double, evaluate: (Assignment) throws -> Double, progress: ((String) -> Void)? = nil
  ) throws -> MixedPrecisionResult {
    let widest = candidates[0]
    let uniform = Dictionary(uniqueKeysWithValues: layers.map { ($0, widest) })
    let uniformCost = try cost(uniform)
    let uniformTop1 = try evaluate(uniform)
    let floor = floatTop1 - maxDropPoints / 100 - 1e-12
    var current = uniform, currentCost = uniformCost, currentTop1 = uniformTop1
    var frozen = Set<String>()
    var steps = [MixedPrecisionResult.Step]()
    while true {
      var best: (layer: String, bits: Int, cost: Double, score: Double)?
      for layer in layers where !frozen.contains(layer) {
        guard let i = candidates.firstIndex(of: current[layer]!), i + 1 < candidates.count else { continue }
        let narrower = candidates[i + 1]
        var trial = current
        trial[layer] = narrower
        let c = try cost(trial)
        let saving = currentCost - c
        guard saving > 0 else { continue }
        let added = Swift.max(noise[layer]![narrower]! - noise[layer]![current[layer]!]!, 1e-15)
        let score = saving / added
        if best == nil || score > best!.score { best = (layer, narrower, c, score) }
      }
      guard let move = best else { break }
      var trial = current
      trial[move.layer] = move.bits
      let t = try evaluate(trial)
      let kept = t >= floor
      steps.append(.init(layer: move.layer, bits: move.bits, top1: t, cost: move.cost, kept: kept))
      progress?("\(move.layer) → \(move.bits)-bit: top-1 \(String(format: "%.2f", 100 * t)) %, cost \(String(format: "%.4g", move.cost)) — \(kept ? "kept" : "rejected (over budget)")")
      if kept {
        current = trial
        currentCost = move.cost
        currentTop1 = t
      } else {
        frozen.insert(move.layer)
      }
    }
    return MixedPrecisionResult(
      layers: layers, assignment: current, top1: currentTop1, cost: currentCost,
      uniform: uniform, uniformTop1: uniformTop1, uniformCost: uniformCost, floatTop1: floatTop1, steps: steps)
  }
}
