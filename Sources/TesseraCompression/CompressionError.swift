/// Errors thrown while pruning, factorizing or searching a compression of a model.
///
/// Every case prints as a one-line message naming the problem (``description``).
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A sparsity (fraction of weights set to zero) outside [0, 1).
  case invalidSparsity(Double)
  /// An N:M pattern with N < 1, M < 1 or N > M.
  case invalidPattern(n: Int, m: Int)
  /// A weight bit width outside 2...8.
  case invalidBits(Int)
  /// A rank or retained-energy target that cannot be met (`what` names the layer and the request).
  case invalidRank(String)
  /// A layer the method cannot handle (`what` names the layer and the reason).
  case unsupportedLayer(String)
  /// An argument outside its valid range.
  case invalidArgument(String)

  /// A one-line human-readable message.
  public var description: String {
    switch self {
    case let .invalidSparsity(value):
      "sparsity \(value) is outside [0, 1) (the fraction of weights set to zero)"
    case let .invalidPattern(n, m):
      "N:M pattern \(n):\(m) is invalid (need 1 <= N <= M, e.g. 2:4 keeps 2 of every 4 weights)"
    case let .invalidBits(bits):
      "weight bits \(bits) are outside 2...8"
    case let .invalidRank(message), let .unsupportedLayer(message), let .invalidArgument(message):
      message
    }
  }
}
