/// Which end of a sequence truncation and padding act on.
public enum TokenizerSide: String, Sendable, Equatable {
  /// Drop or pad at the end (the default).
  case right
  /// Drop or pad at the start.
  case left
}

/// Truncation of single sequences, as in `tokenizer.json`'s `truncation`.
public struct Truncation: Sendable, Equatable {
  /// The most tokens of an encoding, `[CLS]` and `[SEP]` included.
  public var maxLength: Int
  /// Where the text's tokens are dropped.
  public var side: TokenizerSide

  /// Makes the setting.
  public init(maxLength: Int, side: TokenizerSide = .right) {
    self.maxLength = maxLength
    self.side = side
  }
}

/// Padding, as in `tokenizer.json`'s `padding`.
public struct Padding: Sendable, Equatable {
  /// The padded length.
  public enum Length: Sendable, Equatable {
    /// Pad a batch to its longest encoding (a single encoding is not padded).
    case longest
    /// Pad every encoding to this many tokens (longer ones stay as they are).
    case fixed(Int)
  }

  /// The padded length.
  public var length: Length
  /// The id of padding positions.
  public var padId: Int32
  /// The token of padding positions.
  public var padToken: String
  /// Where padding goes.
  public var side: TokenizerSide
  /// When set, the padded length is rounded up to a multiple of this.
  public var multipleOf: Int?

  /// Makes the setting.
  public init(
    length: Length = .longest, padId: Int32, padToken: String = "[PAD]", side: TokenizerSide = .right,
    multipleOf: Int? = nil
  ) {
    self.length = length
    self.padId = padId
    self.padToken = padToken
    self.side = side
    self.multipleOf = multipleOf
  }

  /// The length to pad to, given the longest encoding.
  func target(longest: Int) -> Int {
    var n = longest
    if case let .fixed(fixed) = length { n = max(n, fixed) }
    if let m = multipleOf, m > 0, n % m != 0 { n += m - n % m }
    return n
  }
}
