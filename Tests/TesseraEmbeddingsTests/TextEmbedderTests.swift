import Foundation
import Testing
import TesseraGraph
import TesseraRuntime

@testable import TesseraEmbeddings

/// The text embedder on a small random BERT (no downloads): engine against the reference
/// interpreter, padding, order, int8 against float, bad input.
@Suite("Text embedder")
struct TextEmbedderTests {
  static let texts = ["w1 w2 w3", "w4", "w5 w6 w7 w8 w9 w10 w11 w12 w13 w14", "", "W3 w3w4 unknownword w7"]

  @Test("embeddings equal the reference interpreter's on each text alone, within 2e-6")
  func matchesInterpreter() throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let embedder = try TextEmbedder(folder: dir)
    let graph = try SentenceTransformerFolder(contentsOf: dir).graph()
    let interpreter = try ReferenceInterpreter(graph: graph)
    let ours = try embedder.embed(Self.texts, batchSize: 3)
    for (text, e) in zip(Self.texts, ours) {
      let ids = embedder.tokenizer.encode(text).ids.map(Int64.init)
      let feeds = [
        "input_ids": try GraphTensor(int64: ids, shape: [1, ids.count]),
        "attention_mask": try GraphTensor(int64: [Int64](repeating: 1, count: ids.count), shape: [1, ids.count]),
      ]
      let reference = try #require(try interpreter.run(feeds)["sentence_embedding"]?.float32)
      let worst = zip(e, reference).map { abs($0 - $1) }.max() ?? 1
      #expect(worst <= 2e-6, "\"\(text)\": max difference \(worst)")
      #expect(abs(e.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5, "unit length")
    }
  }

  @Test("batch size and order do not change the embeddings; the async variant equals the sync one")
  func batchingInvariance() async throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let embedder = try TextEmbedder(folder: dir)
    let one = try await embedder.embed(Self.texts, batchSize: 1)
    let all = try await embedder.embed(Self.texts, batchSize: 8)
    let reversed = try await embedder.embed(Self.texts.reversed(), batchSize: 2).reversed()
    for (a, b) in zip(one, all) { #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }) }
    for (a, b) in zip(one, reversed) { #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }) }
    let concurrent = try await withThrowingTaskGroup(of: [[Float]].self) { group in
      for _ in 0..<4 { group.addTask { try await embedder.embed(Self.texts, batchSize: 2) } }
      var results: [[[Float]]] = []
      for try await r in group { results.append(r) }
      return results
    }
    let sync = try Self.syncEmbed(embedder, batchSize: 2)
    for r in concurrent { #expect(r == sync) }
  }

  static func syncEmbed(_ e: TextEmbedder, batchSize: Int) throws -> [[Float]] { try e.embed(texts, batchSize: batchSize) }

  @Test("dynamic int8: every Linear on the qd8 kernels, cosine to float ≥ 0.99 on every text")
  func int8() throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let float = try TextEmbedder(folder: dir)
    let int8 = try TextEmbedder(folder: dir, quantization: .dynamicInt8)
    #expect(int8.precision == "dynamic-int8")
    #expect(int8.plan.stepKinds.filter { $0.kind.hasPrefix("qd8-linear") }.count == 6 * TinyBERT.configuration.layers)
    #expect(int8.plan.stepKinds.allSatisfy { !$0.kind.hasPrefix("fp32-linear") })
    for (a, b) in zip(try float.embed(Self.texts), try int8.embed(Self.texts)) {
      let cosine = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
      #expect(cosine >= 0.99, "cosine \(cosine)")
    }
  }

  @Test("token ids outside the vocabulary, empty or too long sequences, and a zero batch are clear errors")
  func badInput() throws {
    let dir = try TinyBERT.write(TinyBERT.configuration)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let embedder = try TextEmbedder(folder: dir)
    #expect(throws: EmbeddingModelError.self) { try embedder.embed(tokenIds: [[2, 99, 3]]) }
    #expect(throws: EmbeddingModelError.self) { try embedder.embed(tokenIds: [[]]) }
    #expect(throws: EmbeddingModelError.self) { try embedder.embed(tokenIds: [[Int32](repeating: 5, count: 25)]) }
    #expect(throws: EmbeddingModelError.self) { try embedder.embed(["x"], batchSize: 0) }
    // A 100,000-character text is truncated to the model's 24 positions.
    let long = String(repeating: "w1 ", count: 33_334)
    #expect(try embedder.embed([long])[0].count == 8)
    #expect(embedder.tokenizer.encode(long).ids.count == 24)
  }
}
