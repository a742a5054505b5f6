import Foundation

extension WordPieceTokenizer {
  /// Loads a Hugging Face `tokenizer.json` with a BertNormalizer (or none), a BertPreTokenizer,
  /// a WordPiece model and a TemplateProcessing or BertProcessing post-processor; its truncation
  /// and padding settings become ``truncation`` and ``padding``.
  ///
  /// ```swift
  /// var tokenizer = try WordPieceTokenizer(contentsOf: modelFolder.appending(path: "tokenizer.json"))
  /// tokenizer.padding = nil   // encode without padding to the file's fixed length
  /// ```
  /// - Parameter tokenizerJSON: the `tokenizer.json` file.
  /// - Throws: ``TokenizerError`` when the file is missing, empty, not UTF-8 or not valid JSON,
  ///   when a component is of another kind (a BPE or Unigram model, another normalizer), or when
  ///   the unknown token or the template's special tokens are not in the vocabulary.
  public init(contentsOf tokenizerJSON: URL) throws {
    try self.init(tokenizerJSON: try TokenizerFile.text(at: tokenizerJSON), source: tokenizerJSON.path)
  }

  /// Loads the text of a Hugging Face `tokenizer.json` (for example one carried inside a model
  /// file), like ``init(contentsOf:)``.
  /// - Parameters:
  ///   - text: the JSON.
  ///   - source: a name for messages (a file path).
  /// - Throws: ``TokenizerError`` as ``init(contentsOf:)`` does.
  public init(tokenizerJSON text: String, source: String) throws {
    let path = source
    if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw TokenizerError.emptyFile(path: path) }
    let file: TokenizerJSON
    do {
      file = try JSONDecoder().decode(TokenizerJSON.self, from: Data(text.utf8))
    } catch let error as DecodingError {
      throw TokenizerError.invalidJSON(path: path, reason: Self.describe(error))
    } catch {
      throw TokenizerError.invalidJSON(path: path, reason: "\(error)")
    }

    let model = file.model
    let modelType = model.type ?? (model.continuing_subword_prefix != nil ? "WordPiece" : "unknown")
    guard modelType == "WordPiece", let vocabJSON = model.vocab else {
      throw TokenizerError.unsupported(path: path, component: "model", type: modelType)
    }
    var normalizer = BertNormalizer(
      cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: false)
    if let n = file.normalizer {
      guard n.type == "BertNormalizer" else {
        throw TokenizerError.unsupported(path: path, component: "normalizer", type: n.type)
      }
      normalizer = BertNormalizer(
        cleanText: n.clean_text ?? true, handleChineseCharacters: n.handle_chinese_chars ?? true,
        stripAccents: n.strip_accents, lowercase: n.lowercase ?? true)
    }
    if let pre = file.pre_tokenizer, pre.type != "BertPreTokenizer" {
      throw TokenizerError.unsupported(path: path, component: "pre_tokenizer", type: pre.type)
    }

    let added = file.added_tokens ?? []
    let vocab = Vocabulary(
      vocabJSON.map { (token: $0.key, id: $0.value) }.sorted { $0.id < $1.id }
        + added.map { (token: $0.content, id: $0.id) }.filter { vocabJSON[$0.token] == nil })
    let unknownToken = model.unk_token ?? "[UNK]"
    guard let unkId = vocab.id(for: unknownToken) else {
      throw TokenizerError.missingToken(path: path, token: unknownToken, role: "unknown")
    }
    let (prefixIds, suffixIds) = try Self.template(file.post_processor, path: path)
    guard let clsId = prefixIds.first else {
      throw TokenizerError.missingToken(path: path, token: "[CLS]", role: "class (post_processor)")
    }
    guard let sepId = suffixIds.last else {
      throw TokenizerError.missingToken(path: path, token: "[SEP]", role: "separator (post_processor)")
    }

    var truncation: Truncation? = nil
    if let t = file.truncation {
      truncation = Truncation(maxLength: t.max_length, side: t.direction == "Left" ? .left : .right)
    }
    var padding: Padding? = nil
    let padId = file.padding?.pad_id ?? vocab.id(for: "[PAD]") ?? 0
    if let p = file.padding {
      var length = Padding.Length.longest
      if case let .fixed(n) = p.strategy { length = .fixed(n) }
      padding = Padding(
        length: length, padId: padId, padToken: p.pad_token ?? "[PAD]", side: p.direction == "Left" ? .left : .right,
        multipleOf: p.pad_to_multiple_of)
    }

    self.init(
      normalizer: normalizer,
      model: WordPieceModel(
        vocabulary: vocab, unknownId: unkId, continuingSubwordPrefix: model.continuing_subword_prefix ?? "##",
        maxInputCharactersPerWord: model.max_input_chars_per_word ?? 100),
      addedTokens: AddedTokens(added.map { AddedTokens.Token(content: $0.content, id: $0.id) }),
      prefixIds: prefixIds, suffixIds: suffixIds, clsId: clsId, sepId: sepId, padId: padId,
      truncation: truncation, padding: padding)
  }

  /// The ids before and after the text, from a TemplateProcessing `single` template or a
  /// BertProcessing `cls`/`sep` pair.
  private static func template(
    _ processor: TokenizerJSON.PostProcessor?, path: String
  ) throws -> (prefix: [Int32], suffix: [Int32]) {
    guard let processor else {
      throw TokenizerError.unsupported(path: path, component: "post_processor", type: "null")
    }
    switch processor.type {
    case "BertProcessing":
      guard let cls = processor.cls, let sep = processor.sep else {
        throw TokenizerError.invalidJSON(path: path, reason: "BertProcessing without cls or sep")
      }
      return ([cls.id], [sep.id])
    case "TemplateProcessing":
      var prefix: [Int32] = []
      var suffix: [Int32] = []
      var seenSequence = false
      for item in processor.single ?? [] {
        if item.Sequence != nil {
          seenSequence = true
        } else if let special = item.SpecialToken {
          guard let ids = processor.special_tokens?[special.id]?.ids else {
            throw TokenizerError.invalidJSON(
              path: path, reason: "TemplateProcessing uses \(special.id), which is not in special_tokens")
          }
          if seenSequence { suffix += ids } else { prefix += ids }
        }
      }
      return (prefix, suffix)
    default:
      throw TokenizerError.unsupported(path: path, component: "post_processor", type: processor.type)
    }
  }

  /// A one-line reason with the JSON path of a decoding error.
  private static func describe(_ error: DecodingError) -> String {
    func at(_ path: [any CodingKey]) -> String {
      path.isEmpty ? "top level" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case let .typeMismatch(type, context): return "\(at(context.codingPath)): expected \(type)"
    case let .valueNotFound(type, context): return "\(at(context.codingPath)): missing \(type)"
    case let .keyNotFound(key, context): return "\(at(context.codingPath)): missing key \"\(key.stringValue)\""
    case let .dataCorrupted(context):
      let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
      return "\(at(context.codingPath)): \(context.debugDescription)\(underlying)"
    @unknown default: return "\(error)"
    }
  }
}
