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
  private let continuing: ScalarTable

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
    continuing = ScalarTable(
      vocabulary.table.entries.filter { $0.key.starts(with: prefix) }
        .map { (key: Array($0.key.dropFirst(prefix.count)), id: $0.id) })
  }

  /// Appends the ids of one word's pieces to `ids`.
  /// - Complexity: O(n · L) hashing and lookups for a word of n scalars and a longest token of
  ///   L scalars (each lookup compares at most L scalars).
  public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
    if word.count > maxInputCharactersPerWord {
      ids.append(unknownId)
      return
    }
    let firstNew = ids.count
    let capacity = max(vocabulary.table.longest, continuing.longest) + 1
    let covered = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { hashes in
      word.withUnsafeBufferPointer { buffer in
        greedyPieces(buffer, hashes: hashes, into: &ids)
      }
    }
    if !covered {
      ids.removeSubrange(firstNew...)
      ids.append(unknownId)
    }
  }

  /// Appends the longest-first pieces covering `word`; false when some position has no piece.
  /// `hashes` is scratch space for the hashes of a candidate's prefixes.
  private func greedyPieces(
    _ word: UnsafeBufferPointer<Unicode.Scalar>, hashes: UnsafeMutableBufferPointer<UInt64>, into ids: inout [Int32]
  ) -> Bool {
    var start = 0
    while start < word.count {
      let table = start == 0 ? vocabulary.table : continuing
      let longest = min(word.count - start, table.longest)
      var hash = ScalarTable.emptyHash
      for k in 0..<longest {
        hash = ScalarTable.hash(hash, adding: word[start + k])
        hashes[k + 1] = hash
      }
      var length = longest
      while length > 0 {
        if let id = table.id(word, start: start, length: length, hash: hashes[length]) {
          ids.append(id)
          break
        }
        length -= 1
      }
      if length == 0 { return false }
      start += length
    }
    return true
  }
}
