import Foundation
import TesseraGraph
import TesseraONNX
import TesseraText

extension TextEmbedder {
  /// The model-file metadata key holding the model's `tokenizer.json` text.
  public static let tokenizerMetadataKey = "tessera.tokenizer"

  /// Loads a text model from any form Tessera reads: a sentence-transformers folder, a Tessera
  /// text model file (`tessera import FOLDER` or `tessera quantize FOLDER`, which carry their
  /// tokenizer), or an ONNX encoder (with `tokenizer`; pooling is appended when it outputs token
  /// states).
  ///
  /// For example:
  /// ```swift
  /// let embedder = try TextEmbedder(contentsOf: "minilm-int8.safetensors")
  /// let vectors = try embedder.embed(["A man is eating food."])
  /// ```
  /// - Parameters:
  ///   - path: folder, `.safetensors` or `.onnx`.
  ///   - tokenizer: `tokenizer.json` or `vocab.txt` (required for `.onnx`; overrides a file's own).
  ///   - quantization: applied to a float model (an int8 file runs as it is).
  ///   - maxSequenceLength: the longest input in tokens (default: the model's, else 512).
  ///   - threads: threads per call for the int8 layers.
  /// - Throws: ``EmbeddingModelError`` naming the file at fault, `TokenizerError`, `GraphIRError`.
  public convenience init(
    contentsOf path: String, tokenizer: String? = nil, quantization: EmbeddingQuantization = .none,
    maxSequenceLength: Int? = nil, threads: Int = 1
  ) throws {
    let tokenizerPath = tokenizer
    let name = (path as NSString).lastPathComponent
    if SentenceTransformerFolder.isFolder(path) {
      let folder = try SentenceTransformerFolder(contentsOf: path)
      let tokenizer = try tokenizerPath.map(Self.loadTokenizer) ?? folder.tokenizer()
      try self.init(
        graph: try quantization.apply(to: folder.graph()), tokenizer: tokenizer, threads: threads,
        maxSequenceLength: maxSequenceLength ?? folder.maxSequenceLength, name: name)
      return
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw EmbeddingModelError.missingFile(path: path, reason: "no such file or folder")
    }
    guard !isDirectory.boolValue else {
      throw EmbeddingModelError.missingFile(
        path: path,
        reason: "a folder without config.json (a sentence-transformers model folder has config.json, model.safetensors and tokenizer.json or vocab.txt)")
    }
    let tokenizer: WordPieceTokenizer
    var graph: Graph
    if path.lowercased().hasSuffix(".onnx") {
      guard let tokenizerPath else {
        throw EmbeddingModelError.missingFile(path: path, reason: "an ONNX text model needs a tokenizer (tokenizer.json or vocab.txt)")
      }
      tokenizer = try Self.loadTokenizer(tokenizerPath)
      do {
        graph = try SentencePooling.pooledIfNeeded(try ONNXImporter.graph(contentsOf: path))
      } catch let error as GraphIRError {
        throw EmbeddingModelError.unsupported("\(path): \(error)")
      }
    } else {
      let file = try GraphModelFile(contentsOf: path)
      graph = file.graph
      if let tokenizerPath {
        tokenizer = try Self.loadTokenizer(tokenizerPath)
      } else if let json = file.metadata[Self.tokenizerMetadataKey] {
        tokenizer = try WordPieceTokenizer(tokenizerJSON: json, source: "\(path) (tokenizer in the model file)")
      } else {
        throw EmbeddingModelError.missingFile(path: path, reason: "the model file carries no tokenizer; pass a tokenizer.json")
      }
    }
    if graph.metadata["tessera.precision"] == nil { graph = try quantization.apply(to: graph) }
    let length = maxSequenceLength ?? graph.metadata["tessera.max_sequence_length"].flatMap(Int.init) ?? 512
    try self.init(graph: graph, tokenizer: tokenizer, threads: threads, maxSequenceLength: length, name: name)
  }

  /// Writes `graph` (built from `folder`) as a Tessera text model file that carries the folder's
  /// `tokenizer.json`, after checking the tokenizer loads, so ``init(contentsOf:tokenizer:quantization:maxSequenceLength:threads:)``
  /// needs nothing else.
  /// - Throws: ``EmbeddingModelError/missingFile(path:reason:)`` when the folder has no
  ///   tokenizer.json; tokenizer and write errors.
  public static func writeModelFile(_ graph: Graph, from folder: SentenceTransformerFolder, to out: String) throws {
    guard let tokenizerPath = folder.tokenizerJSON else {
      throw EmbeddingModelError.missingFile(
        path: folder.path, reason: "has no tokenizer.json to carry into the model file (vocab.txt alone is not carried yet)")
    }
    _ = try loadTokenizer(tokenizerPath)
    try GraphModelFile(graph: graph, metadata: [
      tokenizerMetadataKey: try String(contentsOfFile: tokenizerPath, encoding: .utf8),
      "tessera.source": (folder.path as NSString).lastPathComponent,
    ]).write(to: out)
  }

  /// A tokenizer from `tokenizer.json` or `vocab.txt` (lower-casing).
  /// - Throws: `TokenizerError` naming the file.
  public static func loadTokenizer(_ path: String) throws -> WordPieceTokenizer {
    let url = URL(fileURLWithPath: path)
    return path.hasSuffix(".txt") ? try WordPieceTokenizer(vocabulary: url) : try WordPieceTokenizer(contentsOf: url)
  }
}
