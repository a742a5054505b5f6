import Tessera

/// Inverted dropout: in training mode each element is zeroed with probability ``rate`` and the
/// survivors are scaled by `1 / (1 − rate)`; in inference mode it is the identity.
///
/// The mask comes from the layer's own `SplitMix64`, reseeded by
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
    // Two 32-bit draws per 64-bit random number: keep when the draw is below keep · 2³².
    let scale = 1 / (1 - rate)
    let threshold = UInt64(Double(1 - rate) * 4_294_967_296)
    var m = [Float](repeating: 0, count: input.count)
    m.withUnsafeMutableBufferPointer { p in
      var i = 0
      while i < p.count {
        let bits = generator.next()
        p[i] = (bits & 0xFFFF_FFFF) < threshold ? scale : 0
        if i + 1 < p.count { p[i + 1] = (bits >> 32) < threshold ? scale : 0 }
        i += 2
      }
    }
    var y = input.scalars
    y.withUnsafeMutableBufferPointer { p in
      m.withUnsafeBufferPointer { mp in
        for i in 0..<p.count { p[i] *= mp[i] }
      }
    }
    mask = m
    return try .make(input.shape, y)
  }

  /// Multiplies the gradient by the same mask.
  /// - Throws: `TesseraError` on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let m = mask else { return outputGradient }
    guard m.count == outputGradient.count else {
      throw TesseraError.invalidArgument("Dropout \(name): gradient has \(outputGradient.count) elements, mask \(m.count)")
    }
    var dx = outputGradient.scalars
    dx.withUnsafeMutableBufferPointer { p in
      m.withUnsafeBufferPointer { mp in
        for i in 0..<p.count { p[i] *= mp[i] }
      }
    }
    return try .make(outputGradient.shape, dx)
  }
}
