import Testing
@testable import TesseraCompression

/// The greedy search on synthetic cost and accuracy closures whose outcome is worked out by hand.
@Suite("Mixed-precision search")
struct MixedPrecisionSearchTests {
  /// SQNR per layer and width: "a" is robust (noise tiny at every width), "b" sensitive, "c" in between.
  static func sensitivity() -> SensitivityReport {
    let sqnr: [String: [Int: Double]] = [
      "a": [8: 40, 6: 38, 4: 34],
      "b": [8: 40, 6: 20, 4: 10],
      "c": [8: 40, 6: 30, 4: 25],
    ]
    var entries = [SensitivityReport.Entry]()
    for layer in ["a", "b", "c"] {
      for bits in [8, 6, 4] {
        entries.append(.init(layer: layer, setting: "\(bits)-bit", top1: 0.9, top1Drop: 0, sqnrDecibels: sqnr[layer]![bits]!))
      }
    }
    return SensitivityReport(model: "t", baselineTop1: 0.95, layers: entries)
  }

  /// Cost: weights × bits (a: 100, b: 100, c: 50 weights). Accuracy: 0.95 minus a per-layer
  /// penalty; b at 6 bits loses 1 point, everything else loses 0.1 point per step.
  static func cost(_ a: MixedPrecisionSearch.Assignment) -> Double { Double(100 * a["a"]! + 100 * a["b"]! + 50 * a["c"]!) }
  static func top1(_ a: MixedPrecisionSearch.Assignment) -> Double {
    var t = 0.95
    for (layer, bits) in a {
      let steps = Double((8 - bits) / 2)
      t -= layer == "b" && bits < 8 ? 0.01 : 0.001 * steps
    }
    return t
  }

  @Test func greedyKeepsCheapRobustMovesAndFreezesTheSensitiveLayer() throws {
    let search = try MixedPrecisionSearch(layers: ["a", "b", "c"], sensitivity: Self.sensitivity(), floatTop1: 0.95, maxDropPoints: 0.5)
    var evaluated = [MixedPrecisionSearch.Assignment]()
    let result = try search.run(cost: Self.cost, evaluate: { evaluated.append($0); return Self.top1($0) })
    // Round 1 scores: a 200/Δa, b 200/Δb, c 100/Δc with Δ = 10^(−SQNR/10) differences; a's
    // noise grows least, so a→6 (top-1 0.949, kept); then a→4 (0.948, kept); then c→6 (0.947),
    // c→4 (0.946); then b→6 (0.936 < 0.945: rejected, b frozen).
    #expect(result.steps.map(\.layer) == ["a", "a", "c", "c", "b"])
    #expect(result.steps.map(\.kept) == [true, true, true, true, false])
    #expect(result.assignment == ["a": 4, "b": 8, "c": 4])
    #expect(abs(result.top1 - 0.946) < 1e-12)
    #expect(result.cost == Self.cost(["a": 4, "b": 8, "c": 4]))
    #expect(result.uniform == ["a": 8, "b": 8, "c": 8] && result.uniformCost == 2000 && result.uniformTop1 == 0.95)
    #expect(result.cost < result.uniformCost)
    #expect(result.top1 >= 0.95 - 0.005)
    #expect(evaluated.count == 6)  // uniform + one per tried move
    // Deterministic.
    #expect(try search.run(cost: Self.cost, evaluate: Self.top1) == result)
  }

  @Test func zeroBudgetKeepsOnlyFreeMoves() throws {
    let search = try MixedPrecisionSearch(layers: ["a", "b", "c"], sensitivity: Self.sensitivity(), floatTop1: 0.95, maxDropPoints: 0)
    let result = try search.run(cost: Self.cost, evaluate: Self.top1)
    #expect(result.assignment == result.uniform)
    #expect(result.steps.allSatisfy { !$0.kept })
  }

  @Test func badArgumentsAreErrors() throws {
    let s = Self.sensitivity()
    #expect(throws: CompressionError.invalidBits(9)) { _ = try MixedPrecisionSearch(layers: ["a"], candidates: [9, 8], sensitivity: s, floatTop1: 1, maxDropPoints: 1) }
    #expect(throws: CompressionError.self) { _ = try MixedPrecisionSearch(layers: ["a"], sensitivity: s, floatTop1: 1, maxDropPoints: -1) }
    #expect(throws: CompressionError.self) { _ = try MixedPrecisionSearch(layers: [], sensitivity: s, floatTop1: 1, maxDropPoints: 1) }
    #expect(throws: CompressionError.self) { _ = try MixedPrecisionSearch(layers: ["a"], candidates: [8, 2], sensitivity: s, floatTop1: 1, maxDropPoints: 1) }
    #expect(throws: CompressionError.self) { _ = try MixedPrecisionSearch(layers: ["zz"], sensitivity: s, floatTop1: 1, maxDropPoints: 1) }
  }
}
