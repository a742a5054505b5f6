import Foundation

/// How the learning rate changes over training, as a function of the step (mini-batch) index.
///
/// For example:
/// ```swift
/// let schedule = LearningRateSchedule.cosine(base: 0.05, totalSteps: 1_000, warmupSteps: 50)
/// optimizer.learningRate = schedule.learningRate(atStep: 10)
/// ```
public enum LearningRateSchedule: Sendable, Equatable {
  /// The same rate at every step.
  case constant(Float)
  /// `base · gamma^⌊step / stepSize⌋`.
  case step(base: Float, stepSize: Int, gamma: Float)
  /// Linear warm-up from `base / warmupSteps` to `base`, then cosine decay to `minimum` at `totalSteps`.
  case cosine(base: Float, totalSteps: Int, warmupSteps: Int = 0, minimum: Float = 0)

  /// The rate for step `step` (0-based).
  /// - Parameter step: mini-batch index since the start of training.
  public func learningRate(atStep step: Int) -> Float {
    switch self {
    case let .constant(rate):
      return rate
    case let .step(base, stepSize, gamma):
      return base * Float(Double(gamma).power(step / max(stepSize, 1)))
    case let .cosine(base, total, warmup, minimum):
      if step < warmup { return base * Float(step + 1) / Float(warmup) }
      let span = max(total - warmup, 1)
      let progress = min(Double(step - warmup) / Double(span), 1)
      return minimum + (base - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
  }

  /// A short description (`"cosine(0.05 → 0, warmup 50)"`).
  public var summary: String {
    switch self {
    case let .constant(rate): "constant(\(rate))"
    case let .step(base, size, gamma): "step(\(base), ×\(gamma) every \(size) steps)"
    case let .cosine(base, total, warmup, minimum): "cosine(\(base) → \(minimum) over \(total) steps, warmup \(warmup))"
    }
  }
}
