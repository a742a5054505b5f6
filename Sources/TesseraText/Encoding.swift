/// The result of encoding one text: ids, their tokens, the attention mask and the type ids.
///
/// Padding positions (when the tokenizer pads) have the pad id, the pad token and mask 0.
public struct Encoding: Sendable, Equatable {
  /// Token ids, with `[CLS]` first and `[SEP]` after the text's tokens.
  public var ids: [Int32]
  /// The token of each id (`##`-prefixed for word continuations).
  public var tokens: [String]
  /// 1 for real tokens, 0 for padding.
  public var attentionMask: [Int32]
  /// Segment ids; all 0 for a single sequence.
  public var typeIds: [Int32]

  /// Makes an encoding.
  public init(ids: [Int32], tokens: [String], attentionMask: [Int32], typeIds: [Int32]) {
    self.ids = ids
    self.tokens = tokens
    self.attentionMask = attentionMask
    self.typeIds = typeIds
  }

  /// The number of real (unpadded) tokens.
  public var length: Int { attentionMask.reduce(0) { $0 + Int($1) } }
}
