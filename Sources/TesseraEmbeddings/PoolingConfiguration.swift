/// How token states become one sentence embedding (sentence-transformers' `1_Pooling/config.json`
/// and the `Normalize` module).
public struct PoolingConfiguration: Sendable, Equatable {
  /// How the token states are combined.
  public enum Mode: String, Sendable, Equatable {
    /// Average of the states whose attention mask is 1.
    case mean
    /// The `[CLS]` (first) token's state.
    case cls
    /// Element-wise maximum over the unmasked states.
    case max
  }

  /// The pooling mode.
  public var mode: Mode
  /// True when the embedding is scaled to unit L2 norm.
  public var normalize: Bool

  /// Makes a pooling configuration.
  public init(mode: Mode = .mean, normalize: Bool = true) {
    self.mode = mode
    self.normalize = normalize
  }
}
