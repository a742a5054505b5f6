import Foundation

/// One way to perturb a single layer for ``LayerSensitivity``: its weights fake-quantized to a bit
/// width, or pruned to a sparsity.
public enum SensitivitySetting: Sendable, Hashable, CustomStringConvertible {
  /// Weights at `bits` (2...8), symmetric per output channel (round-to-nearest, the quantizer's
  /// default threshold method for that width).
  case bits(Int)
  /// The smallest-|w| fraction `sparsity` (in [0, 1)) of the layer's weights set to zero.
  case pruned(Double)

  /// `"4-bit"` or `"pruned 50%"` (the `setting` field of the sensitivity JSON).
  public var description: String {
    switch self {
    case let .bits(b): "\(b)-bit"
    case let .pruned(s): "pruned \(Self.percent(s))%"
    }
  }

  /// Checks the setting's range.
  /// - Throws: ``CompressionError/invalidBits(_:)`` or ``CompressionError/invalidSparsity(_:)``.
  public func check() throws {
    switch self {
    case let .bits(b): guard (2...8).contains(b) else { throw CompressionError.invalidBits(b) }
    case let .pruned(s): guard s >= 0, s < 1 else { throw CompressionError.invalidSparsity(s) }
    }
  }

  static func percent(_ s: Double) -> String {
    let p = s * 100
    return p == p.rounded() ? String(Int(p)) : String(format: "%.1f", p)
  }
}
