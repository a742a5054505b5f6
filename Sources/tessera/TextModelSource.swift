import Foundation
import TesseraEmbeddings
import TesseraGraph
import TesseraText

/// Reads the text models `embed` and `bench embed` accept: a sentence-transformers folder, an
/// ONNX file with `--tokenizer`, or a Tessera graph model file that carries its tokenizer.
enum TextModelSource {
  /// An embedder for `path` (folder, `.onnx` or `.safetensors`); see
  /// `TextEmbedder(contentsOf:tokenizer:quantization:maxSequenceLength:threads:)`.
  static func embedder(
    _ path: String, tokenizer tokenizerPath: String?, quantization: EmbeddingQuantization, maxLength: Int?, threads: Int
  ) throws -> TextEmbedder {
    try TextEmbedder(
      contentsOf: path, tokenizer: tokenizerPath, quantization: quantization, maxSequenceLength: maxLength, threads: threads)
  }

  /// Writes `graph` (built from `folder`) as a text model file carrying the folder's tokenizer.json.
  static func writeModelFile(_ graph: Graph, from folder: SentenceTransformerFolder, to out: String) throws {
    try TextEmbedder.writeModelFile(graph, from: folder, to: out)
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
