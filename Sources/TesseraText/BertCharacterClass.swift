/// The character classes of Hugging Face's BERT normalizer and pre-tokenizer.
///
/// The tables come from HF `tokenizers` itself (see `scripts/text/generate_bert_tables.py`):
/// HF classifies with Unicode tables older than Swift's, so `Unicode.Scalar.Properties` would
/// disagree on a few hundred code points (newer punctuation, format characters and marks).
enum BertCharacterClass {
  /// Removed by clean_text: HF's Cc, Cf and Co, U+0000 and U+FFFD (tab, LF and CR are whitespace).
  static let control = CodePointSet(ranges: bertControlRanges)
  /// Rust's `char::is_whitespace` (the White_Space property). U+000B, U+000C and U+0085 are also
  /// controls, so clean_text removes them before they could become spaces.
  static let whitespace = CodePointSet(ranges: mergedWhitespace)
  /// Isolated by BertPreTokenizer: ASCII punctuation (33–47, 58–64, 91–96, 123–126) and P*.
  static let punctuation = CodePointSet(ranges: bertPunctuationRanges)
  /// Dropped by strip_accents after NFD: HF's Mn.
  static let nonspacingMark = CodePointSet(ranges: bertNonspacingMarkRanges)

  /// The generated whitespace table plus the three White_Space controls.
  private static let mergedWhitespace: [UInt32] = {
    var pairs = stride(from: 0, to: bertWhitespaceRanges.count, by: 2).map {
      (bertWhitespaceRanges[$0], bertWhitespaceRanges[$0 + 1])
    }
    pairs += [(0x0B, 0x0C), (0x85, 0x85)]
    return pairs.sorted { $0.0 < $1.0 }.flatMap { [$0.0, $0.1] }
  }()

  /// True for the CJK ideograph blocks BertNormalizer surrounds with spaces (exactly HF's list,
  /// which skips U+2B820–U+2B91F).
  static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      true
    default:
      false
    }
  }
}
