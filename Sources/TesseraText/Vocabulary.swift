/// A token vocabulary: id → token and token → id, where tokens compare scalar by scalar.
///
/// Swift's `String` equality is canonical equivalence (`"é" == "e\u{301}"`), but Hugging Face
/// compares tokens byte for byte, so a decomposed word must not find a precomposed vocabulary
/// entry. The lookup table is keyed by Unicode scalars for that reason.
public struct Vocabulary: Sendable {
  /// Id → token; ids without a token hold the empty string.
  public let tokens: [String]
  /// Scalars → id.
  let table: ScalarTable

  /// Makes a vocabulary from (token, id) pairs; a later pair wins when a token repeats (as when
  /// HF reads a `vocab.txt` with duplicate lines).
  /// - Parameter entries: the tokens and their ids (ids ≥ 0).
  public init(_ entries: some Sequence<(token: String, id: Int32)>) {
    var keys: [(key: [Unicode.Scalar], id: Int32)] = []
    var tokens: [String] = []
    for (token, id) in entries {
      precondition(id >= 0, "token ids are non-negative")
      keys.append((Array(token.unicodeScalars), id))
      if Int(id) >= tokens.count { tokens += Array(repeating: "", count: Int(id) + 1 - tokens.count) }
      tokens[Int(id)] = token
    }
    table = ScalarTable(keys)
    self.tokens = tokens
  }

  /// The number of ids: the largest id plus one.
  public var count: Int { tokens.count }

  /// The id of `token`, compared scalar by scalar, or nil.
  public func id(for token: String) -> Int32? { table.id(Array(token.unicodeScalars)) }
}
