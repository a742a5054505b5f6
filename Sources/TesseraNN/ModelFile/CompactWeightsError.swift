/// A compact weight tensor (``CompactWeights``) that cannot be expanded: truncated, padded,
/// or with stray bits. The description is one line.
public struct CompactWeightsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The one-line message.
  public let description: String

  /// Makes an error.
  /// - Parameter description: one line naming the problem.
  public init(_ description: String) { self.description = description }
}
