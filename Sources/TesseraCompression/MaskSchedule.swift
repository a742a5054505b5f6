import TesseraNN

/// The masks during fine-tuning: fixed masks re-applied after every step, or the gradual
/// magnitude schedule of Zhu & Gupta (2017) that raises the sparsity from `s_i` to `s_f`,
/// `s_t = s_f + (s_i − s_f)·(1 − t/T)³`, recomputing the masks every `interval` steps and for the
/// last time at step `T`.
final class MaskSchedule {
  /// The masks applied after every step.
  private(set) var masks: PruningMasks?
  private let method: PruningMethod
  private let layers: [String]
  private let initialSparsity: Double
  private let endStep: Int
  private let interval: Int
  private var step = 0
  private var finished: Bool

  /// Fixed masks (nil = nothing to apply).
  init(fixed masks: PruningMasks?) {
    self.masks = masks
    method = .dense
    layers = []
    initialSparsity = 0
    endStep = 0
    interval = 1
    finished = true
  }

  /// The gradual schedule for `method` (magnitude or global) over `layers` of `model`.
  init(gradual method: PruningMethod, model: Sequential, layers: [String], endStep: Int, interval: Int) throws {
    self.method = method
    self.layers = layers
    self.endStep = max(endStep, 1)
    self.interval = max(interval, 1)
    let weights = layers.compactMap { PruningMasks.weight(of: $0, in: model) }
    let zeros = weights.reduce(0) { $0 + $1.value.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
    let total = weights.reduce(0) { $0 + $1.count }
    initialSparsity = min(total > 0 ? Double(zeros) / Double(total) : 0, method.nominalSparsity)
    finished = false
    masks = try masks(model, sparsity: sparsity(atStep: 0))
  }

  /// The schedule's sparsity after `t` steps.
  func sparsity(atStep t: Int) -> Double {
    let target = method.nominalSparsity
    let progress = min(Double(t) / Double(endStep), 1)
    let remaining = 1 - progress
    return target + (initialSparsity - target) * remaining * remaining * remaining
  }

  /// Call after every optimizer step: updates the masks when the schedule says so, then applies them.
  func afterStep(_ model: Sequential) throws {
    step += 1
    if !finished, step % interval == 0 || step >= endStep {
      masks = try masks(model, sparsity: sparsity(atStep: step))
      finished = step >= endStep
    }
    masks?.apply(to: model)
  }

  private func masks(_ model: Sequential, sparsity: Double) throws -> PruningMasks {
    let scheduled: PruningMethod = switch method {
    case .globalMagnitude: .globalMagnitude(sparsity: sparsity)
    default: .magnitude(sparsity: sparsity)
    }
    return try Pruner.masks(for: model, method: scheduled, includeLastLayer: true, layers: layers)
  }
}
