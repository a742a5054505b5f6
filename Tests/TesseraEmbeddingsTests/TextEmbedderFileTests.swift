import Foundation
import Testing
import TesseraGraph

@testable import TesseraEmbeddings

@Suite("TextEmbedder(contentsOf:): folders, model files and their errors")
struct TextEmbedderFileTests {
  static let texts = ["w1 w2 w3", "w4", "W3 w3w4 unknownword w7"]

  @Test("a folder and a model file of the same graph give the same embeddings")
  func folderAndFileAgree() throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let reference = try TextEmbedder(folder: dir).embed(Self.texts)
    #expect(try TextEmbedder(contentsOf: dir).embed(Self.texts) == reference)
    let file = dir + "/model-graph.safetensors"
    try GraphModelFile(graph: try SentenceTransformerFolder(contentsOf: dir).graph()).write(to: file)
    // The file carries no tokenizer: naming one is required, and then it agrees with the folder.
    do {
      _ = try TextEmbedder(contentsOf: file)
      Issue.record("a model file without a tokenizer loaded")
    } catch let error as EmbeddingModelError {
      #expect(error.description.contains("carries no tokenizer"))
    }
    let loaded = try TextEmbedder(contentsOf: file, tokenizer: dir + "/vocab.txt", maxSequenceLength: 64)
    #expect(loaded.maxSequenceLength == 64)
    #expect(try loaded.embed(Self.texts) == reference)
  }

  @Test("missing paths and bare folders name the problem")
  func errors() throws {
    #expect(throws: EmbeddingModelError.missingFile(path: "/nonexistent/model", reason: "no such file or folder")) {
      try TextEmbedder(contentsOf: "/nonexistent/model")
    }
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(getpid())").path
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    do {
      _ = try TextEmbedder(contentsOf: empty)
      Issue.record("an empty folder loaded")
    } catch let error as EmbeddingModelError {
      #expect(error.description.contains("without config.json"))
    }
  }
}
