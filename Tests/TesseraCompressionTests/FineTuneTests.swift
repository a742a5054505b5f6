import Testing
import Tessera
import TesseraNN
@testable import TesseraCompression

/// Fine-tuning keeps pruned weights at zero and recovers accuracy.
@Suite struct FineTuneTests {
  typealias S = CompressionTestSupport

  /// A small CNN trained briefly on the synthetic set.
  func trainedCNN() throws -> (Sequential, Dataset, Dataset) {
    let train = try S.syntheticDataset(count: 240, seed: 1), test = try S.syntheticDataset(count: 90, seed: 2)
    let model = S.trainingCNN()
    let trainer = Trainer(
      model: model, optimizer: SGD(learningRate: 0.05), schedule: .constant(0.05),
      configuration: .init(epochs: 3, batchSize: 16, seed: 3))
    try trainer.fit(train: train, test: test)
    return (model, train, test)
  }

  @Test(arguments: ["2:4", "magnitude:0.7", "global:0.6"])
  func zerosStayZeroDuringFineTuning(method text: String) throws {
    let (model, train, test) = try trainedCNN()
    let method = try PruningMethod(parsing: text)
    let (pruned, maybeMasks) = try Pruner.prune(model, method: method)
    let masks = try #require(maybeMasks)
    let before = masks.layers.map { S.weight(pruned, $0.layer).value }
    var settings = FineTuning(epochs: 2, learningRate: 0.02, batchSize: 16, augmentation: nil)
    settings.gradual = false
    let history = try FineTuner.fineTune(pruned, method: method, masks: masks, train: train, test: test, settings: settings)
    #expect(history.count == 2)
    for (mask, old) in zip(masks.layers, before) {
      let w = S.weight(pruned, mask.layer).value
      #expect(zip(mask.keep, w).allSatisfy { $0 || $1 == 0 }, "\(mask.layer): masked weights stay zero")
      #expect(w != old, "\(mask.layer): kept weights train")
    }
  }

  @Test func gradualScheduleEndsExactlyAtTheTarget() throws {
    let (model, train, test) = try trainedCNN()
    var sparsities = [Double]()
    let settings = FineTuning(epochs: 2, learningRate: 0.02, batchSize: 16, augmentation: nil, gradual: true, maskUpdateInterval: 3)
    try FineTuner.fineTune(model, method: .magnitude(sparsity: 0.75), masks: nil, train: train, test: test, settings: settings) { _ in
      sparsities.append(Double(S.zeros(S.weight(model, "fc1").value)) / Double(S.weight(model, "fc1").count))
    }
    #expect(sparsities.count == 2)
    for name in ["conv1", "conv2", "fc1"] {
      let w = S.weight(model, name).value
      #expect(S.zeros(w) == Int((0.75 * Double(w.count)).rounded()), "\(name)")
    }
    #expect(S.zeros(S.weight(model, "fc2").value) == 0)
  }

  @Test func cubicScheduleRisesFromTheInitialSparsity() throws {
    let model = S.plainMLP()
    let schedule = try MaskSchedule(gradual: .magnitude(sparsity: 0.8), model: model, layers: ["fc1", "fc2"], endStep: 100, interval: 10)
    #expect(schedule.sparsity(atStep: 0) == 0)
    #expect(abs(schedule.sparsity(atStep: 50) - 0.8 * (1 - 0.125)) < 1e-12)
    #expect(schedule.sparsity(atStep: 100) == 0.8 && schedule.sparsity(atStep: 150) == 0.8)
  }

  @Test func fineTuningOnAFewHundredDigitsImprovesTheBundledMLP() throws {
    guard S.hasBundledFiles else {
      print("SKIPPED: Models/mlp.safetensors or Models/data/mnist_5k.csv.gz is missing")
      return
    }
    let all = try Dataset.load(path: S.bundledCSV)
    let (trainPart, testPart) = try all.stratifiedSplit()
    let train = try trainPart.subset(Array(0..<400)), test = try testPart.subset(Array(0..<300))
    let model = try Sequential(modelFile: ModelFile(contentsOf: S.bundledMLP))
    let (pruned, masks) = try Pruner.prune(model, method: .magnitude(sparsity: 0.95))
    let prunedAccuracy = try Trainer.evaluate(pruned, on: test).accuracy
    var settings = FineTuning(epochs: 2, learningRate: 0.01, augmentation: nil)
    settings.gradual = false
    try FineTuner.fineTune(pruned, method: .magnitude(sparsity: 0.95), masks: masks, train: train, test: test, settings: settings)
    let tunedAccuracy = try Trainer.evaluate(pruned, on: test).accuracy
    #expect(tunedAccuracy > prunedAccuracy + 0.02, "pruned \(prunedAccuracy), fine-tuned \(tunedAccuracy)")
    #expect(abs(try #require(masks).density - 0.05) < 1e-3)
  }

  @Test func badSettingsAreRejected() throws {
    let model = S.plainMLP()
    let data = try Dataset(pixels: [Float](repeating: 0, count: 32), labels: [0, 1], sampleShape: [16], classCount: 3)
    for settings in [FineTuning(epochs: -1), FineTuning(learningRate: 0), FineTuning(batchSize: 1), FineTuning(pruningEnd: 0)] {
      #expect(throws: CompressionError.self) {
        try FineTuner.fineTune(model, method: .dense, masks: nil, train: data, test: data, settings: settings)
      }
    }
    let other = try Pruner.masks(for: S.plainCNN(), method: .nOfM(n: 2, m: 4))
    #expect(throws: CompressionError.self) {
      try FineTuner.fineTune(model, method: .nOfM(n: 2, m: 4), masks: other, train: data, test: data, settings: FineTuning())
    }
  }
}
