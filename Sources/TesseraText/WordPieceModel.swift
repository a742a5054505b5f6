/// The WordPiece model: greedy longest-match-first over a vocabulary, as in Hugging Face's
/// `WordPiece`.
///
/// A word longer than ``maxInputCharactersPerWord`` scalars, or one that cannot be covered
/// completely by vocabulary pieces, becomes the single unknown token.
public struct WordPieceModel: Sendable {
  /// The vocabulary.
  public let vocabulary: Vocabulary
  /// The id of the unknown token.
  public let unknownId: Int32
  /// The prefix of pieces that continue a word (`##`).
  public let continuingSubwordPrefix: String
  /// Longer words (in Unicode scalars) are unknown without trying.
  public let maxInputCharactersPerWord: Int

  /// Continuing pieces, without their prefix → id.
  private let continuing: [[Unicode.Scalar]: Int32]
  /// The longest token and the longest continuing piece, in scalars; longer candidates are skipped.
  private let longestInitial: Int
  private let longestContinuing: Int

  /// Makes a model.
  /// - Parameters:
  ///   - vocabulary: the tokens and their ids.
  ///   - unknownId: the id given to words that cannot be tokenized.
  ///   - continuingSubwordPrefix: the prefix of non-initial pieces.
  ///   - maxInputCharactersPerWord: longer words are unknown.
  public init(
    vocabulary: Vocabulary, unknownId: Int32, continuingSubwordPrefix: String = "##",
    maxInputCharactersPerWord: Int = 100
  ) {
    self.vocabulary = vocabulary
    self.unknownId = unknownId
    self.continuingSubwordPrefix = continuingSubwordPrefix
    self.maxInputCharactersPerWord = maxInputCharactersPerWord
    let prefix = Array(continuingSubwordPrefix.unicodeScalars)
    var continuing: [[Unicode.Scalar]: Int32] = [:]
    for (token, id) in vocabulary.entries where token.starts(with: prefix) {
      continuing[Array(token.dropFirst(prefix.count))] = id
    }
    self.continuing = continuing
    longestInitial = vocabulary.entries.keys.map(\.count).max() ?? 0
    longestContinuing = continuing.keys.map(\.count).max() ?? 0
  }

  /// Appends the ids of one word's pieces to `ids`.
  /// - Complexity: O(n · L²) for a word of n scalars and a longest token of L scalars.
  public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
    if word.count > maxInputCharactersPerWord {
      ids.append(unknownId)
      return
    }
    let firstNew = ids.count
    var start = word.startIndex
    while start < word.endIndex {
      let isInitial = start == word.startIndex
      var end = min(word.endIndex, start + (isInitial ? longestInitial : longestContinuing))
      var found: Int32? = nil
      while start < end {
        let candidate = Array(word[start..<end])
        if let id = isInitial ? vocabulary.id(for: candidate) : continuing[candidate] {
          found = id
          break
        }
        end -= 1
      }
      guard let id = found else {
        ids.removeSubrange(firstNew...)
        ids.append(unknownId)
        return
      }
      ids.append(id)
      start = end
    }
  }
}
