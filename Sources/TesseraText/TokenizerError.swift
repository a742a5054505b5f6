import Foundation

/// Errors loading a tokenizer or encoding bytes; each message names the file (or the input) and
/// the problem.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
  /// The file does not exist or cannot be read.
  case cannotOpen(path: String, reason: String)
  /// The file has no content (or only whitespace).
  case emptyFile(path: String)
  /// The file is not valid UTF-8; `offset` is the byte offset of the first bad byte.
  case invalidUTF8(path: String, offset: Int)
  /// `tokenizer.json` is not valid JSON or does not have the expected structure.
  case invalidJSON(path: String, reason: String)
  /// A component of `tokenizer.json` (model, normalizer, pre-tokenizer, post-processor, padding
  /// or truncation) is of a kind this tokenizer does not implement, for example a BPE model.
  case unsupported(path: String, component: String, type: String)
  /// A token the tokenizer needs (`[UNK]`, `[CLS]`, `[SEP]` or the configured one) is not in the
  /// vocabulary.
  case missingToken(path: String, token: String, role: String)
  /// The bytes given to ``WordPieceTokenizer/encode(utf8:maxLength:)`` are not valid UTF-8;
  /// `offset` is the byte offset of the first bad byte.
  case invalidUTF8Input(offset: Int)

  /// A one-line message naming the file (or the input) and the problem.
  public var description: String {
    switch self {
    case let .cannotOpen(path, reason): "\(path): cannot open: \(reason)"
    case let .emptyFile(path): "\(path): the file is empty"
    case let .invalidUTF8(path, offset): "\(path): invalid UTF-8 at byte \(offset)"
    case let .invalidJSON(path, reason): "\(path): invalid tokenizer JSON: \(reason)"
    case let .unsupported(path, component, type):
      "\(path): unsupported \(component) type \"\(type)\" (TesseraText implements BERT WordPiece only: "
        + "BertNormalizer, BertPreTokenizer, WordPiece, TemplateProcessing/BertProcessing)"
    case let .missingToken(path, token, role): "\(path): the vocabulary has no \(role) token \"\(token)\""
    case let .invalidUTF8Input(offset): "input text: invalid UTF-8 at byte \(offset)"
    }
  }

  /// The same text as ``description``.
  public var errorDescription: String? { description }
}
