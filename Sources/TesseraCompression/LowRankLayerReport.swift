/// What ``LowRank/factorize(_:target:layers:)`` did to one layer.
///
/// JSON fields: `layer`, `rank`, `full_rank`, `rows`, `columns`, `params_before`,
/// `params_after`, `retained_energy`.
public struct LowRankLayerReport: Sendable, Equatable, Codable {
  /// Name of the original layer (the factors are `<layer>_v` and `<layer>_u`).
  public var layer: String
  /// The chosen rank r.
  public var rank: Int
  /// min(rows, columns), the rank of an exact factorization.
  public var fullRank: Int
  /// Rows of the weight matrix (outputs).
  public var rows: Int
  /// Columns of the weight matrix (inputs; in·kh·kw for a Conv2D).
  public var columns: Int
  /// Weights and bias of the original layer.
  public var paramsBefore: Int
  /// Weights and bias of the two factors.
  public var paramsAfter: Int
  /// Σ_{i≤r} σᵢ² / Σ σᵢ², in [0, 1].
  public var retainedEnergy: Double

  enum CodingKeys: String, CodingKey {
    case layer, rank, rows, columns
    case fullRank = "full_rank", paramsBefore = "params_before", paramsAfter = "params_after"
    case retainedEnergy = "retained_energy"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - layer: original layer name.
  ///   - rank: chosen rank.
  ///   - fullRank: min(rows, columns).
  ///   - rows: outputs.
  ///   - columns: inputs (in·kh·kw for a Conv2D).
  ///   - paramsBefore: original weights and bias.
  ///   - paramsAfter: factor weights and bias.
  ///   - retainedEnergy: retained Σσ² fraction.
  public init(
    layer: String, rank: Int, fullRank: Int, rows: Int, columns: Int, paramsBefore: Int, paramsAfter: Int,
    retainedEnergy: Double
  ) {
    self.layer = layer
    self.rank = rank
    self.fullRank = fullRank
    self.rows = rows
    self.columns = columns
    self.paramsBefore = paramsBefore
    self.paramsAfter = paramsAfter
    self.retainedEnergy = retainedEnergy
  }
}
