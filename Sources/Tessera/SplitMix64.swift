import Foundation

/// A small, fast, seeded pseudo-random generator (SplitMix64, Steele et al. 2014).
///
/// The same seed gives the same stream on every run and build: the integer, uniform
/// and integer-range draws below are defined here bit for bit rather than by the
/// standard library. Normal draws use `log`/`cos` from the platform's libm, which may
/// differ in the last bit between platforms. Not for cryptography.
///
/// For example:
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let x = rng.nextFloat()            // in [0, 1)
/// let w = try Tensor<Float>.randomNormal(shape: [64, 32], standardDeviation: 0.1, using: &rng)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The generator's whole state.
  public private(set) var state: UInt64

  /// Makes a generator; equal seeds give equal streams.
  /// - Parameter seed: any 64-bit value.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform float in `[0, 1)` with 24 random bits.
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A uniform float in `range` (`lower + (upper − lower) · u`, clamped below `upper`).
  /// - Parameter range: a non-empty finite range.
  public mutating func nextFloat(in range: Range<Float>) -> Float {
    let value = range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat()
    return value < range.upperBound ? value : range.lowerBound
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, so unbiased).
  /// - Parameter bound: an exclusive upper bound > 0.
  public mutating func nextInt(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "nextInt(below:) needs a bound > 0")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// A standard normal sample (Box–Muller, one value per call; mean 0, deviation 1).
  public mutating func nextNormal() -> Float {
    // u1 in (0, 1] so the logarithm is finite.
    let u1 = (Double(next() >> 11) + 1) * 0x1p-53
    let u2 = Double(next() >> 11) * 0x1p-53
    return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
  }
}

/// The project's seeded generator (an alias of ``SplitMix64``).
public typealias SeededRandom = SplitMix64
