/// What ``MixedPrecisionSearch/run(cost:evaluate:progress:)`` found: the chosen per-layer widths
/// and the uniform baseline, each with its measured top-1 and modeled cost, and the moves tried.
public struct MixedPrecisionResult: Sendable, Equatable {
  /// One tried move.
  public struct Step: Sendable, Equatable {
    /// The layer narrowed.
    public var layer: String
    /// Its new width.
    public var bits: Int
    /// Measured top-1 with the move.
    public var top1: Double
    /// Modeled cost with the move.
    public var cost: Double
    /// Whether the move stayed within budget (and was kept).
    public var kept: Bool
  }

  /// Layer names in network order.
  public var layers: [String]
  /// The chosen widths.
  public var assignment: MixedPrecisionSearch.Assignment
  /// Its measured top-1.
  public var top1: Double
  /// Its modeled cost.
  public var cost: Double
  /// Every layer at the widest candidate.
  public var uniform: MixedPrecisionSearch.Assignment
  /// The uniform assignment's measured top-1.
  public var uniformTop1: Double
  /// The uniform assignment's modeled cost.
  public var uniformCost: Double
  /// The float model's top-1.
  public var floatTop1: Double
  /// The moves tried, in order.
  public var steps: [Step]

  /// `conv1=8,conv2=4,...` in layer order (the `--layer-bits` form).
  public func describe(_ a: MixedPrecisionSearch.Assignment) -> String {
    layers.map { "\($0)=\(a[$0] ?? 0)" }.joined(separator: ",")
  }
}
