import Tessera
import TesseraNN

/// Fine-tunes a pruned or factorized model with its masks held: after every optimizer step the
/// masked-out weights are set back to zero (`Trainer.afterUpdate`), so zeros stay zero.
///
/// Magnitude and global pruning with ``FineTuning/gradual`` follow the Zhu & Gupta (2017)
/// schedule instead of one fixed mask: start from the model as given (dense, or already partly
/// pruned) and raise the sparsity to the method's target by ``FineTuning/pruningEnd`` of the run.
/// To prune gradually, pass the dense model (masks nil, or masks computed with
/// ``Pruner/masks(for:method:includeLastLayer:layers:)`` but not applied, to choose the layers); a
/// model already pruned to the target just keeps its masks while it trains.
///
/// For example:
/// ```swift
/// let net = try Sequential(modelFile: ModelFile(contentsOf: "Models/mlp.safetensors"))
/// let history = try FineTuner.fineTune(net, method: .magnitude(sparsity: 0.8), masks: nil,
///                                      train: train, test: test, settings: FineTuning())
/// history.last?.testAccuracy
/// ```
public enum FineTuner {
  /// Fine-tunes `model` in place; the masks are re-applied after every optimizer step.
  /// - Parameters:
  ///   - model: the pruned (or factorized) model; its weights are kept as the starting point.
  ///   - method: the pruning method that made it.
  ///   - masks: the masks to hold (nil: derived from `method` on the model as given — all
  ///     selected layers, the classifier left out — or none for `dense` and `channel`).
  ///   - train: training samples.
  ///   - test: held-out samples, evaluated after every epoch.
  ///   - settings: epochs, learning rate, schedule.
  ///   - onEpoch: called after every epoch.
  ///   - onBatch: called after every batch (for progress bars).
  /// - Returns: every epoch's metrics (empty for 0 epochs); with gradual pruning the last epoch
  ///   ends at the target sparsity.
  /// - Throws: ``CompressionError`` for invalid settings or masks that do not fit the model,
  ///   `DatasetError` when the data does not fit the model, and `TesseraError` when training diverges.
  @discardableResult
  public static func fineTune(
    _ model: Sequential, method: PruningMethod, masks: PruningMasks?, train: Dataset, test: Dataset,
    settings: FineTuning, onEpoch: ((EpochMetrics) -> Void)? = nil, onBatch: ((BatchProgress) -> Void)? = nil
  ) throws -> [EpochMetrics] {
    try settings.validate()
    try method.validate()
    try masks?.check(against: model)
    if let threads = settings.threads { BLASInfo.setThreads(threads) }
    let configuration = TrainingConfiguration(
      epochs: settings.epochs, batchSize: settings.batchSize, seed: settings.seed, augmentation: settings.augmentation)
    let optimizer = SGD(learningRate: settings.learningRate, momentum: settings.momentum, weightDecay: settings.weightDecay)
    // A trainer only to count the steps, which the cosine schedule of the real one needs.
    let counter = Trainer(
      model: model, optimizer: optimizer, schedule: .constant(settings.learningRate), configuration: configuration,
      resetParameters: false)
    let totalSteps = settings.epochs * counter.batchesPerEpoch(sampleCount: train.count)
    if settings.epochs > 0 { try counter.checkFit(train: train, test: test) }
    let schedule = try maskSchedule(model, method: method, masks: masks, settings: settings, totalSteps: totalSteps)
    schedule.masks?.apply(to: model)
    guard settings.epochs > 0 else { return [] }
    let trainer = Trainer(
      model: model, optimizer: optimizer, schedule: .cosine(base: settings.learningRate, totalSteps: max(totalSteps, 1)),
      configuration: configuration, resetParameters: false)
    var failure: Error?
    trainer.afterUpdate = { model in
      guard failure == nil else { return }
      do { try schedule.afterStep(model) } catch { failure = error }
    }
    let history = try trainer.fit(train: train, test: test, onBatch: onBatch) { metrics in
      if let failure { throw failure }
      onEpoch?(metrics)
    }
    if let failure { throw failure }
    return history
  }

  /// The masks to hold: the gradual schedule for magnitude/global when asked, else fixed masks.
  static func maskSchedule(
    _ model: Sequential, method: PruningMethod, masks: PruningMasks?, settings: FineTuning, totalSteps: Int
  ) throws -> MaskSchedule {
    switch method {
    case .magnitude, .globalMagnitude:
      let layers = try masks?.layers.map(\.layer)
        ?? PrunableLayer.selected(in: model, includeLastLayer: false).map(\.name)
      if settings.gradual, settings.epochs > 0 {
        let end = Int((settings.pruningEnd * Double(totalSteps)).rounded())
        return try MaskSchedule(
          gradual: method, model: model, layers: layers, endStep: end, interval: settings.maskUpdateInterval)
      }
      return MaskSchedule(fixed: try masks ?? Pruner.masks(for: model, method: method, includeLastLayer: true, layers: layers))
    case .nOfM:
      return MaskSchedule(fixed: try masks ?? Pruner.masks(for: model, method: method))
    case .dense, .channel:
      return MaskSchedule(fixed: masks)
    }
  }
}
