/// Optimizer choice of a ``TrainingRecipe``.
public enum OptimizerKind: String, Sendable, CaseIterable, Codable {
  /// ``SGD`` with momentum.
  case sgd
  /// ``Adam`` (decoupled weight decay).
  case adam
}

/// Learning-rate schedule choice of a ``TrainingRecipe``.
public enum ScheduleKind: String, Sendable, CaseIterable, Codable {
  /// Cosine decay to zero after a linear warm-up.
  case cosine
  /// ×0.1 after each third of training.
  case step
  /// Constant rate.
  case constant
}

/// Everything that defines a training run besides the data: the defaults of
/// `tessera train --model mlp|lenet`, chosen to reach the accuracy targets on the bundled split
/// (docs/training.md).
///
/// For example:
/// ```swift
/// var recipe = TrainingRecipe.defaults(for: "lenet")
/// recipe.epochs = 5
/// let optimizer = recipe.makeOptimizer()
/// ```
public struct TrainingRecipe: Sendable, Equatable {
  /// Passes over the training set.
  public var epochs: Int
  /// Samples per mini-batch.
  public var batchSize: Int
  /// Optimizer.
  public var optimizer: OptimizerKind
  /// Peak learning rate.
  public var learningRate: Float
  /// SGD momentum (ignored by Adam).
  public var momentum: Float
  /// Weight decay (L2 for SGD, decoupled for Adam), on weights only.
  public var weightDecay: Float
  /// Schedule.
  public var schedule: ScheduleKind
  /// Linear warm-up length in epochs (cosine only).
  public var warmupEpochs: Int
  /// Augmentation of training batches (nil = none).
  public var augmentation: Augmentation?

  /// Makes a recipe.
  /// - Parameters:
  ///   - epochs: passes over the training set.
  ///   - batchSize: samples per mini-batch.
  ///   - optimizer: optimizer.
  ///   - learningRate: peak learning rate.
  ///   - momentum: SGD momentum.
  ///   - weightDecay: weight decay.
  ///   - schedule: schedule.
  ///   - warmupEpochs: warm-up epochs.
  ///   - augmentation: augmentation.
  public init(
    epochs: Int, batchSize: Int = 64, optimizer: OptimizerKind, learningRate: Float, momentum: Float = 0.9,
    weightDecay: Float = 0, schedule: ScheduleKind = .cosine, warmupEpochs: Int = 1, augmentation: Augmentation? = .standard
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.schedule = schedule
    self.warmupEpochs = warmupEpochs
    self.augmentation = augmentation
  }

  /// The default recipe of a zoo model (`mlp`, `lenet`); graph files get the MLP recipe.
  /// - Parameter model: the model name.
  public static func defaults(for model: String) -> TrainingRecipe {
    switch model {
    case "lenet":
      TrainingRecipe(epochs: 30, optimizer: .sgd, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
    default:
      TrainingRecipe(epochs: 40, optimizer: .sgd, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
    }
  }

  /// The optimizer at the peak learning rate.
  public func makeOptimizer() -> any Optimizer {
    switch optimizer {
    case .sgd: SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
    case .adam: Adam(learningRate: learningRate, weightDecay: weightDecay)
    }
  }

  /// The schedule for a run of `epochs × stepsPerEpoch` steps.
  /// - Parameter stepsPerEpoch: batches per epoch.
  public func makeSchedule(stepsPerEpoch: Int) -> LearningRateSchedule {
    // Saturating: an absurd --epochs must run (or be interrupted), never overflow.
    func steps(_ epochs: Int) -> Int {
      let (product, overflow) = max(epochs, 0).multipliedReportingOverflow(by: max(stepsPerEpoch, 0))
      return overflow ? Int.max : product
    }
    let total = max(steps(epochs), 1)
    switch schedule {
    case .cosine: return .cosine(base: learningRate, totalSteps: total, warmupSteps: steps(warmupEpochs))
    case .step: return .step(base: learningRate, stepSize: max(total / 3, 1), gamma: 0.1)
    case .constant: return .constant(learningRate)
    }
  }

  /// The trainer configuration for a seed.
  /// - Parameter seed: the run's seed.
  public func configuration(seed: UInt64) -> TrainingConfiguration {
    TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: seed, augmentation: augmentation)
  }
}
