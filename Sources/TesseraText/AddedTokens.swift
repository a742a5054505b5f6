/// Special tokens (`[CLS]`, `[MASK]`, …) that are matched in the raw text before normalization,
/// like Hugging Face's added vocabulary with `normalized: false`: the leftmost, then longest
/// occurrence wins, and the text between matches is normalized and tokenized as usual.
public struct AddedTokens: Sendable {
  /// One token: its spelling and id.
  public struct Token: Sendable, Equatable {
    /// The exact text that is matched.
    public var content: String
    /// The id emitted for it.
    public var id: Int32

    /// Makes a token.
    public init(content: String, id: Int32) {
      self.content = content
      self.id = id
    }
  }

  /// A piece of the input: plain text, or a matched token.
  enum Piece: Equatable {
    case text(Range<Int>)
    case token(Int32)
  }

  /// The tokens.
  public let tokens: [Token]
  /// First scalar → candidates (scalars, id), longest first.
  private let byFirstScalar: [Unicode.Scalar: [([Unicode.Scalar], Int32)]]
  /// The first scalars, for a quick rejection before the dictionary.
  private let firstScalars: CodePointSet

  /// Makes the matcher; empty contents are ignored.
  public init(_ tokens: [Token]) {
    self.tokens = tokens
    var table: [Unicode.Scalar: [([Unicode.Scalar], Int32)]] = [:]
    for token in tokens {
      let scalars = Array(token.content.unicodeScalars)
      guard let first = scalars.first else { continue }
      table[first, default: []].append((scalars, token.id))
    }
    byFirstScalar = table.mapValues { $0.sorted { $0.0.count > $1.0.count } }
    firstScalars = CodePointSet(ranges: table.keys.map(\.value).sorted().flatMap { [$0, $0] })
  }

  /// Splits `scalars` into text and matched tokens.
  /// - Complexity: O(n · k) for n scalars and k tokens sharing a first scalar.
  func split(_ scalars: [Unicode.Scalar]) -> [Piece] {
    if byFirstScalar.isEmpty { return [.text(0..<scalars.count)] }
    var pieces: [Piece] = []
    var textStart = 0
    var index = 0
    while index < scalars.count {
      if firstScalars.contains(scalars[index]), let candidates = byFirstScalar[scalars[index]],
        let match = candidates.first(where: { scalars[index...].starts(with: $0.0) })
      {
        if textStart < index { pieces.append(.text(textStart..<index)) }
        pieces.append(.token(match.1))
        index += match.0.count
        textStart = index
      } else {
        index += 1
      }
    }
    if textStart < scalars.count { pieces.append(.text(textStart..<scalars.count)) }
    return pieces
  }
}
