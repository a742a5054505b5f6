/// Named shape sets for `tessera bench --preset`.
///
/// For example:
/// ```swift
/// let preset = try BenchmarkPreset(parsing: "mlp")
/// preset.shapes.first   // 1x256x784
/// ```
public enum BenchmarkPreset: String, CaseIterable, Sendable, CustomStringConvertible {
  /// The layers of the bundled MLP (784 → 256 → 128 → 10) at batch 1 and 64.
  case mlp
  /// Square products 256³, 512³, 1024³.
  case square
  /// Large batch-1 products: 1×4096×4096 and 1×1024×1024.
  case gemv

  /// Parses a preset name.
  ///
  /// - Parameter name: `mlp`, `square` or `gemv` (case-insensitive).
  /// - Throws: ``TesseraError/invalidArgument(_:)`` listing the known presets.
  public init(parsing name: String) throws {
    guard let preset = BenchmarkPreset(rawValue: name.lowercased()) else {
      let known = BenchmarkPreset.allCases.map(\.rawValue).joined(separator: ", ")
      throw TesseraError.invalidArgument("unknown preset '\(name)': expected one of \(known)")
    }
    self = preset
  }

  /// The preset's shapes, in the order they are reported.
  public var shapes: [GEMMShape] {
    let dims: [(Int, Int, Int)]
    switch self {
    case .mlp:
      dims = [(1, 256, 784), (64, 256, 784), (1, 128, 256), (64, 128, 256), (1, 10, 128), (64, 10, 128)]
    case .square:
      dims = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024)]
    case .gemv:
      dims = [(1, 4096, 4096), (1, 1024, 1024)]
    }
    // The literals above are positive, so the throwing initializer cannot fail.
    return dims.map { GEMMShape(unchecked: $0.0, $0.1, $0.2) }
  }

  /// The preset name as typed on the command line.
  public var description: String { rawValue }
}

extension GEMMShape {
  /// Makes a shape from dimensions the caller guarantees are positive.
  init(unchecked m: Int, _ n: Int, _ k: Int) {
    precondition(m >= 1 && n >= 1 && k >= 1, "GEMMShape(unchecked:) needs positive dimensions")
    self.m = m
    self.n = n
    self.k = k
  }
}
