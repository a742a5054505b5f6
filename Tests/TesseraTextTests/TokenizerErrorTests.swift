import Foundation
import Testing

@testable import TesseraText

/// A minimal valid tokenizer.json over `vocab`, with `model` spliced in when given.
private func tokenizerJSON(vocab: [String], model: String? = nil, postProcessor: String? = nil) -> String {
  let entries = vocab.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ")
  let model = model ?? """
    {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
     "max_input_chars_per_word": 100, "vocab": {\(entries)}}
    """
  let post = postProcessor ?? """
    {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}
    """
  return """
    {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
     "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                    "strip_accents": null, "lowercase": true},
     "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": \(model), "post_processor": \(post)}
    """
}

@Suite("Tokenizer loading and input errors")
struct TokenizerErrorTests {
  @Test("a minimal tokenizer.json with BertProcessing loads and encodes")
  func minimalJSON() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let file = try folder.write("tokenizer.json", text: tokenizerJSON(vocab: tinyVocabulary))
    let tokenizer = try WordPieceTokenizer(contentsOf: file)
    #expect(tokenizer.encode("Hello, unaffable!").tokens == ["[CLS]", "hello", ",", "un", "##aff", "##able", "!", "[SEP]"])
    #expect(tokenizer.truncation == nil && tokenizer.padding == nil)
  }

  @Test("a missing file names the path")
  func missingFile() throws {
    let url = URL(fileURLWithPath: "/nonexistent/tessera/vocab.txt")
    #expect(throws: TokenizerError.cannotOpen(path: url.path, reason: "no such file")) {
      try WordPieceTokenizer(vocabulary: url)
    }
    #expect(throws: TokenizerError.self) { try WordPieceTokenizer(contentsOf: url) }
  }

  @Test("empty files are rejected")
  func emptyFiles() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let vocab = try folder.write("vocab.txt", text: "")
    #expect(throws: TokenizerError.emptyFile(path: vocab.path)) { try WordPieceTokenizer(vocabulary: vocab) }
    let json = try folder.write("tokenizer.json", text: " \n")
    #expect(throws: TokenizerError.emptyFile(path: json.path)) { try WordPieceTokenizer(contentsOf: json) }
  }

  @Test("invalid UTF-8 in vocab.txt or tokenizer.json names the byte")
  func invalidUTF8Files() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let vocab = try folder.write("vocab.txt", bytes: Array("[UNK]\nab".utf8) + [0xC3, 0x28])
    #expect(throws: TokenizerError.invalidUTF8(path: vocab.path, offset: 8)) {
      try WordPieceTokenizer(vocabulary: vocab)
    }
    let json = try folder.write("tokenizer.json", bytes: [0x7B, 0xFF, 0x7D])
    #expect(throws: TokenizerError.invalidUTF8(path: json.path, offset: 1)) { try WordPieceTokenizer(contentsOf: json) }
  }

  @Test("invalid JSON and a wrong structure are invalidJSON errors naming the file")
  func invalidJSON() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let broken = try folder.write("tokenizer.json", text: "{\"model\": ")
    let error = #expect(throws: TokenizerError.self) { try WordPieceTokenizer(contentsOf: broken) }
    guard case .invalidJSON(let path, _) = error else {
      Issue.record("expected invalidJSON, got \(String(describing: error))")
      return
    }
    #expect(path == broken.path)
    let wrong = try folder.write("other.json", text: "{\"model\": {\"type\": \"WordPiece\", \"vocab\": [1, 2]}}")
    let second = #expect(throws: TokenizerError.self) { try WordPieceTokenizer(contentsOf: wrong) }
    #expect(second?.description.contains("other.json") == true)
    #expect(second?.description.contains("model.vocab") == true)
  }

  @Test("a BPE model is unsupported, by name")
  func bpeModel() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let bpe = """
      {"type": "BPE", "dropout": null, "unk_token": null, "vocab": {"a": 0}, "merges": []}
      """
    let file = try folder.write("tokenizer.json", text: tokenizerJSON(vocab: tinyVocabulary, model: bpe))
    let error = #expect(throws: TokenizerError.unsupported(path: file.path, component: "model", type: "BPE")) {
      try WordPieceTokenizer(contentsOf: file)
    }
    #expect(error?.description.contains("unsupported model type \"BPE\"") == true)
  }

  @Test("a vocabulary without [UNK], [CLS] or [SEP] is rejected")
  func missingSpecialTokens() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let noUnk = try folder.write("vocab.txt", text: "[PAD]\n[CLS]\n[SEP]\nhello\n")
    #expect(throws: TokenizerError.missingToken(path: noUnk.path, token: "[UNK]", role: "unknown")) {
      try WordPieceTokenizer(vocabulary: noUnk)
    }
    #expect(throws: TokenizerError.missingToken(path: noUnk.path, token: "<unk>", role: "unknown")) {
      try WordPieceTokenizer(vocabulary: noUnk, unknownToken: "<unk>")
    }
    let noCLS = try folder.write("vocab2.txt", text: "[UNK]\n[SEP]\nhello\n")
    #expect(throws: TokenizerError.missingToken(path: noCLS.path, token: "[CLS]", role: "class ([CLS])")) {
      try WordPieceTokenizer(vocabulary: noCLS)
    }
    let noSEP = try folder.write("vocab3.txt", text: "[UNK]\n[CLS]\nhello\n")
    #expect(throws: TokenizerError.missingToken(path: noSEP.path, token: "[SEP]", role: "separator ([SEP])")) {
      try WordPieceTokenizer(vocabulary: noSEP)
    }
    let json = try folder.write(
      "tokenizer.json", text: tokenizerJSON(vocab: tinyVocabulary.filter { $0 != "[UNK]" && $0 != "[PAD]" }))
    #expect(throws: TokenizerError.missingToken(path: json.path, token: "[UNK]", role: "unknown")) {
      try WordPieceTokenizer(contentsOf: json)
    }
  }

  @Test("encode(utf8:) throws on invalid UTF-8 and encodes valid bytes")
  func invalidUTF8Input() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    #expect(throws: TokenizerError.invalidUTF8Input(offset: 6)) {
      try tokenizer.encode(utf8: Array("hello ".utf8) + [0xE2, 0x82])
    }
    #expect(try tokenizer.encode(utf8: Array("hello".utf8)).ids == [2, 21, 3])
    #expect(TokenizerError.invalidUTF8Input(offset: 6).description == "input text: invalid UTF-8 at byte 6")
  }
}
