import Foundation

/// How ``LowRank`` chooses the rank of each factorized weight.
///
/// For a weight `W` (`m × n`, a Conv2D filter bank flattened to `out × in·kh·kw`) with singular
/// values σ₁ ≥ σ₂ ≥ … ≥ σ_k (k = min(m, n)):
/// - ``rank(_:)``: `min(r, k)`.
/// - ``energy(_:)``: the smallest r with Σ_{i≤r} σᵢ² ≥ e · Σ σᵢ² (the retained energy; the
///   relative Frobenius error of the truncation is √(1 − retained)).
/// - ``parameterFraction(_:)``: the largest r whose two factors hold at most f of the weight's
///   values, `r·(m + n) ≤ f·m·n` (at least 1).
///
/// For example:
/// ```swift
/// try LowRankTarget(parsing: "params:0.5")   // .parameterFraction(0.5): fc1 784→256 gets rank 96
/// ```
public enum LowRankTarget: Sendable, Hashable, CustomStringConvertible {
  /// A fixed rank.
  case rank(Int)
  /// The retained fraction of Σσ², in (0, 1].
  case energy(Double)
  /// The factors' share of the original weight's values, in (0, 1).
  case parameterFraction(Double)

  /// Parses `rank:R`, `energy:E` or `params:F`.
  /// - Parameter text: the target text.
  /// - Throws: ``CompressionError/invalidRank(_:)`` for R < 1, E outside (0, 1], F outside (0, 1),
  ///   or any other text.
  public init(parsing text: String) throws {
    let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: ":", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    let expected = "expected rank:R (R ≥ 1), energy:E (E in (0, 1]) or params:F (F in (0, 1))"
    guard parts.count == 2 else { throw CompressionError.invalidRank("low-rank target '\(text)': \(expected)") }
    switch parts[0] {
    case "rank":
      guard let r = Int(parts[1]) else { throw CompressionError.invalidRank("low-rank target '\(text)': \(expected)") }
      self = .rank(r)
    case "energy":
      guard let e = Double(parts[1]) else { throw CompressionError.invalidRank("low-rank target '\(text)': \(expected)") }
      self = .energy(e)
    case "params", "parameters":
      guard let f = Double(parts[1]) else { throw CompressionError.invalidRank("low-rank target '\(text)': \(expected)") }
      self = .parameterFraction(f)
    default:
      throw CompressionError.invalidRank("low-rank target '\(text)': \(expected)")
    }
    try validate()
  }

  /// The target as ``init(parsing:)`` reads it.
  public var description: String {
    switch self {
    case let .rank(r): "rank:\(r)"
    case let .energy(e): "energy:\(e)"
    case let .parameterFraction(f): "params:\(f)"
    }
  }

  /// Throws unless the target's number is in range.
  /// - Throws: ``CompressionError/invalidRank(_:)``.
  public func validate() throws {
    switch self {
    case let .rank(r):
      guard r >= 1 else { throw CompressionError.invalidRank("low-rank rank \(r) must be at least 1") }
    case let .energy(e):
      guard e.isFinite, e > 0, e <= 1 else { throw CompressionError.invalidRank("low-rank energy \(e) must be in (0, 1]") }
    case let .parameterFraction(f):
      guard f.isFinite, f > 0, f < 1 else {
        throw CompressionError.invalidRank("low-rank parameter fraction \(f) must be in (0, 1)")
      }
    }
  }

  /// The rank for a `rows × columns` weight with singular values `singularValues` (descending).
  /// - Parameters:
  ///   - singularValues: σ₁ ≥ … ≥ σ_k.
  ///   - rows: m (outputs).
  ///   - columns: n (inputs, or in·kh·kw).
  /// - Returns: a rank in `1...k`.
  public func rank(singularValues: [Float], rows: Int, columns: Int) -> Int {
    let k = max(min(singularValues.count, min(rows, columns)), 1)
    switch self {
    case let .rank(r):
      return min(max(r, 1), k)
    case let .energy(e):
      let squares = singularValues.map { Double($0) * Double($0) }
      let total = squares.reduce(0, +)
      guard total > 0 else { return 1 }
      var sum = 0.0
      for (i, s) in squares.enumerated() {
        sum += s
        // A tiny relative slack so that energy:1 stops at the last non-zero σ despite rounding.
        if sum >= e * total * (1 - 1e-12) { return i + 1 }
      }
      return k
    case let .parameterFraction(f):
      let budget = f * Double(rows) * Double(columns)
      return min(max(Int((budget / Double(rows + columns)).rounded(.down)), 1), k)
    }
  }

  /// Retained energy Σ_{i≤r} σᵢ² / Σ σᵢ² of the first `rank` singular values (1 for a zero weight).
  public static func retainedEnergy(_ singularValues: [Float], rank: Int) -> Double {
    let squares = singularValues.map { Double($0) * Double($0) }
    let total = squares.reduce(0, +)
    guard total > 0 else { return 1 }
    return squares.prefix(rank).reduce(0, +) / total
  }
}
