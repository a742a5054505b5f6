import TesseraGraph
import TesseraQuantization

/// How a text encoder's Linear layers compute.
public enum EmbeddingQuantization: String, Sendable, CaseIterable {
  /// float32 throughout.
  case none
  /// int8 weights per output channel, activations quantized per token row at run time (qd8-f32-qc8w).
  case dynamicInt8 = "dynamic-int8"

  /// The graph rewritten for this mode.
  /// - Parameter graph: a float graph.
  public func apply(to graph: Graph) throws -> Graph {
    switch self {
    case .none: return graph
    case .dynamicInt8: return try graph.quantizingLinearDynamically()
    }
  }
}
