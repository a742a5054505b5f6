import Dispatch
import Foundation
import TesseraGraph
import TesseraRuntime
import TesseraText

/// Sentence embeddings from a BERT-family model: load once, then embed texts from any number of
/// threads or tasks at once.
///
/// ```swift
/// let embedder = try TextEmbedder(folder: "all-MiniLM-L6-v2")
/// let vectors = try embedder.embed(["A man is eating food.", "Someone eats."])
/// let cosine = zip(vectors[0], vectors[1]).map(*).reduce(0, +)   // unit vectors
/// ```
///
/// Texts are tokenized (truncated to ``maxSequenceLength`` tokens), grouped by length into
/// batches padded to their longest text (so short texts do not pay for long ones), run through
/// one compiled `DynamicGraphPlan` and returned in input order.
public final class TextEmbedder: Sendable {
  /// The tokenizer (truncation and padding are set per call, not from the file).
  public let tokenizer: WordPieceTokenizer
  /// The compiled encoder and pooling.
  public let plan: DynamicGraphPlan
  /// The longest input in tokens, `[CLS]` and `[SEP]` included; longer texts are truncated.
  public let maxSequenceLength: Int
  /// Floats per embedding.
  public let dimension: Int
  /// The model's name (its folder or file name).
  public let name: String
  /// `float32`, or `dynamic-int8` when the Linear layers run on int8 kernels.
  public let precision: String

  /// Loads a sentence-transformers folder.
  /// - Parameters:
  ///   - folder: the folder (config.json, model.safetensors, tokenizer.json or vocab.txt, …).
  ///   - quantization: how the encoder's Linear layers compute (float32 by default).
  ///   - threads: threads per call for the int8 layers (BLAS threads are set with `BLASInfo`).
  /// - Throws: ``EmbeddingModelError`` or `TokenizerError` naming the file at fault.
  public convenience init(folder: String, quantization: EmbeddingQuantization = .none, threads: Int = 1) throws {
    let model = try SentenceTransformerFolder(contentsOf: folder)
    try self.init(
      graph: try quantization.apply(to: model.graph()), tokenizer: try model.tokenizer(), threads: threads,
      maxSequenceLength: model.maxSequenceLength, name: (folder as NSString).lastPathComponent)
  }

  /// Wraps a graph with inputs `input_ids` and `attention_mask` (int64 `[batch, sequence]`) and
  /// one float output `[batch, dimension]`.
  /// - Parameters:
  ///   - graph: the encoder with pooling.
  ///   - tokenizer: its tokenizer.
  ///   - maxSequenceLength: the longest input in tokens.
  ///   - name: a name for reports.
  ///   - threads: threads per call for the int8 layers.
  /// - Throws: ``EmbeddingModelError/unsupported(_:)`` when the inputs or output differ;
  ///   `GraphIRError` when the graph does not compile.
  public init(graph: Graph, tokenizer: WordPieceTokenizer, threads: Int = 1, maxSequenceLength: Int, name: String) throws {
    let names = Set(graph.inputs.map(\.name))
    guard names.isSubset(of: ["input_ids", "attention_mask", "token_type_ids"]), names.contains("input_ids"),
      graph.outputs.count == 1, let width = graph.outputs[0].type.shape?.last?.value
    else {
      throw EmbeddingModelError.unsupported(
        "a text embedder needs inputs input_ids and attention_mask and one output [batch, dimension]; \(graph.name) has inputs \(graph.inputs.map(\.name)) and outputs \(graph.outputs.map { "\($0.name) \($0.type)" })")
    }
    guard maxSequenceLength >= 2 else {
      throw EmbeddingModelError.invalidInput("max sequence length \(maxSequenceLength): at least [CLS] and [SEP] must fit")
    }
    var t = tokenizer
    t.truncation = Truncation(maxLength: maxSequenceLength)
    t.padding = nil
    self.tokenizer = t
    plan = try DynamicGraphPlan(graph: graph, threads: threads)
    precision = graph.metadata["tessera.precision"] ?? "float32"
    self.maxSequenceLength = maxSequenceLength
    dimension = width
    self.name = name
  }

  /// Embeds texts.
  /// - Parameters:
  ///   - texts: the texts (any length; each is truncated to ``maxSequenceLength`` tokens).
  ///   - batchSize: texts per engine call.
  /// - Returns: one embedding of ``dimension`` floats per text, in input order.
  /// - Throws: ``EmbeddingModelError`` or an engine error.
  public func embed(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
    try embed(tokenIds: texts.map { tokenizer.encode($0).ids }, batchSize: batchSize)
  }

  /// Embeds texts without blocking the caller's executor: the work runs on
  /// `EngineExecutor.shared` (one thread per core, outside Swift concurrency's cooperative pool;
  /// see `Engine.run(_:)` for why).
  /// - Parameters:
  ///   - texts: the texts.
  ///   - batchSize: texts per engine call.
  /// - Returns: one embedding per text, in input order.
  /// - Throws: as the synchronous `embed(_:batchSize:)`, or `CancellationError`.
  public func embed(_ texts: [String], batchSize: Int = 32) async throws -> [[Float]] {
    try await EngineExecutor.shared.run { try self.embed(texts, batchSize: batchSize) }
  }

  /// Embeds already-tokenized inputs (`[CLS] … [SEP]` included), batching texts of similar length.
  /// - Parameters:
  ///   - tokenIds: one id sequence per text, each 1…``maxSequenceLength`` long.
  ///   - batchSize: sequences per engine call.
  /// - Returns: one embedding per sequence, in input order.
  /// - Throws: ``EmbeddingModelError/invalidInput(_:)`` for an empty or too long sequence or an
  ///   id outside the vocabulary.
  public func embed(tokenIds: [[Int32]], batchSize: Int = 32) throws -> [[Float]] {
    guard batchSize >= 1 else { throw EmbeddingModelError.invalidInput("batch size \(batchSize) must be at least 1") }
    let vocabulary = Int32(tokenizer.vocabularySize)
    for (i, ids) in tokenIds.enumerated() {
      guard !ids.isEmpty, ids.count <= maxSequenceLength else {
        throw EmbeddingModelError.invalidInput("text \(i): \(ids.count) tokens (1…\(maxSequenceLength) allowed)")
      }
      if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
        throw EmbeddingModelError.invalidInput("text \(i): token id \(bad) outside the vocabulary of \(vocabulary)")
      }
    }
    let order = tokenIds.indices.sorted { tokenIds[$0].count > tokenIds[$1].count }
    var result = [[Float]](repeating: [], count: tokenIds.count)
    for start in stride(from: 0, to: order.count, by: batchSize) {
      let chunk = Array(order[start..<min(start + batchSize, order.count)])
      let embeddings = try run(chunk.map { tokenIds[$0] })
      for (j, i) in chunk.enumerated() { result[i] = embeddings[j] }
    }
    return result
  }

  /// One engine call on sequences padded to the longest, adding each step's time to
  /// `stepNanoseconds` (indexed like the plan's `stepKinds`), for profiles.
  /// - Parameters:
  ///   - rows: token ids per text (`[CLS] … [SEP]`).
  ///   - stepNanoseconds: accumulated step times.
  /// - Returns: one embedding per row.
  public func profiledRun(_ rows: [[Int32]], stepNanoseconds: inout [UInt64]) throws -> [[Float]] {
    try withUnsafeMutablePointer(to: &stepNanoseconds) { try run(rows, stepNanoseconds: $0) }
  }

  /// The encoder inputs for `rows` padded to the longest: `input_ids`, `attention_mask` (1 on
  /// real tokens) and, when asked, all-zero `token_type_ids`, each int64 `[rows, longest]`.
  static func feeds(_ rows: [[Int32]], padId: Int32, tokenTypes: Bool) throws -> [String: GraphTensor] {
    let width = rows.map(\.count).max() ?? 0
    var ids = [Int64](repeating: Int64(padId), count: rows.count * width)
    var mask = [Int64](repeating: 0, count: rows.count * width)
    for (r, row) in rows.enumerated() {
      for (j, id) in row.enumerated() {
        ids[r * width + j] = Int64(id)
        mask[r * width + j] = 1
      }
    }
    var feeds = [
      "input_ids": try GraphTensor(int64: ids, shape: [rows.count, width]),
      "attention_mask": try GraphTensor(int64: mask, shape: [rows.count, width]),
    ]
    if tokenTypes {
      feeds["token_type_ids"] = try GraphTensor(int64: [Int64](repeating: 0, count: rows.count * width), shape: [rows.count, width])
    }
    return feeds
  }

  /// One engine call on sequences padded to the longest.
  func run(_ rows: [[Int32]], stepNanoseconds: UnsafeMutablePointer<[UInt64]>? = nil) throws -> [[Float]] {
    let feeds = try Self.feeds(rows, padId: tokenizer.padId, tokenTypes: plan.inputs.contains { $0.name == "token_type_ids" })
    let out = try plan.run(feeds, stepNanoseconds: stepNanoseconds)[0]
    guard out.shape == [rows.count, dimension], let values = out.float32 else {
      throw EmbeddingModelError.unsupported("the model's output has shape \(out.shape), expected [\(rows.count), \(dimension)]")
    }
    return (0..<rows.count).map { Array(values[($0 * dimension)..<(($0 + 1) * dimension)]) }
  }
}
