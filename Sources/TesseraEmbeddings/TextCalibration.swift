import Foundation
import TesseraGraph
import TesseraQuantization
import TesseraRuntime
import TesseraText

/// Calibration of a float text encoder for static activation quantization: runs the encoder on
/// calibration texts (one at a time, so no padding rows enter the statistics) and records the
/// per-input-channel range of every Linear layer's input.
///
/// For example:
/// ```swift
/// let folder = try SentenceTransformerFolder(contentsOf: "all-MiniLM-L6-v2")
/// let graph = try folder.graph()
/// let stats = try TextCalibration.statistics(graph: graph, tokenizer: try folder.tokenizer(),
///                                            texts: calibrationTexts, maxSequenceLength: 256)
/// let int8 = try graph.quantizingLinearStatically(statistics: stats)  // SmoothQuant chosen per layer
/// ```
public enum TextCalibration {
  /// Input statistics of every Linear layer, keyed by MatMul node name.
  /// - Parameters:
  ///   - graph: a float encoder with inputs `input_ids`, `attention_mask` (and optionally
  ///     `token_type_ids`), as ``TextEmbedder`` takes.
  ///   - tokenizer: its tokenizer.
  ///   - texts: calibration texts (at least one non-empty).
  ///   - maxSequenceLength: texts are truncated to this many tokens.
  ///   - threads: threads for the float layers.
  ///   - progress: called after each text with (done, total).
  /// - Returns: one `LinearInputStatistics` per Linear layer.
  /// - Throws: ``EmbeddingModelError/invalidInput(_:)`` for no texts;
  ///   `QuantizationError.nonFiniteValue` when an activation is NaN or infinite; engine errors.
  public static func statistics(
    graph: Graph, tokenizer: WordPieceTokenizer, texts: [String], maxSequenceLength: Int, threads: Int = 1,
    progress: ((Int, Int) -> Void)? = nil
  ) throws -> [String: LinearInputStatistics] {
    let texts = texts.filter { !$0.allSatisfy(\.isWhitespace) }
    guard !texts.isEmpty else { throw EmbeddingModelError.invalidInput("calibration needs at least one non-empty text") }
    let layers = try graph.linearLayerInputs()
    guard !layers.isEmpty else { throw EmbeddingModelError.unsupported("\(graph.name) has no Linear layers to calibrate") }
    var values: [String] = []
    for layer in layers where !values.contains(layer.value) { values.append(layer.value) }
    let plan = try DynamicGraphPlan(graph: try graph.exposingValues(values), threads: threads)
    let base = graph.outputs.count
    var byValue: [String: LinearInputStatistics] = [:]
    for layer in layers where byValue[layer.value] == nil { byValue[layer.value] = LinearInputStatistics(channels: layer.channels) }
    var t = tokenizer
    t.truncation = Truncation(maxLength: maxSequenceLength)
    t.padding = nil
    let withTypes = plan.inputs.contains { $0.name == "token_type_ids" }
    for (done, text) in texts.enumerated() {
      let ids = t.encode(text).ids
      let outputs = try plan.run(try TextEmbedder.feeds([ids], padId: t.padId, tokenTypes: withTypes))
      for (j, value) in values.enumerated() {
        guard let x = outputs[base + j].float32 else {
          throw EmbeddingModelError.unsupported("Linear input '\(value)' is \(outputs[base + j].elementType), not float32")
        }
        try x.withUnsafeBufferPointer { try byValue[value]!.observe($0, what: "activation '\(value)' on calibration text \(done + 1)") }
      }
      progress?(done + 1, texts.count)
    }
    var result: [String: LinearInputStatistics] = [:]
    for layer in layers { result[layer.layer] = byValue[layer.value] }
    return result
  }
}
