import Foundation
import Tessera

/// The report of `tessera train`: the run's settings, every epoch's metrics and the accuracy of
/// the exported model file.
///
/// JSON fields: `model`, `out`, `parameters`, `seed`, `optimizer`, `lr`, `batch_size`,
/// `augment`, `train_samples`, `test_samples`, `epochs` (array of ``EpochMetrics``),
/// `test_acc`, `test_loss` (of the exported, BatchNorm-folded model), `seconds`.
public struct TrainReport: TabularReport, Sendable, Equatable {
  /// Model name.
  public var model: String
  /// Path of the written model file.
  public var out: String
  /// Trainable parameters during training.
  public var parameters: Int
  /// The run's seed.
  public var seed: UInt64
  /// Optimizer name.
  public var optimizer: String
  /// Peak learning rate.
  public var learningRate: Double
  /// Mini-batch size.
  public var batchSize: Int
  /// Whether augmentation was on.
  public var augment: Bool
  /// Training samples.
  public var trainSamples: Int
  /// Test samples.
  public var testSamples: Int
  /// Metrics per epoch.
  public var epochs: [EpochMetrics]
  /// Test accuracy of the exported model file, in [0, 1].
  public var testAccuracy: Double
  /// Test loss of the exported model file.
  public var testLoss: Double
  /// Total training seconds (evaluation excluded).
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case model, out, parameters, seed, optimizer, augment, epochs, seconds
    case learningRate = "lr", batchSize = "batch_size", trainSamples = "train_samples", testSamples = "test_samples"
    case testAccuracy = "test_acc", testLoss = "test_loss"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - model: model name.
  ///   - out: model file path.
  ///   - parameters: trainable parameters.
  ///   - seed: seed.
  ///   - optimizer: optimizer name.
  ///   - learningRate: peak learning rate.
  ///   - batchSize: batch size.
  ///   - augment: augmentation on.
  ///   - trainSamples: training samples.
  ///   - testSamples: test samples.
  ///   - epochs: metrics per epoch.
  ///   - testAccuracy: exported model's test accuracy.
  ///   - testLoss: exported model's test loss.
  public init(
    model: String, out: String, parameters: Int, seed: UInt64, optimizer: String, learningRate: Double,
    batchSize: Int, augment: Bool, trainSamples: Int, testSamples: Int, epochs: [EpochMetrics],
    testAccuracy: Double, testLoss: Double
  ) {
    self.model = model
    self.out = out
    self.parameters = parameters
    self.seed = seed
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.augment = augment
    self.trainSamples = trainSamples
    self.testSamples = testSamples
    self.epochs = epochs
    self.testAccuracy = testAccuracy
    self.testLoss = testLoss
    self.seconds = epochs.reduce(0) { $0 + $1.seconds }
  }

  /// `train <model> → <out>`.
  public var title: String? {
    "train \(model) (\(parameters) parameters, \(optimizer) lr \(learningRate), batch \(batchSize), seed \(seed)\(augment ? ", augmented" : ""))"
  }

  /// The exported model's accuracy and the total time.
  public var notes: [String] {
    [
      "exported \(out): test accuracy \(percentText(testAccuracy)) (\(testSamples) samples), test loss \(ReportNumber.format(testLoss, significant: 4, maxDecimals: 4))",
      "training time \(ReportNumber.format(seconds, significant: 3, maxDecimals: 1)) s (\(epochs.count) epochs of \(trainSamples) samples)",
    ]
  }

  /// One row per epoch.
  /// - Parameter format: table or csv.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    let titles = human
      ? ["epoch", "train loss", "train acc", "test loss", "test acc", "lr", "s", "samples/s"]
      : ["epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr", "seconds", "samples_per_s"]
    var table = ReportTable(columns: titles.map { .init($0, alignment: .right) })
    for e in epochs {
      let cells = human
        ? [
          "\(e.epoch)", ReportNumber.format(e.trainLoss, significant: 4, maxDecimals: 4), percentText(e.trainAccuracy),
          ReportNumber.format(e.testLoss, significant: 4, maxDecimals: 4), percentText(e.testAccuracy),
          ReportNumber.format(e.learningRate, significant: 3, maxDecimals: 5), ReportNumber.format(e.seconds, significant: 3, maxDecimals: 2),
          ReportNumber.format(e.samplesPerSecond, significant: 4, maxDecimals: 0),
        ]
        : [e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.learningRate, e.seconds, e.samplesPerSecond]
          .map { "\($0)" }
      try? table.append(cells)
    }
    return table
  }
}

/// `0.9712` → `"97.12%"`.
func percentText(_ fraction: Double) -> String {
  fraction.isFinite ? String(format: "%.2f%%", fraction * 100) : "n/a"
}
