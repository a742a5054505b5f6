import TesseraNN

/// The one input the graph engines (``GraphPlan`` and the interpreter behind ``Engine``) run:
/// float32 `[batch, …fixed per-sample dimensions]`.
struct GraphInput {
  /// The input's value name.
  let name: String
  /// Its first dimension (symbolic for any batch, fixed for a fixed one).
  let batch: Dimension
  /// The fixed dimensions after the batch.
  let sampleShape: [Int]

  /// Checks `graph`'s inputs.
  /// - Parameters:
  ///   - graph: the model.
  ///   - engine: the engine's name in the message (`the engine`, `the compiled graph engine`).
  /// - Throws: ``EngineError/unsupported(_:)`` naming the inputs when there is not exactly one
  ///   float32 input of rank ≥ 2, or a dimension after the batch is not fixed.
  init(_ graph: Graph, engine: String) throws {
    guard graph.inputs.count == 1, let input = graph.inputs.first, input.type.elementType == .float32,
      let dims = input.type.shape, dims.count >= 2
    else {
      throw EngineError.unsupported(
        "'\(graph.name)': \(engine) runs graphs with one float32 input [batch, …] (this one has \(graph.inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ")))")
    }
    let sample = dims.dropFirst().compactMap(\.value)
    guard sample.count == dims.count - 1 else {
      throw EngineError.unsupported("'\(graph.name)': input '\(input.name)' \(input.type) needs fixed dimensions after the batch")
    }
    name = input.name
    batch = dims[0]
    sampleShape = sample
  }
}
