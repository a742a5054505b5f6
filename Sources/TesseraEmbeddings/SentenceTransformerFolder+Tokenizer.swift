import Foundation
import TesseraText

extension SentenceTransformerFolder {
  /// The folder's tokenizer: `tokenizer.json` when present, else `vocab.txt` with
  /// `sentence_bert_config.json`'s `do_lower_case` (lower-casing by default).
  /// - Throws: `TokenizerError` naming the file and problem.
  public func tokenizer() throws -> WordPieceTokenizer {
    if let tokenizerJSON { return try WordPieceTokenizer(contentsOf: URL(fileURLWithPath: tokenizerJSON)) }
    return try WordPieceTokenizer(vocabulary: URL(fileURLWithPath: vocabulary!), lowercase: lowercase ?? true)
  }
}
