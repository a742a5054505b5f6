import Testing
import Tessera
import TesseraNN
@testable import TesseraCompression

/// Low-rank factorization: exact at full rank, ranks meet the energy and size targets.
@Suite struct LowRankTests {
  typealias S = CompressionTestSupport

  @Test func fullRankReproducesDenseAndConvLayers() throws {
    for model in [S.plainCNN(), S.plainMLP()] {
      let x = try S.batch(3, shape: model.inputShape, seed: 2)
      let expected = try model(x)
      let names = model.layers.compactMap { $0 is Dense || $0 is Conv2D ? $0.name : nil }
      let (factored, reports) = try LowRank.factorize(model, target: .rank(1_000), layers: names)
      #expect(reports.count == names.count)
      #expect(reports.allSatisfy { $0.rank == $0.fullRank && abs($0.retainedEnergy - 1) < 1e-9 })
      #expect(factored.layers.count == model.layers.count + names.count)
      factored.isTraining = false
      // Float SVD: relative error of a few float ulps times the matrix size.
      #expect(S.relativeError(expected, try factored(x)) < 1e-4, "\(model.name)")
    }
  }

  @Test func convolutionFactorsAreAKxKConvThenA1x1Conv() throws {
    let model = S.plainCNN()
    let (factored, reports) = try LowRank.factorize(model, target: .rank(2), layers: ["conv2"])
    #expect(reports.map(\.layer) == ["conv2"])
    let v = try #require(factored.layers.first { $0.name == "conv2_v" } as? Conv2D)
    let u = try #require(factored.layers.first { $0.name == "conv2_u" } as? Conv2D)
    #expect(v.kernelSize == (3, 3) && v.padding == (1, 1) && v.outputChannels == 2 && v.bias == nil)
    #expect(u.kernelSize == (1, 1) && u.inputChannels == 2 && u.outputChannels == 6 && u.bias != nil)
    #expect(reports[0].paramsAfter == 2 * (6 + 36) + 6 && reports[0].paramsBefore == 6 * 36 + 6)
  }

  @Test(arguments: [0.5, 0.9, 0.99])
  func energyTargetPicksTheSmallestRankThatMeetsIt(energy: Double) throws {
    let model = S.plainCNN()
    let (_, reports) = try LowRank.factorize(model, target: .energy(energy), layers: ["fc1", "conv2"])
    for r in reports {
      #expect(r.retainedEnergy >= energy - 1e-9)
      let weight = S.weight(model, r.layer)
      let s = try LAPACK.svd(try Tensor(shape: [r.rows, r.columns], scalars: weight.value)).s
      if r.rank > 1 { #expect(LowRankTarget.retainedEnergy(s, rank: r.rank - 1) < energy) }
    }
  }

  @Test func parameterTargetHalvesTheMLPFirstLayer() throws {
    let model = Sequential(name: "mlp", inputShape: [784], layers: [
      Dense(inputs: 784, outputs: 256, name: "fc1"), ReLU(name: "relu1"), Dense(inputs: 256, outputs: 10, name: "fc2"),
    ])
    S.randomize(model, seed: 8)
    let (factored, reports) = try LowRank.factorize(model, target: .parameterFraction(0.5), layers: ["fc1"])
    let r = try #require(reports.first)
    #expect(r.rank == 96)
    #expect(r.rank * (784 + 256) <= 784 * 256 / 2 && (r.rank + 1) * (784 + 256) > 784 * 256 / 2)
    #expect(factored.layers.compactMap { ($0 as? Dense).map { [$0.inputs, $0.outputs] } } == [[784, 96], [96, 256], [256, 10]])
    #expect(factored.layers.compactMap { $0 as? Dense }.map { $0.bias != nil } == [false, true, true])
  }

  @Test func defaultSelectionSkipsLayersThatWouldGrow() throws {
    let model = S.plainMLP()  // 16→8, 8→6, 6→3: rank r costs r·(m + n)
    let (factored, reports) = try LowRank.factorize(model, target: .rank(2))
    // fc1: 2·24 = 48 < 128; fc2: 2·14 = 28 < 48; fc3: 2·9 = 18 == 18, not smaller → kept.
    #expect(reports.map(\.layer) == ["fc1", "fc2"])
    #expect(factored.layers.map(\.name) == ["fc1_v", "fc1_u", "relu1", "fc2_v", "fc2_u", "relu2", "fc3"])
    #expect(throws: CompressionError.self) { try LowRank.factorize(model, target: .rank(2), layers: ["relu1"]) }
    #expect(throws: CompressionError.self) { try LowRank.factorize(model, target: .energy(0)) }
  }

  @Test func factorizedTrainingModelExportsAndReloads() throws {
    let model = S.trainingCNN()
    let (factored, _) = try LowRank.factorize(model, target: .rank(3), layers: ["fc1"])
    factored.isTraining = false
    let reloaded = try Sequential(modelFile: try factored.modelFile())
    let x = try S.batch(2, shape: [1, 8, 8], seed: 4)
    #expect(S.relativeError(try factored(x), try reloaded(x)) < 1e-4)
  }
}
