import Foundation
import TesseraEmbeddings
import TesseraGraph
import TesseraText

/// Reads the text models `embed` and `bench embed` accept: a sentence-transformers folder, an
/// ONNX file with `--tokenizer`, or a Tessera graph model file that carries its tokenizer.
enum TextModelSource {
  /// The file metadata key holding a model's `tokenizer.json` text.
  static let tokenizerKey = "tessera.tokenizer"

  /// An embedder for `path`.
  /// - Parameters:
  ///   - path: folder, `.onnx` or `.safetensors`.
  ///   - tokenizer: `tokenizer.json` or `vocab.txt` (required for `.onnx`, overrides a file's own).
  ///   - quantization: applied to a float model (an int8 file is used as it is).
  ///   - maxLength: the longest input in tokens (default: the model's).
  ///   - threads: threads for the int8 layers.
  static func embedder(
    _ path: String, tokenizer tokenizerPath: String?, quantization: EmbeddingQuantization, maxLength: Int?, threads: Int
  ) throws -> TextEmbedder {
    let name = (path as NSString).lastPathComponent
    if SentenceTransformerFolder.isFolder(path) {
      let folder = try SentenceTransformerFolder(contentsOf: path)
      let tokenizer = try tokenizerPath.map(loadTokenizer) ?? folder.tokenizer()
      return try TextEmbedder(
        graph: try quantization.apply(to: folder.graph()), tokenizer: tokenizer, threads: threads,
        maxSequenceLength: maxLength ?? folder.maxSequenceLength, name: name)
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError("\(path): no such file or folder")
    }
    guard !isDirectory.boolValue else {
      throw CLIError("\(path): a folder without config.json (a sentence-transformers model folder has config.json, model.safetensors and tokenizer.json or vocab.txt)")
    }
    let tokenizer: WordPieceTokenizer
    var graph: Graph
    if ModelSource.isONNX(path) {
      guard let tokenizerPath else {
        throw CLIError("\(path): an ONNX text model needs --tokenizer tokenizer.json (or vocab.txt)")
      }
      tokenizer = try loadTokenizer(tokenizerPath)
      graph = try SentencePooling.pooledIfNeeded(try ModelSource.importONNX(path))
    } else {
      let file = try GraphModelFile(contentsOf: path)
      graph = file.graph
      if let tokenizerPath {
        tokenizer = try loadTokenizer(tokenizerPath)
      } else if let json = file.metadata[tokenizerKey] {
        tokenizer = try WordPieceTokenizer(tokenizerJSON: json, source: "\(path) (tokenizer in the model file)")
      } else {
        throw CLIError("\(path): the model file carries no tokenizer; pass --tokenizer tokenizer.json")
      }
    }
    if graph.metadata["tessera.precision"] == nil { graph = try quantization.apply(to: graph) }
    let length = maxLength ?? graph.metadata["tessera.max_sequence_length"].flatMap(Int.init) ?? 512
    return try TextEmbedder(graph: graph, tokenizer: tokenizer, threads: threads, maxSequenceLength: length, name: name)
  }

  /// Writes `graph` (built from `folder`) as a Tessera text model file that carries the folder's
  /// tokenizer.json, after checking the tokenizer loads.
  /// - Throws: ``CLIError`` when the folder has no tokenizer.json; tokenizer and write errors.
  static func writeModelFile(_ graph: Graph, from folder: SentenceTransformerFolder, to out: String) throws {
    guard let tokenizerPath = folder.tokenizerJSON else {
      throw CLIError("\(folder.path): has no tokenizer.json to carry into the model file (vocab.txt alone is not carried yet)")
    }
    _ = try loadTokenizer(tokenizerPath)
    try GraphModelFile(graph: graph, metadata: [
      tokenizerKey: try String(contentsOfFile: tokenizerPath, encoding: .utf8),
      "tessera.source": (folder.path as NSString).lastPathComponent,
    ]).write(to: out)
  }

  /// A tokenizer from `tokenizer.json` or `vocab.txt` (lower-casing).
  static func loadTokenizer(_ path: String) throws -> WordPieceTokenizer {
    let url = URL(fileURLWithPath: path)
    return path.hasSuffix(".txt") ? try WordPieceTokenizer(vocabulary: url) : try WordPieceTokenizer(contentsOf: url)
  }

  /// The lines of a UTF-8 text file, one text per line (a final newline ends the last line;
  /// `\r\n` endings are accepted).
  /// - Throws: ``CLIError`` for a missing, empty or non-UTF-8 file, naming the line of the first bad byte.
  static func texts(_ path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError("\(path): no such file or not readable")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      var line = 1
      var iterator = data.makeIterator()
      var decoder = UTF8()
      decoding: while true {
        switch decoder.decode(&iterator) {
        case let .scalarValue(scalar): if scalar == "\n" { line += 1 }
        case .emptyInput, .error: break decoding
        }
      }
      throw CLIError("\(path): not valid UTF-8 (line \(line))")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    if lines.last == "" { lines.removeLast() }
    guard !lines.isEmpty else { throw CLIError("\(path): no texts (the file is empty; put one text per line)") }
    return lines
  }
}
