/// How `Graph.quantizingLinearStatically(statistics:smoothQuant:keepFloat:)` migrates
/// activation outliers into the weights (SmoothQuant, docs/quantization.md §14).
public enum SmoothQuant: Sendable, Hashable, CustomStringConvertible {
  /// Plain static quantization: activations quantized as they are.
  case off
  /// Every layer with migration strength α in 0…1.
  case alpha(Float)
  /// Per layer, whichever of ``automaticCandidates`` gives the smallest squared error of the
  /// layer's output against float on the calibration rows it sampled.
  case auto

  /// The strengths `.auto` tries per layer (nil = no migration).
  public static let automaticCandidates: [Float?] = [nil, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]

  /// `off`, `auto`, or the α.
  public var description: String {
    switch self {
    case .off: "off"
    case .auto: "auto"
    case let .alpha(a): "\(a)"
    }
  }
}
