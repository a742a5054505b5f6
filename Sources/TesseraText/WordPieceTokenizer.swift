/// A BERT WordPiece tokenizer that gives the same ids as Hugging Face `tokenizers`.
///
/// Load it from a Hugging Face `tokenizer.json` or from a `vocab.txt`, then encode text:
///
/// ```swift
/// var tokenizer = try WordPieceTokenizer(contentsOf: folder.appending(path: "tokenizer.json"))
/// tokenizer.padding = nil                      // tokenizer.json may ask for fixed padding
/// let encoding = tokenizer.encode("Hello, world!")
/// // encoding.ids == [101, 7592, 1010, 2088, 999, 102]
/// ```
///
/// The pipeline is HF's: special tokens matched in the raw text (``AddedTokens``), then
/// ``BertNormalizer``, ``BertPreTokenizer``, ``WordPieceModel``, truncation, `[CLS] … [SEP]`,
/// padding. Everything works on Unicode scalars, as HF works on Rust `char`s.
///
/// ### See Also
/// `docs/tokenizer.md` (the steps, what is not supported, how it is tested)
public struct WordPieceTokenizer: Sendable {
  /// Normalization settings.
  public var normalizer: BertNormalizer
  /// The pre-tokenizer (whitespace and punctuation split).
  public let preTokenizer: BertPreTokenizer
  /// The WordPiece model and its vocabulary.
  public let model: WordPieceModel
  /// Special tokens matched in the raw text before normalization.
  public let addedTokens: AddedTokens
  /// Ids put before the text's tokens (`[CLS]`).
  public let prefixIds: [Int32]
  /// Ids put after the text's tokens (`[SEP]`).
  public let suffixIds: [Int32]
  /// Truncation applied by ``encode(_:maxLength:)`` when no `maxLength` is given; `nil` = none.
  public var truncation: Truncation?
  /// Padding applied by ``encode(_:maxLength:)`` and ``encode(batch:maxLength:)``; `nil` pads a
  /// batch to its longest text with ``padId`` and leaves single encodings unpadded.
  public var padding: Padding?

  /// The id of the `[PAD]` token (or of the padding setting's pad token).
  public let padId: Int32
  /// The id of the `[CLS]` token.
  public let clsId: Int32
  /// The id of the `[SEP]` token.
  public let sepId: Int32
  /// The id of the unknown token (`[UNK]`).
  public var unkId: Int32 { model.unknownId }
  /// The number of ids (largest id plus one): the row count of the embedding table.
  public var vocabularySize: Int { model.vocabulary.count }

  /// Makes a tokenizer from its parts (the loaders check the special tokens first).
  init(
    normalizer: BertNormalizer, model: WordPieceModel, addedTokens: AddedTokens, prefixIds: [Int32],
    suffixIds: [Int32], clsId: Int32, sepId: Int32, padId: Int32, truncation: Truncation?, padding: Padding?
  ) {
    self.normalizer = normalizer
    preTokenizer = BertPreTokenizer()
    self.model = model
    self.addedTokens = addedTokens
    self.prefixIds = prefixIds
    self.suffixIds = suffixIds
    self.clsId = clsId
    self.sepId = sepId
    self.padId = padId
    self.truncation = truncation
    self.padding = padding
  }

  /// The token of `id` (the empty string for an id without one).
  public func token(for id: Int32) -> String {
    let tokens = model.vocabulary.tokens
    return id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : ""
  }

  /// The id of `token` (compared scalar by scalar), or nil.
  public func id(for token: String) -> Int32? { model.vocabulary.id(for: token) }
}
