import ArgumentParser
import Foundation
import Tessera
import TesseraEmbeddings

extension EmbeddingQuantization: ExpressibleByArgument {}

/// `tessera embed`: sentence embeddings of every line of a text file.
struct Embed: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embed",
    abstract: "Embed every line of a UTF-8 text file with a sentence-transformers model (float or int8).",
    discussion: """
      MODEL is a sentence-transformers folder (config.json, model.safetensors, tokenizer.json or \
      vocab.txt, modules.json, 1_Pooling/), an .onnx encoder with --tokenizer, or a Tessera model \
      file written by `tessera quantize FOLDER` (it carries its tokenizer). Texts longer than the \
      model's max_seq_length are truncated. JSON: {"model", "dimension", "count", "embeddings"}.

        tessera embed all-MiniLM-L6-v2/ --input texts.txt --format json > embeddings.json
        tessera embed all-MiniLM-L6-v2/ --input texts.txt --quantization dynamic-int8
        tessera embed model.onnx --tokenizer tokenizer.json --input texts.txt
      """)

  @Argument(help: "A sentence-transformers folder, an .onnx encoder, or a Tessera text model file.")
  var model: String

  @Option(help: "UTF-8 text file, one text per line.")
  var input: String

  @Option(help: "tokenizer.json or vocab.txt (required for .onnx; overrides the model's).")
  var tokenizer: String?

  @Option(help: "Linear layers: none (float32) or dynamic-int8 (int8 weights, activations quantized per token at run time).")
  var quantization: EmbeddingQuantization = .none

  @Option(help: "Texts per engine call (texts of similar length are batched together).")
  var batch = 32

  @Option(help: "Threads for BLAS and the int8 layers.")
  var threads = 1

  @Option(name: .customLong("max-length"), help: "Longest input in tokens, [CLS] and [SEP] included (default: the model's).")
  var maxLength: Int?

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard batch >= 1, batch <= 4096 else { throw ValidationError("--batch must be in 1...4096, got \(batch)") }
    guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be in 1...256, got \(threads)") }
    if let maxLength, maxLength < 2 || maxLength > 8192 {
      throw ValidationError("--max-length must be in 2...8192, got \(maxLength)")
    }
  }

  func run() async throws {
    BLASInfo.setThreads(threads)
    let progress = output.progress()
    let texts = try TextModelSource.texts(input)
    progress.step("loading \(model)")
    let embedder = try TextModelSource.embedder(
      model, tokenizer: tokenizer, quantization: quantization, maxLength: maxLength, threads: threads)
    progress.step("embedding \(texts.count) texts (\(embedder.precision), batch \(batch))")
    let ids = texts.map { embedder.tokenizer.encode($0).ids }
    let embeddings = try embedder.embed(tokenIds: ids, batchSize: batch)
    try output.emit(EmbedReport(model: embedder.name, dimension: embedder.dimension, embeddings: embeddings, tokens: ids.map(\.count)))
  }
}
