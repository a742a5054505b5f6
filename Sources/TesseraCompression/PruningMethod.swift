import Foundation

/// A pruning method, as written on the command line and in a co-design grid.
///
/// | text | case | what is removed |
/// |---|---|---|
/// | `dense` | ``dense`` | nothing |
/// | `magnitude:0.8` | ``magnitude(sparsity:)`` | the 80 % smallest-magnitude weights of every prunable layer |
/// | `global:0.8` | ``globalMagnitude(sparsity:)`` | the 80 % smallest-magnitude weights of all prunable layers together (one threshold) |
/// | `2:4` (any `N:M`) | ``nOfM(n:m:)`` | all but the N largest of every M consecutive input weights of each output |
/// | `channel:0.5` | ``channel(fraction:)`` | half the filters of every Conv2D by L1 norm (in a model without Conv2D, half the neurons of every hidden Dense); the layers really shrink |
///
/// The first three keep the shapes and zero weights (see ``PruningMasks``); `channel` builds a
/// smaller model (see ``Pruner/prune(_:method:includeLastLayer:layers:)``).
///
/// For example:
/// ```swift
/// let method = try PruningMethod(parsing: "2:4")   // .nOfM(n: 2, m: 4)
/// method.description                              // "2:4"
/// ```
public enum PruningMethod: Sendable, Hashable, CustomStringConvertible {
  /// No pruning.
  case dense
  /// Unstructured magnitude pruning, the same sparsity in every prunable layer.
  case magnitude(sparsity: Double)
  /// Unstructured magnitude pruning with one threshold over all prunable layers together.
  case globalMagnitude(sparsity: Double)
  /// Semi-structured N:M pruning: `n` kept of every `m` consecutive input weights per output.
  case nOfM(n: Int, m: Int)
  /// Structured pruning of whole Conv2D filters (or hidden Dense neurons) by L1 norm.
  case channel(fraction: Double)

  /// Parses `dense`, `magnitude:S`, `global:S`, `N:M` or `channel:F` (case-insensitive; spaces
  /// around the parts are ignored).
  /// - Parameter text: the method text.
  /// - Throws: ``CompressionError/invalidSparsity(_:)`` for a sparsity or fraction outside [0, 1),
  ///   ``CompressionError/invalidPattern(n:m:)`` for N < 1 or N > M, and
  ///   ``CompressionError/invalidArgument(_:)`` for anything else that is not a method.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    if trimmed == "dense" || trimmed == "none" {
      self = .dense
      return
    }
    let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    let expected = "expected dense, magnitude:S, global:S, N:M (e.g. 2:4) or channel:F with S, F in [0, 1)"
    guard parts.count == 2, !parts[1].isEmpty else {
      throw CompressionError.invalidArgument("pruning method '\(text)': \(expected)")
    }
    if let n = Int(parts[0]), let m = Int(parts[1]) {
      guard n >= 1, m >= 1, n <= m, m <= Self.maximumGroup else { throw CompressionError.invalidPattern(n: n, m: m) }
      self = .nOfM(n: n, m: m)
      return
    }
    guard let value = Double(parts[1]) else {
      throw CompressionError.invalidArgument("pruning method '\(text)': '\(parts[1])' is not a number; \(expected)")
    }
    guard value.isFinite, value >= 0, value < 1 else { throw CompressionError.invalidSparsity(value) }
    switch parts[0] {
    case "magnitude", "mag": self = .magnitude(sparsity: value)
    case "global": self = .globalMagnitude(sparsity: value)
    case "channel", "filter": self = .channel(fraction: value)
    default: throw CompressionError.invalidArgument("pruning method '\(text)': unknown kind '\(parts[0])'; \(expected)")
    }
  }

  /// Largest M of an N:M pattern (a group never spans more than this many weights).
  public static let maximumGroup = 1 << 16

  /// The method as `init(parsing:)` reads it (`"dense"`, `"magnitude:0.8"`, `"global:0.8"`,
  /// `"2:4"`, `"channel:0.5"`).
  public var description: String {
    switch self {
    case .dense: "dense"
    case let .magnitude(sparsity): "magnitude:\(Self.number(sparsity))"
    case let .globalMagnitude(sparsity): "global:\(Self.number(sparsity))"
    case let .nOfM(n, m): "\(n):\(m)"
    case let .channel(fraction): "channel:\(Self.number(fraction))"
    }
  }

  /// True for the methods that zero weights in place and keep masks (magnitude, global, N:M).
  public var keepsShapes: Bool {
    switch self {
    case .magnitude, .globalMagnitude, .nOfM: true
    case .dense, .channel: false
    }
  }

  /// True for the methods that ``FineTuning/gradual`` prunes step by step (magnitude and global).
  public var prunesGradually: Bool {
    switch self {
    case .magnitude, .globalMagnitude: true
    case .dense, .nOfM, .channel: false
    }
  }

  /// The fraction of the masked weights set to zero (N:M: `1 − N/M`; dense: 0; channel: the
  /// fraction of filters removed).
  public var nominalSparsity: Double {
    switch self {
    case .dense: 0
    case let .magnitude(s), let .globalMagnitude(s): s
    case let .nOfM(n, m): 1 - Double(n) / Double(m)
    case let .channel(f): f
    }
  }

  /// Throws unless the method's numbers are in range (for values built without parsing).
  /// - Throws: ``CompressionError/invalidSparsity(_:)`` or ``CompressionError/invalidPattern(n:m:)``.
  public func validate() throws {
    switch self {
    case .dense: break
    case let .magnitude(s), let .globalMagnitude(s), let .channel(s):
      guard s.isFinite, s >= 0, s < 1 else { throw CompressionError.invalidSparsity(s) }
    case let .nOfM(n, m):
      guard n >= 1, m >= 1, n <= m, m <= Self.maximumGroup else { throw CompressionError.invalidPattern(n: n, m: m) }
    }
  }

  /// Shortest decimal text that reads back as the same `Double` (`0.8`, not `0.80000000000000004`).
  private static func number(_ value: Double) -> String {
    "\(value)"
  }
}
