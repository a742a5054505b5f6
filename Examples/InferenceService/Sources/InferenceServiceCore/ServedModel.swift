import Foundation
import TesseraEmbeddings
import TesseraRuntime

/// A model loaded once at start-up, with its batcher.
public final class ServedModel: Sendable {
  /// What a model does, and so which endpoint it serves.
  public enum Kind: String, Sendable {
    /// Image classifier: `:predict`.
    case classifier
    /// Sentence embedder: `:embed`.
    case embedder
  }

  /// The name in the URL.
  public let name: String
  /// The file or folder it was loaded from.
  public let path: String
  /// What it does.
  public let kind: Kind
  /// Values per input sample (classifiers; 0 for embedders).
  public let inputCount: Int
  /// Values per output: logits for a classifier, the embedding dimension for an embedder.
  public let outputCount: Int
  /// `int8` or `float32` (classifiers), the embedder's precision otherwise.
  public let precision: String
  /// Batches rows of `inputCount` floats into engine calls (classifiers).
  public let classifierBatcher: DynamicBatcher<[Float], [Float]>?
  /// Batches token id sequences into embedder calls (embedders).
  public let embedderBatcher: DynamicBatcher<[Int32], [Float]>?
  private let embedder: TextEmbedder?

  /// Loads a model: a folder is a sentence-transformers embedder, anything else a Tessera model file.
  /// - Parameters:
  ///   - spec: name and path.
  ///   - options: batching for this model.
  ///   - metrics: where batch sizes and queue depth go.
  ///   - threads: threads per engine call.
  /// - Throws: what loading or compiling the model throws (the message names the file).
  public init(spec: ModelSpec, options: BatchingOptions, metrics: ServiceMetrics?, threads: Int = 1) throws {
    name = spec.name
    path = spec.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: spec.path, isDirectory: &isDirectory) else {
      throw RequestError(status: 0, "--model \(spec.name)=\(spec.path): no such file or folder")
    }
    let onBatch = metrics?.batchObserver(model: spec.name)
    let onQueue = metrics?.queueObserver(model: spec.name)
    if isDirectory.boolValue {
      let embedder = try TextEmbedder(folder: spec.path, threads: threads)
      self.embedder = embedder
      kind = .embedder
      inputCount = 0
      outputCount = embedder.dimension
      precision = embedder.precision
      classifierBatcher = nil
      embedderBatcher = DynamicBatcher(name: spec.name, options: options, onBatch: onBatch, onQueueChange: onQueue) { ids in
        try embedder.embed(tokenIds: ids, batchSize: max(1, ids.count))
      }
    } else {
      let engine = try Engine(contentsOf: spec.path, configuration: EngineConfiguration(threads: threads))
      embedder = nil
      kind = .classifier
      inputCount = engine.inputCount
      outputCount = engine.outputCount
      precision = engine.isQuantized ? "int8" : "float32"
      embedderBatcher = nil
      classifierBatcher = DynamicBatcher(name: spec.name, options: options, onBatch: onBatch, onQueueChange: onQueue) {
        [outputs = engine.outputCount, inputs = engine.inputCount] rows in
        var flat = [Float]()
        flat.reserveCapacity(rows.count * inputs)
        for row in rows { flat.append(contentsOf: row) }
        let logits = try engine.run(flat, count: rows.count)
        return (0..<rows.count).map { Array(logits[($0 * outputs)..<(($0 + 1) * outputs)]) }
      }
    }
  }

  /// Tokenizes texts with the embedder's tokenizer (truncated to its maximum length).
  /// - Parameter texts: the texts.
  /// - Returns: one id sequence per text (nil for a classifier).
  public func tokenize(_ texts: [String]) -> [[Int32]]? {
    guard let embedder else { return nil }
    return texts.map { embedder.tokenizer.encode($0).ids }
  }

  /// Starts the batcher's workers.
  public func start() {
    classifierBatcher?.start()
    embedderBatcher?.start()
  }

  /// Stops taking requests, finishes the queued ones, stops the workers.
  public func shutdown() async {
    await classifierBatcher?.shutdownAsync()
    await embedderBatcher?.shutdownAsync()
  }

  /// Samples waiting in the queue.
  public var queuedSamples: Int { classifierBatcher?.queuedSamples ?? embedderBatcher?.queuedSamples ?? 0 }
}
