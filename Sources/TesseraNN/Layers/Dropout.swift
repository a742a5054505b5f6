import Tessera

/// Inverted dropout: in training mode each element is zeroed with probability ``rate`` and the
/// survivors are scaled by `1 / (1 − rate)`; in inference mode it is the identity.
///
/// The mask comes from the layer's own ``SplitMix64``, reseeded by
/// ``Sequential/resetParameters(seed:)``, so training runs are reproducible. Dropout is removed
/// from exported model files (it is the identity at inference).
///
/// For example:
/// ```swift
/// let drop = Dropout(rate: 0.25)
/// ```
public final class Dropout: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"dropout"`.
  public var kind: String { "dropout" }
  /// Training mode: drops elements and keeps the mask for ``backward(_:)``.
  public var isTraining = true
  /// Probability of zeroing an element, in `[0, 1)`.
  public let rate: Float
  private var generator = SplitMix64(seed: 0)
  private var mask: [Float]?

  /// Makes a dropout layer.
  /// - Parameters:
  ///   - rate: probability of zeroing an element, clamped to `[0, 0.99]`.
  ///   - name: unique name inside the model.
  public init(rate: Float = 0.5, name: String = "dropout") {
    self.name = name
    self.rate = min(max(rate, 0), 0.99)
  }

  /// `rate`.
  public var attributes: [String: GraphValue] { ["rate": .double(Double(rate))] }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  /// Reseeds the mask generator.
  /// - Parameter generator: the source of the new seed.
  public func resetParameters(using generator: inout SplitMix64) {
    self.generator = SplitMix64(seed: generator.next())
  }

  /// Drops and rescales in training mode; identity otherwise.
  /// - Throws: never in practice (kept for the ``Layer`` contract).
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    guard isTraining, rate > 0 else {
      mask = nil
      return input
    }
    let keep = 1 - rate, scale = 1 / (1 - rate)
    var m = [Float](repeating: 0, count: input.count)
    for i in m.indices where generator.nextFloat() < keep { m[i] = scale }
    var y = input.scalars
    for i in y.indices { y[i] *= m[i] }
    mask = m
    return try .make(input.shape, y)
  }

  /// Multiplies the gradient by the same mask.
  /// - Throws: ``TesseraError`` on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let m = mask else { return outputGradient }
    guard m.count == outputGradient.count else {
      throw TesseraError.invalidArgument("Dropout \(name): gradient has \(outputGradient.count) elements, mask \(m.count)")
    }
    var dx = outputGradient.scalars
    for i in dx.indices { dx[i] *= m[i] }
    return try .make(outputGradient.shape, dx)
  }
}
