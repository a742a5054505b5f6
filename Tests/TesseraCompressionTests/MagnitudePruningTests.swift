import Testing
import Tessera
import TesseraNN
@testable import TesseraCompression

/// Unstructured (per layer, global) and N:M pruning: exact counts, patterns and masks.
@Suite struct MagnitudePruningTests {
  typealias S = CompressionTestSupport

  @Test(arguments: [0.0, 0.3, 0.5, 0.8, 0.95])
  func perLayerSparsityIsExact(sparsity: Double) throws {
    let model = S.trainingCNN()
    let before = S.weight(model, "fc2").value
    let (pruned, masks) = try Pruner.prune(model, method: .magnitude(sparsity: sparsity))
    #expect(pruned === model)
    let masked = try #require(masks)
    #expect(masked.layers.map(\.layer) == ["conv1", "conv2", "fc1"])
    for name in ["conv1", "conv2", "fc1"] {
      let w = S.weight(model, name).value
      let expected = Int((sparsity * Double(w.count)).rounded())
      #expect(S.zeros(w) == expected, "\(name)")
      // The zeroed weights are the smallest: every kept magnitude ≥ every pruned original magnitude.
      #expect(masked.mask(for: name)?.keep.filter { !$0 }.count == expected)
    }
    #expect(S.weight(model, "fc2").value == before, "the classifier is not pruned by default")
  }

  @Test func perLayerPruningRemovesTheSmallestMagnitudes() throws {
    let model = S.plainMLP()
    let original = S.weight(model, "fc1").value
    _ = try Pruner.prune(model, method: .magnitude(sparsity: 0.5))
    let w = S.weight(model, "fc1").value
    let kept = zip(original, w).filter { $0.1 != 0 }.map { abs($0.0) }
    let pruned = zip(original, w).filter { $0.1 == 0 }.map { abs($0.0) }
    #expect(kept.min()! >= pruned.max()!)
    #expect(zip(original, w).allSatisfy { $1 == 0 || $0 == $1 }, "kept weights are unchanged")
  }

  @Test(arguments: [0.5, 0.8])
  func globalSparsityIsExactWithOneThreshold(sparsity: Double) throws {
    let model = S.trainingCNN()
    // Different scales per layer, so a global threshold prunes the layers unevenly.
    S.weight(model, "fc1").value = S.weight(model, "fc1").value.map { $0 * 0.1 }
    let originals = ["conv1", "conv2", "fc1"].map { S.weight(model, $0).value }
    let (_, masks) = try Pruner.prune(model, method: .globalMagnitude(sparsity: sparsity))
    let weights = ["conv1", "conv2", "fc1"].map { S.weight(model, $0).value }
    let total = weights.reduce(0) { $0 + $1.count }
    #expect(weights.reduce(0) { $0 + S.zeros($1) } == Int((sparsity * Double(total)).rounded()))
    var kept = [Float](), pruned = [Float]()
    for (o, w) in zip(originals, weights) {
      for (a, b) in zip(o, w) { if b == 0 { pruned.append(abs(a)) } else { kept.append(abs(a)) } }
    }
    #expect(kept.min()! >= pruned.max()!, "one threshold over all layers")
    #expect(S.zeros(S.weight(model, "fc1").value) > S.zeros(S.weight(model, "conv2").value) * S.weight(model, "fc1").count / S.weight(model, "conv2").count)
    #expect(abs(try #require(masks).density - (1 - sparsity)) < 1e-3)
  }

  @Test(arguments: [(2, 4), (1, 4), (4, 8), (3, 3)])
  func nOfMPatternHoldsInEveryGroup(n: Int, m: Int) throws {
    let model = S.trainingCNN()
    let originals = ["conv1", "conv2", "fc1"].map { S.weight(model, $0).value }
    _ = try Pruner.prune(model, method: .nOfM(n: n, m: m))
    for (name, original) in zip(["conv1", "conv2", "fc1"], originals) {
      let p = S.weight(model, name)
      let rows = p.shape[0], columns = p.count / rows
      for r in 0..<rows {
        var start = 0
        while start < columns {
          let group = (r * columns + start)..<(r * columns + min(start + m, columns))
          let keptCount = group.filter { p.value[$0] != 0 }.count
          #expect(keptCount == min(n, group.count), "\(name) row \(r) group at \(start)")
          let kept = group.filter { p.value[$0] != 0 }.map { abs(original[$0]) }
          let dropped = group.filter { p.value[$0] == 0 }.map { abs(original[$0]) }
          if let low = kept.min(), let high = dropped.max() { #expect(low >= high) }
          start += m
        }
      }
    }
  }

  @Test func masksCoverOnlySelectedLayersAndCanIncludeTheClassifier() throws {
    let model = S.trainingCNN()
    let (_, masks) = try Pruner.prune(model, method: .magnitude(sparsity: 0.5), includeLastLayer: true, layers: ["fc1", "fc2"])
    #expect(try #require(masks).layers.map(\.layer) == ["fc1", "fc2"])
    #expect(S.zeros(S.weight(model, "conv1").value) == 0)
    #expect(throws: CompressionError.self) { try Pruner.prune(model, method: .magnitude(sparsity: 0.5), layers: ["bn1"]) }
    #expect(throws: CompressionError.self) { try Pruner.prune(model, method: .magnitude(sparsity: 0.5), layers: ["nope"]) }
  }

  @Test func applyRestoresZerosAndCheckCatchesMismatches() throws {
    let model = S.plainMLP()
    let (_, maybeMasks) = try Pruner.prune(model, method: .nOfM(n: 2, m: 4))
    let masks = try #require(maybeMasks)
    let w = S.weight(model, "fc1")
    w.value = w.value.map { $0 + 1 }  // an update that touches every weight
    masks.apply(to: model)
    #expect(S.zeros(w.value) == w.count / 2)
    #expect(abs(masks.density - 0.5) < 1e-12)
    let other = S.plainCNN()
    #expect(throws: CompressionError.self) { try masks.check(against: other) }
    try masks.check(against: model)
  }

  @Test func masksFromNonZerosMatchThePrunedPattern() throws {
    let model = S.plainMLP()
    let (_, masks) = try Pruner.prune(model, method: .magnitude(sparsity: 0.6))
    let recovered = PruningMasks(nonZerosOf: model, layers: ["fc1", "fc2", "relu1"])
    #expect(recovered == masks)
  }

  @Test func densePruningChangesNothing() throws {
    let model = S.plainMLP()
    let before = model.parameters.map(\.value)
    let (same, masks) = try Pruner.prune(model, method: .dense)
    #expect(same === model && masks == nil)
    #expect(model.parameters.map(\.value) == before)
  }
}
