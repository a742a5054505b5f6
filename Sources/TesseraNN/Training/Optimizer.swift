/// Updates trainable parameters from their gradients.
///
/// Optimizers keep per-parameter state keyed by the parameter object, so one optimizer serves
/// one model. Parameters with ``Parameter/isTrainable`` false are skipped.
///
/// For example:
/// ```swift
/// let optimizer = SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
/// optimizer.update(model.parameters)
/// ```
public protocol Optimizer: AnyObject {
  /// Step size used by the next ``update(_:)`` (schedules set it before each step).
  var learningRate: Float { get set }
  /// Applies one step to every trainable parameter.
  /// - Parameter parameters: the model's parameters (same objects every call).
  func update(_ parameters: [Parameter])
}

/// Stochastic gradient descent with momentum and L2 weight decay (PyTorch's formulation):
/// `g ← ∇ + λ·w` (weights only), `v ← μ·v + g`, `w ← w − lr·v` (or `lr·(g + μ·v)` with Nesterov).
///
/// For example:
/// ```swift
/// let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4)
/// ```
public final class SGD: Optimizer {
  /// Step size.
  public var learningRate: Float
  /// Momentum μ (0 = plain SGD).
  public let momentum: Float
  /// L2 weight decay λ, applied to parameters with ``Parameter/decays``.
  public let weightDecay: Float
  /// Nesterov momentum.
  public let nesterov: Bool
  private var velocity: [ObjectIdentifier: StateBuffer] = [:]

  /// Makes an SGD optimizer.
  /// - Parameters:
  ///   - learningRate: step size.
  ///   - momentum: momentum μ in `[0, 1)`.
  ///   - weightDecay: L2 weight decay λ ≥ 0.
  ///   - nesterov: use Nesterov momentum.
  public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0, nesterov: Bool = false) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  /// Applies one step.
  /// - Parameter parameters: the model's parameters.
  public func update(_ parameters: [Parameter]) {
    for p in parameters where p.isTrainable {
      let state = StateBuffer.lookup(&velocity, p)
      let decay = p.decays ? weightDecay : 0, mu = momentum, lr = learningRate, nesterov = nesterov
      p.value.withUnsafeMutableBufferPointer { w in
        p.gradient.withUnsafeBufferPointer { g in
          state.first.withUnsafeMutableBufferPointer { vp in
            for i in 0..<w.count {
              let grad = g[i] + decay * w[i]
              vp[i] = mu * vp[i] + grad
              w[i] -= lr * (nesterov ? grad + mu * vp[i] : vp[i])
            }
          }
        }
      }
    }
  }
}

/// Adam (Kingma & Ba 2015) with bias correction; `weightDecay` is decoupled (AdamW,
/// Loshchilov & Hutter 2019): `w ← w − lr·(m̂ / (√v̂ + ε) + λ·w)`.
///
/// For example:
/// ```swift
/// let adam = Adam(learningRate: 1e-3)
/// ```
public final class Adam: Optimizer {
  /// Step size.
  public var learningRate: Float
  /// Decay of the first moment.
  public let beta1: Float
  /// Decay of the second moment.
  public let beta2: Float
  /// ε added to the denominator.
  public let epsilon: Float
  /// Decoupled weight decay λ, applied to parameters with ``Parameter/decays``.
  public let weightDecay: Float
  private var moments: [ObjectIdentifier: StateBuffer] = [:]
  private var step = 0

  /// Makes an Adam optimizer.
  /// - Parameters:
  ///   - learningRate: step size.
  ///   - beta1: first-moment decay.
  ///   - beta2: second-moment decay.
  ///   - epsilon: denominator ε.
  ///   - weightDecay: decoupled weight decay λ ≥ 0.
  public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// Applies one step.
  /// - Parameter parameters: the model's parameters.
  public func update(_ parameters: [Parameter]) {
    step += 1
    let c1 = 1 / (1 - Float(Double(beta1).power(step))), c2 = 1 / (1 - Float(Double(beta2).power(step)))
    let b1 = beta1, b2 = beta2, eps = epsilon, lr = learningRate
    for p in parameters where p.isTrainable {
      let state = StateBuffer.lookup(&moments, p)
      let decay = p.decays ? weightDecay : 0
      p.value.withUnsafeMutableBufferPointer { w in
        p.gradient.withUnsafeBufferPointer { g in
          state.first.withUnsafeMutableBufferPointer { mp in
            state.second.withUnsafeMutableBufferPointer { vp in
              for i in 0..<w.count {
                mp[i] = b1 * mp[i] + (1 - b1) * g[i]
                vp[i] = b2 * vp[i] + (1 - b2) * g[i] * g[i]
                let update = (mp[i] * c1) / ((vp[i] * c2).squareRoot() + eps)
                w[i] -= lr * (update + decay * w[i])
              }
            }
          }
        }
      }
    }
  }
}

/// Per-parameter optimizer state, updated in place (a class so dictionary lookups never copy).
final class StateBuffer {
  var first: [Float]
  var second: [Float]

  init(count: Int) {
    first = [Float](repeating: 0, count: count)
    second = [Float](repeating: 0, count: count)
  }

  static func lookup(_ table: inout [ObjectIdentifier: StateBuffer], _ parameter: Parameter) -> StateBuffer {
    if let state = table[ObjectIdentifier(parameter)] { return state }
    let state = StateBuffer(count: parameter.count)
    table[ObjectIdentifier(parameter)] = state
    return state
  }
}

extension Double {
  /// `self` to an integer power by repeated squaring (deterministic, no libm).
  func power(_ exponent: Int) -> Double {
    var result = 1.0, base = self, e = exponent
    while e > 0 {
      if e & 1 == 1 { result *= base }
      base *= base
      e >>= 1
    }
    return result
  }
}
