import TesseraNN

/// Settings of the fine-tuning that follows pruning or factorization (``FineTuner``).
///
/// The defaults are tuned on the bundled MNIST split so that the bundled MLP and LeNet recover
/// their accuracy in a few seconds (docs/compression.md): SGD with momentum 0.9, cosine decay
/// from ``learningRate`` to zero, no augmentation (three epochs from a trained model recover as
/// well or better without it, and faster), and for magnitude pruning the gradual schedule of
/// Zhu & Gupta (2017).
///
/// For example:
/// ```swift
/// var settings = FineTuning()
/// settings.epochs = 5
/// settings.gradual = false    // one-shot pruning, then masked fine-tuning
/// ```
public struct FineTuning: Sendable, Equatable {
  /// Passes over the training set (0 = no fine-tuning).
  public var epochs: Int
  /// Peak learning rate of the cosine schedule (SGD).
  public var learningRate: Float
  /// Samples per mini-batch (at least 2).
  public var batchSize: Int
  /// Seed of the shuffles, augmentation and dropout.
  public var seed: UInt64
  /// Random augmentation of the training batches (nil = none).
  public var augmentation: Augmentation?
  /// For magnitude and global pruning: raise the sparsity gradually during fine-tuning,
  /// `s_t = s_f + (s_i − s_f)·(1 − t/T)³` (Zhu & Gupta 2017), recomputing the masks every
  /// ``maskUpdateInterval`` steps until step `T` = ``pruningEnd`` × total steps; `s_i` is the
  /// model's sparsity when fine-tuning starts (0 for a dense model). Ignored by other methods.
  public var gradual: Bool
  /// Fraction of the fine-tuning steps after which the masks reach the final sparsity (gradual only).
  public var pruningEnd: Double
  /// Steps between two mask updates of the gradual schedule.
  public var maskUpdateInterval: Int
  /// SGD momentum in [0, 1).
  public var momentum: Float
  /// L2 weight decay on weights (≥ 0).
  public var weightDecay: Float
  /// BLAS threads for the training GEMMs (nil = leave the current setting).
  public var threads: Int?

  /// Makes settings.
  /// - Parameters:
  ///   - epochs: passes over the training set.
  ///   - learningRate: peak learning rate.
  ///   - batchSize: samples per mini-batch.
  ///   - seed: the run's seed.
  ///   - augmentation: augmentation of training batches.
  ///   - gradual: gradual magnitude pruning.
  ///   - pruningEnd: fraction of the steps at which the final sparsity is reached.
  ///   - maskUpdateInterval: steps between mask updates.
  ///   - momentum: SGD momentum.
  ///   - weightDecay: L2 weight decay.
  ///   - threads: BLAS threads.
  public init(
    epochs: Int = 3, learningRate: Float = 0.01, batchSize: Int = 64, seed: UInt64 = 1,
    augmentation: Augmentation? = nil, gradual: Bool = true, pruningEnd: Double = 0.6,
    maskUpdateInterval: Int = 10, momentum: Float = 0.9, weightDecay: Float = 0, threads: Int? = nil
  ) {
    self.epochs = epochs
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.seed = seed
    self.augmentation = augmentation
    self.gradual = gradual
    self.pruningEnd = pruningEnd
    self.maskUpdateInterval = maskUpdateInterval
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.threads = threads
  }

  /// Throws unless every setting is in range.
  /// - Throws: ``CompressionError/invalidArgument(_:)`` naming the setting.
  public func validate() throws {
    func fail(_ message: String) -> CompressionError { .invalidArgument("fine-tuning: \(message)") }
    guard epochs >= 0 else { throw fail("epochs must be ≥ 0, got \(epochs)") }
    guard learningRate > 0, learningRate.isFinite else { throw fail("learning rate must be positive, got \(learningRate)") }
    guard batchSize >= 2 else { throw fail("batch size must be at least 2, got \(batchSize)") }
    guard pruningEnd > 0, pruningEnd <= 1 else { throw fail("pruning end must be in (0, 1], got \(pruningEnd)") }
    guard maskUpdateInterval >= 1 else { throw fail("mask update interval must be at least 1, got \(maskUpdateInterval)") }
    guard momentum >= 0, momentum < 1 else { throw fail("momentum must be in [0, 1), got \(momentum)") }
    guard weightDecay >= 0, weightDecay.isFinite else { throw fail("weight decay must be ≥ 0, got \(weightDecay)") }
    if let threads, threads < 1 { throw fail("threads must be at least 1, got \(threads)") }
  }
}
