import Foundation

extension WordPieceTokenizer {
  /// Loads a BERT `vocab.txt` (one token per line, the line number is the id), with the same
  /// defaults as Hugging Face's `BertWordPieceTokenizer(vocab, lowercase=...)`.
  ///
  /// ```swift
  /// let tokenizer = try WordPieceTokenizer(vocabulary: folder.appending(path: "vocab.txt"))
  /// ```
  /// The unknown, separator, class, pad and mask tokens that are in the vocabulary are also
  /// matched as special tokens in the raw text, as HF does.
  /// - Parameters:
  ///   - vocabulary: the `vocab.txt` file (trailing whitespace of each line is ignored).
  ///   - lowercase: lowercase the text (uncased models).
  ///   - stripAccents: drop accents; `nil` follows `lowercase`.
  ///   - cleanText: remove control characters and map whitespace to spaces.
  ///   - handleChineseCharacters: make each CJK ideograph a word.
  ///   - unknownToken: the token of unknown words.
  ///   - clsToken: the token put first.
  ///   - sepToken: the token put last.
  ///   - padToken: the padding token (id 0 when it is not in the vocabulary).
  ///   - maskToken: the mask token (only matched as a special token).
  ///   - continuingSubwordPrefix: the prefix of word-continuing pieces.
  ///   - maxInputCharactersPerWord: longer words become the unknown token.
  /// - Throws: ``TokenizerError`` when the file is missing, empty or not UTF-8, or when the
  ///   unknown, class or separator token is not in it.
  public init(
    vocabulary: URL, lowercase: Bool = true, stripAccents: Bool? = nil, cleanText: Bool = true,
    handleChineseCharacters: Bool = true, unknownToken: String = "[UNK]", clsToken: String = "[CLS]",
    sepToken: String = "[SEP]", padToken: String = "[PAD]", maskToken: String = "[MASK]",
    continuingSubwordPrefix: String = "##", maxInputCharactersPerWord: Int = 100
  ) throws {
    let path = vocabulary.path
    let text = try TokenizerFile.text(at: vocabulary)
    // Rust's `lines()`: split on \n, drop one trailing empty line; then `trim_end()`.
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    let entries = lines.enumerated().map { index, line in
      (token: String(line.unicodeScalars.reversed().drop(while: \.properties.isWhitespace).reversed()
        .reduce(into: "") { $0.unicodeScalars.append($1) }), id: Int32(index))
    }
    let vocab = Vocabulary(entries)
    func require(_ token: String, _ role: String) throws -> Int32 {
      guard let id = vocab.id(for: token) else {
        throw TokenizerError.missingToken(path: path, token: token, role: role)
      }
      return id
    }
    let unkId = try require(unknownToken, "unknown")
    let clsId = try require(clsToken, "class ([CLS])")
    let sepId = try require(sepToken, "separator ([SEP])")
    let special = [unknownToken, sepToken, clsToken, padToken, maskToken].compactMap { token in
      vocab.id(for: token).map { AddedTokens.Token(content: token, id: $0) }
    }
    self.init(
      normalizer: BertNormalizer(
        cleanText: cleanText, handleChineseCharacters: handleChineseCharacters, stripAccents: stripAccents,
        lowercase: lowercase),
      model: WordPieceModel(
        vocabulary: vocab, unknownId: unkId, continuingSubwordPrefix: continuingSubwordPrefix,
        maxInputCharactersPerWord: maxInputCharactersPerWord),
      addedTokens: AddedTokens(special), prefixIds: [clsId], suffixIds: [sepId], clsId: clsId, sepId: sepId,
      padId: vocab.id(for: padToken) ?? 0, truncation: nil, padding: nil)
  }
}
