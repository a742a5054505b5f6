/// Hugging Face's `BertPreTokenizer`: splits on whitespace (dropped) and isolates every
/// punctuation scalar as a word of its own.
public struct BertPreTokenizer: Sendable, Equatable {
  /// Makes the pre-tokenizer (it has no options).
  public init() {}

  /// The words of `scalars`, as index ranges into it.
  /// - Complexity: O(n) in the number of scalars.
  public func words(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
    var words: [Range<Int>] = []
    var start: Int? = nil
    let whitespace = BertCharacterClass.whitespace
    let punctuation = BertCharacterClass.punctuation
    for (index, scalar) in scalars.enumerated() {
      if whitespace.contains(scalar) {
        if let s = start { words.append(s..<index) }
        start = nil
      } else if punctuation.contains(scalar) {
        if let s = start { words.append(s..<index) }
        words.append(index..<(index + 1))
        start = nil
      } else if start == nil {
        start = index
      }
    }
    if let s = start { words.append(s..<scalars.count) }
    return words
  }
}
