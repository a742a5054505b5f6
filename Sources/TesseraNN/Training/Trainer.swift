import Tessera

/// Settings of a training run.
public struct TrainingConfiguration: Sendable, Equatable {
  /// Passes over the training set.
  public var epochs: Int
  /// Samples per mini-batch (the last, smaller batch is kept when it has ≥ 2 samples).
  public var batchSize: Int
  /// Seed of the initial weights, the shuffles, the augmentation and dropout.
  public var seed: UInt64
  /// Random augmentation of training batches (nil = none).
  public var augmentation: Augmentation?
  /// Batch size used for evaluation.
  public var evaluationBatchSize: Int

  /// Makes a configuration.
  /// - Parameters:
  ///   - epochs: passes over the training set.
  ///   - batchSize: samples per mini-batch.
  ///   - seed: the run's seed.
  ///   - augmentation: optional augmentation.
  ///   - evaluationBatchSize: batch size for evaluation.
  public init(epochs: Int = 10, batchSize: Int = 64, seed: UInt64 = 1, augmentation: Augmentation? = nil, evaluationBatchSize: Int = 500) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.augmentation = augmentation
    self.evaluationBatchSize = evaluationBatchSize
  }
}

/// Metrics of one epoch, as written to the JSONL log.
public struct EpochMetrics: Sendable, Equatable, Codable {
  /// 1-based epoch.
  public var epoch: Int
  /// Mean loss over the epoch's training batches (training mode, augmented).
  public var trainLoss: Double
  /// Accuracy over the epoch's training batches (training mode, augmented), in [0, 1].
  public var trainAccuracy: Double
  /// Mean loss on the test set (inference mode).
  public var testLoss: Double
  /// Top-1 accuracy on the test set, in [0, 1].
  public var testAccuracy: Double
  /// Wall seconds of the epoch's training (evaluation excluded).
  public var seconds: Double
  /// Learning rate at the epoch's last step.
  public var learningRate: Double
  /// Training samples per second.
  public var samplesPerSecond: Double

  enum CodingKeys: String, CodingKey {
    case epoch, seconds
    case trainLoss = "train_loss", trainAccuracy = "train_acc", testLoss = "test_loss", testAccuracy = "test_acc"
    case learningRate = "lr", samplesPerSecond = "samples_per_s"
  }
}

/// Progress of the current batch, for progress bars.
public struct BatchProgress: Sendable {
  /// 1-based epoch.
  public var epoch: Int
  /// Total epochs.
  public var epochs: Int
  /// 1-based batch within the epoch.
  public var batch: Int
  /// Batches per epoch.
  public var batches: Int
  /// Mean training loss so far in this epoch.
  public var loss: Double
  /// Training samples per second so far in this epoch.
  public var samplesPerSecond: Double
}

/// Mini-batch training of a ``Sequential`` with softmax cross-entropy.
///
/// Reproducible: the same seed, data and configuration give bit-identical weights on the same
/// machine and BLAS thread count (shuffles, augmentation and dropout draw from separate seeded
/// streams; every reduction runs in a fixed order).
///
/// For example:
/// ```swift
/// let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3),
///                       schedule: .cosine(base: 1e-3, totalSteps: 630),
///                       configuration: .init(epochs: 10, batchSize: 64, seed: 42))
/// let history = try trainer.fit(train: train, test: test)
/// ```
public final class Trainer {
  /// The model being trained.
  public let model: Sequential
  /// The optimizer.
  public let optimizer: any Optimizer
  /// The learning-rate schedule, evaluated at every step.
  public let schedule: LearningRateSchedule
  /// The run's settings.
  public let configuration: TrainingConfiguration
  /// Steps taken so far.
  public private(set) var step = 0
  /// Called after every optimizer update with the model (nil = nothing). Pruning uses it to
  /// re-apply its keep masks, so that weights set to zero stay zero while the others train.
  public var afterUpdate: ((Sequential) -> Void)?
  private var shuffleGenerator: SplitMix64
  private var augmentGenerator: SplitMix64

  /// Makes a trainer and draws the model's initial weights from `configuration.seed`.
  /// - Parameters:
  ///   - model: the model (its parameters are re-initialized unless `resetParameters` is false).
  ///   - optimizer: the optimizer.
  ///   - schedule: the learning-rate schedule.
  ///   - configuration: the run's settings.
  ///   - resetParameters: re-draw the initial weights from the seed (false to fine-tune).
  public init(
    model: Sequential, optimizer: any Optimizer, schedule: LearningRateSchedule,
    configuration: TrainingConfiguration, resetParameters: Bool = true
  ) {
    self.model = model
    self.optimizer = optimizer
    self.schedule = schedule
    self.configuration = configuration
    shuffleGenerator = SplitMix64(seed: SplitMix64.derivedSeed(configuration.seed, stream: 0x5EED_0001))
    augmentGenerator = SplitMix64(seed: SplitMix64.derivedSeed(configuration.seed, stream: 0x5EED_0002))
    if resetParameters { model.resetParameters(seed: configuration.seed) }
  }

  /// Batches per epoch for `sampleCount` training samples.
  /// - Parameter sampleCount: training samples.
  public func batchesPerEpoch(sampleCount: Int) -> Int {
    let size = max(configuration.batchSize, 1)
    return sampleCount / size + (sampleCount % size >= 2 ? 1 : 0)
  }

  /// One optimizer step on one batch: forward, loss, backward, update.
  /// - Parameters:
  ///   - images: the batch `[n] + inputShape`.
  ///   - labels: `n` class indices.
  /// - Returns: the batch's mean loss and number of correct predictions.
  /// - Throws: `TesseraError` when shapes or labels do not fit the model.
  @discardableResult
  public func trainStep(images: Tensor<Float>, labels: [Int]) throws -> (loss: Float, correct: Int) {
    model.isTraining = true
    optimizer.learningRate = schedule.learningRate(atStep: step)
    let logits = try model(images)
    let (loss, gradient, correct) = try softmaxCrossEntropy(logits: logits, labels: labels)
    try model.backwardToParameters(gradient)
    optimizer.update(model.parameters)
    afterUpdate?(model)
    step += 1
    return (loss, correct)
  }

  /// One pass over `train` in a seeded random order.
  /// - Parameters:
  ///   - epoch: 1-based epoch number (for progress).
  ///   - train: the training set.
  ///   - onBatch: called after every batch.
  /// - Returns: mean loss, accuracy, seconds.
  /// - Throws: `TesseraError` when the data does not fit the model.
  public func trainEpoch(
    _ epoch: Int, on train: Dataset, onBatch: ((BatchProgress) -> Void)? = nil
  ) throws -> (loss: Double, accuracy: Double, seconds: Double) {
    var order = Array(0..<train.count)
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      order.swapAt(i, shuffleGenerator.nextIndex(below: i + 1))
    }
    let size = max(configuration.batchSize, 1)
    let batches = batchesPerEpoch(sampleCount: train.count)
    let start = monotonicSeconds()
    var lossSum = 0.0, correct = 0, seen = 0
    for b in 0..<batches {
      let indices = Array(order[(b * size)..<min((b + 1) * size, order.count)])
      let part = try train.subset(indices)
      var pixels = part.pixels
      if let augmentation = configuration.augmentation {
        augmentation.apply(to: &pixels, count: indices.count, shape: train.sampleShape, using: &augmentGenerator)
      }
      let images = try Tensor(shape: [indices.count] + train.sampleShape, scalars: pixels)
      let (loss, hits) = try trainStep(images: images, labels: part.labels)
      guard loss.isFinite else {
        throw TesseraError.invalidArgument(
          "training diverged at epoch \(epoch), batch \(b + 1): the loss is \(loss) (lower the learning rate or momentum)")
      }
      lossSum += Double(loss) * Double(indices.count)
      correct += hits
      seen += indices.count
      onBatch?(BatchProgress(
        epoch: epoch, epochs: configuration.epochs, batch: b + 1, batches: batches, loss: lossSum / Double(seen),
        samplesPerSecond: Double(seen) / max(monotonicSeconds() - start, 1e-9)))
    }
    return (lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)), monotonicSeconds() - start)
  }

  /// Trains for ``TrainingConfiguration/epochs`` epochs, evaluating on `test` after each.
  /// - Parameters:
  ///   - train: the training set.
  ///   - test: the held-out set.
  ///   - onBatch: called after every batch.
  ///   - onEpoch: called after every epoch with its metrics.
  /// - Returns: the metrics of every epoch.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` when the data cannot train or test this
  ///   model (see ``checkFit(train:test:)``), `TesseraError.invalidArgument(_:)` when the loss
  ///   stops being finite (training diverged), or what `onEpoch` throws.
  @discardableResult
  public func fit(
    train: Dataset, test: Dataset, onBatch: ((BatchProgress) -> Void)? = nil,
    onEpoch: ((EpochMetrics) throws -> Void)? = nil
  ) throws -> [EpochMetrics] {
    try checkFit(train: train, test: test)
    var history = [EpochMetrics]()
    for epoch in 1...max(configuration.epochs, 1) {
      let (loss, accuracy, seconds) = try trainEpoch(epoch, on: train, onBatch: onBatch)
      let (testLoss, testAccuracy) = try Self.evaluate(model, on: test, batchSize: configuration.evaluationBatchSize)
      guard testLoss.isFinite else {
        throw TesseraError.invalidArgument(
          "training diverged in epoch \(epoch): the test loss is \(testLoss) (lower the learning rate or momentum)")
      }
      let metrics = EpochMetrics(
        epoch: epoch, trainLoss: loss, trainAccuracy: accuracy, testLoss: testLoss, testAccuracy: testAccuracy,
        seconds: seconds, learningRate: Double("\(optimizer.learningRate)") ?? Double(optimizer.learningRate),
        samplesPerSecond: Double(train.count) / max(seconds, 1e-9))
      history.append(metrics)
      try onEpoch?(metrics)
    }
    model.isTraining = false
    return history
  }

  /// Mean loss and top-1 accuracy of `model` on `data` in inference mode.
  /// - Parameters:
  ///   - model: the model (left in inference mode).
  ///   - data: the samples.
  ///   - batchSize: samples per forward pass.
  /// - Returns: (mean loss, accuracy in [0, 1]).
  /// - Throws: `TesseraError` when the data does not fit the model,
  ///   ``DatasetError/mismatch(path:reason:)`` when `data` is empty.
  public static func evaluate(_ model: Sequential, on data: Dataset, batchSize: Int = 500) throws -> (loss: Double, accuracy: Double) {
    model.isTraining = false
    guard data.count > 0 else { throw DatasetError.mismatch(path: data.source, reason: "no samples to evaluate on") }
    var lossSum = 0.0, correct = 0
    var start = 0
    while start < data.count {
      let indices = Array(start..<min(start + max(batchSize, 1), data.count))
      let (images, labels) = try data.batch(indices)
      let (loss, _, hits) = try softmaxCrossEntropy(logits: try model(images), labels: labels)
      lossSum += Double(loss) * Double(indices.count)
      correct += hits
      start += indices.count
    }
    return (lossSum / Double(data.count), Double(correct) / Double(data.count))
  }

  /// Checks, before any work, that `train` and `test` can train and evaluate the model: both
  /// have the model's sample shape, training yields at least one batch of 2, the test set is
  /// not empty, the model ends in a vector with an output for every label, and it has
  /// parameters to train.
  /// - Parameters:
  ///   - train: the training set.
  ///   - test: the held-out set.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` naming the data set and the problem,
  ///   `TesseraError.invalidArgument(_:)` for a model without trainable parameters.
  public func checkFit(train: Dataset, test: Dataset) throws {
    for data in [train, test] where data.sampleShape != model.inputShape {
      throw DatasetError.mismatch(
        path: data.source, reason: "samples are \(data.sampleShape) but model \(model.name) takes \(model.inputShape)")
    }
    guard batchesPerEpoch(sampleCount: train.count) > 0 else {
      throw DatasetError.mismatch(
        path: train.source, reason: "\(train.count) training sample(s); a training batch needs at least 2")
    }
    guard test.count > 0 else { throw DatasetError.mismatch(path: test.source, reason: "no test samples to evaluate on") }
    let output: [Int]
    do { output = try model.outputShape() } catch let error as TesseraError {
      throw DatasetError.mismatch(path: train.source, reason: error.description)
    }
    for data in [train, test] {
      guard let top = data.labels.max() else { continue }
      guard output.count == 1, top < output[0] else {
        throw DatasetError.mismatch(
          path: data.source, reason: "label \(top) needs \(top + 1) class scores but model \(model.name) outputs \(output)")
      }
    }
    guard model.trainableParameterCount > 0 else {
      throw TesseraError.invalidArgument("model \(model.name) has no trainable parameters")
    }
  }
}
