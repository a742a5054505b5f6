import Tessera

extension SplitMix64 {
  /// A seed for an independent stream derived from a run's seed, so initialization, shuffles,
  /// augmentation and dropout never share random numbers.
  ///
  /// For example:
  /// ```swift
  /// var shuffle = SplitMix64(seed: SplitMix64.derivedSeed(42, stream: 1))
  /// ```
  /// - Parameters:
  ///   - seed: the run's seed.
  ///   - stream: a small constant naming the use.
  /// - Returns: the derived seed.
  public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
    var generator = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    return generator.next()
  }

  /// A uniform integer in `0..<bound` as `Int` (see `SplitMix64.nextInt(below:)`).
  /// - Parameter bound: exclusive upper bound > 0.
  mutating func nextIndex(below bound: Int) -> Int { Int(nextInt(below: UInt64(bound))) }
}
