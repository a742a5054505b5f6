import Foundation
import Tessera
import Testing
@testable import TesseraNN

struct TrainingTests {
  func train(seed: UInt64, optimizer: any Optimizer, epochs: Int = 3) throws -> (Sequential, [EpochMetrics]) {
    let model = TestSupport.smallCNN()
    let data = try TestSupport.syntheticDataset(count: 96, seed: 9)
    let (trainSet, testSet) = try data.stratifiedSplit(trainFraction: 0.75)
    let trainer = Trainer(
      model: model, optimizer: optimizer, schedule: .cosine(base: optimizer.learningRate, totalSteps: epochs * 5, warmupSteps: 2),
      configuration: TrainingConfiguration(epochs: epochs, batchSize: 16, seed: seed, augmentation: Augmentation(maxShift: 1, maxRotationDegrees: 5)))
    return (model, try trainer.fit(train: trainSet, test: testSet))
  }

  @Test(arguments: [OptimizerKind.sgd, .adam])
  func lossFalls(kind: OptimizerKind) throws {
    let optimizer: any Optimizer = kind == .sgd ? SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4) : Adam(learningRate: 0.01)
    let (_, history) = try train(seed: 1, optimizer: optimizer, epochs: 6)
    #expect(history.count == 6)
    #expect(history.last!.trainLoss < history.first!.trainLoss * 0.8, "\(history.map(\.trainLoss))")
    #expect(history.last!.testLoss < 1.0986, "below chance-level loss ln 3")
  }

  /// Same seed ⇒ bit-identical weights (same machine, same BLAS threads); another seed differs.
  @Test func sameSeedIsBitIdentical() throws {
    let a = try train(seed: 7, optimizer: SGD(learningRate: 0.05)).0.parameters.map(\.value)
    let b = try train(seed: 7, optimizer: SGD(learningRate: 0.05)).0.parameters.map(\.value)
    let c = try train(seed: 8, optimizer: SGD(learningRate: 0.05)).0.parameters.map(\.value)
    #expect(a.map { $0.map(\.bitPattern) } == b.map { $0.map(\.bitPattern) })
    #expect(a != c)
  }

  /// The trainer's shortened backward pass gives exactly the gradients of the full one.
  @Test(arguments: [false, true])
  func backwardToParametersMatchesBackward(mlp: Bool) throws {
    let model = mlp
      ? Sequential(inputShape: [1, 8, 8], layers: [Flatten(), Dense(inputs: 64, outputs: 7), ReLU(), Dense(inputs: 7, outputs: 3)])
      : TestSupport.smallCNN()
    model.resetParameters(seed: 4)
    let (x, y) = try TestSupport.syntheticDataset(count: 6, seed: 2).batch(Array(0..<6))
    model.isTraining = true
    for case let drop as Dropout in model.layers { drop.isTraining = false }
    let full: [[Float]] = try {
      let (_, g, _) = try softmaxCrossEntropy(logits: try model(x), labels: y)
      try model.backward(g)
      return model.parameters.filter(\.isTrainable).map(\.gradient)
    }()
    let (_, g, _) = try softmaxCrossEntropy(logits: try model(x), labels: y)
    try model.backwardToParameters(g)
    #expect(model.parameters.filter(\.isTrainable).map(\.gradient) == full)
  }

  @Test func sgdStepMatchesHandComputation() {
    let p = Parameter(role: "weight", shape: [2], decays: true)
    p.value = [1, -2]
    p.gradient = [0.5, 0.25]
    let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
    sgd.update([p])  // v = g + λw = [0.51, 0.23]; w -= 0.1 v
    #expect(abs(p.value[0] - 0.949) < 1e-6 && abs(p.value[1] + 2.023) < 1e-6)
    sgd.update([p])  // v = 0.9 v + g + λw
    let v0: Float = 0.9 * 0.51 + 0.5 + 0.01 * 0.949
    #expect(abs(p.value[0] - (0.949 - 0.1 * v0)) < 1e-6)
  }

  @Test func adamFirstStepMovesByLearningRate() {
    let p = Parameter(role: "bias", shape: [3])
    p.value = [0, 0, 0]
    p.gradient = [2, -0.001, 0]
    Adam(learningRate: 0.01).update([p])
    // Bias-corrected m̂/√v̂ = sign(g) on the first step.
    #expect(abs(p.value[0] + 0.01) < 1e-6 && abs(p.value[1] - 0.01) < 1e-5 && p.value[2] == 0)
  }

  @Test func schedules() {
    let cosine = LearningRateSchedule.cosine(base: 1, totalSteps: 110, warmupSteps: 10)
    #expect(cosine.learningRate(atStep: 0) == 0.1)
    #expect(cosine.learningRate(atStep: 9) == 1)
    #expect(abs(cosine.learningRate(atStep: 60) - 0.5) < 1e-6)
    #expect(cosine.learningRate(atStep: 110) == 0)
    let step = LearningRateSchedule.step(base: 1, stepSize: 10, gamma: 0.5)
    #expect(step.learningRate(atStep: 9) == 1 && step.learningRate(atStep: 25) == 0.25)
  }

  @Test func evaluationAndCurves() throws {
    let (model, history) = try train(seed: 2, optimizer: Adam(learningRate: 0.01), epochs: 2)
    let data = try TestSupport.syntheticDataset(count: 30, seed: 4)
    let (loss, accuracy) = try Trainer.evaluate(model, on: data, batchSize: 7)
    #expect(loss.isFinite && accuracy >= 0 && accuracy <= 1)
    let svg = TrainingCurves.svg(history, title: "t <1>")
    #expect(svg.hasPrefix("<?xml") && svg.contains("<polyline") && svg.contains("t &lt;1&gt;") && svg.hasSuffix("</svg>\n"))
    let line = String(decoding: try JSONEncoder().encode(history[0]), as: UTF8.self)
    for key in ["\"epoch\"", "\"train_loss\"", "\"train_acc\"", "\"test_loss\"", "\"test_acc\"", "\"seconds\""] {
      #expect(line.contains(key))
    }
  }

  @Test func gemmTimerCountsCalls() throws {
    let model = TestSupport.smallCNN()
    let timer = GEMMTimer()
    model.gemmTimer = timer
    let data = try TestSupport.syntheticDataset(count: 8, seed: 1)
    let trainer = Trainer(model: model, optimizer: SGD(learningRate: 0.01), schedule: .constant(0.01), configuration: .init(seed: 1))
    let (x, y) = try data.batch(Array(0..<8))
    try trainer.trainStep(images: x, labels: y)
    #expect(timer.calls == 11)  // 4 GEMM layers × (1 forward + 2 backward), minus conv1's unused dX
    #expect(timer.seconds > 0 && timer.multiplyAccumulates > 0)
  }
}
