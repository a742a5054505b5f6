/// What the report reads from `tessera train --format json`: the per-epoch curves and the
/// exported model's accuracy. Unknown fields are ignored; only `epochs` is required.
public struct TrainingRun: Sendable, Equatable, Decodable {
  /// One epoch's metrics.
  public struct Epoch: Sendable, Equatable, Decodable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss.
    public var trainLoss: Double
    /// Training accuracy in [0, 1].
    public var trainAccuracy: Double
    /// Test loss.
    public var testLoss: Double
    /// Test accuracy in [0, 1].
    public var testAccuracy: Double
    /// Training seconds of the epoch.
    public var seconds: Double?

    enum CodingKeys: String, CodingKey {
      case epoch, seconds
      case trainLoss = "train_loss", trainAccuracy = "train_acc", testLoss = "test_loss", testAccuracy = "test_acc"
    }

    /// Makes an epoch.
    /// - Parameters:
    ///   - epoch: 1-based index.
    ///   - trainLoss: loss.
    ///   - trainAccuracy: accuracy.
    ///   - testLoss: loss.
    ///   - testAccuracy: accuracy.
    ///   - seconds: training seconds.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double, seconds: Double? = nil) {
      self.epoch = epoch
      self.trainLoss = trainLoss
      self.trainAccuracy = trainAccuracy
      self.testLoss = testLoss
      self.testAccuracy = testAccuracy
      self.seconds = seconds
    }
  }

  /// Model name.
  public var model: String?
  /// Trainable parameters.
  public var parameters: Int?
  /// Optimizer name.
  public var optimizer: String?
  /// Peak learning rate.
  public var learningRate: Double?
  /// Mini-batch size.
  public var batchSize: Int?
  /// Training samples.
  public var trainSamples: Int?
  /// Test samples.
  public var testSamples: Int?
  /// Every epoch, in order.
  public var epochs: [Epoch]
  /// Test accuracy of the exported model file.
  public var testAccuracy: Double?
  /// Test loss of the exported model file.
  public var testLoss: Double?
  /// Total training seconds.
  public var seconds: Double?

  enum CodingKeys: String, CodingKey {
    case model, parameters, optimizer, epochs, seconds
    case learningRate = "lr", batchSize = "batch_size", trainSamples = "train_samples", testSamples = "test_samples"
    case testAccuracy = "test_acc", testLoss = "test_loss"
  }

  /// Makes a run from epochs alone.
  /// - Parameters:
  ///   - model: model name.
  ///   - epochs: the epochs.
  ///   - testAccuracy: final test accuracy.
  public init(model: String? = nil, epochs: [Epoch], testAccuracy: Double? = nil) {
    self.model = model
    self.epochs = epochs
    self.testAccuracy = testAccuracy
  }
}
