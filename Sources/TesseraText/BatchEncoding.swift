/// Several texts encoded and padded to one length, row-major, ready for a `[batch, sequence]`
/// tensor.
public struct BatchEncoding: Sendable, Equatable {
  /// The number of texts (rows).
  public var count: Int
  /// The padded length of every row (columns).
  public var sequenceLength: Int
  /// `count × sequenceLength` ids, row-major; padding holds the pad id.
  public var ids: [Int32]
  /// `count × sequenceLength` mask: 1 for real tokens, 0 for padding.
  public var attentionMask: [Int32]
  /// `count × sequenceLength` type ids (all 0).
  public var typeIds: [Int32]
  /// The number of real tokens of each row.
  public var lengths: [Int]

  /// Makes a batch encoding.
  public init(
    count: Int, sequenceLength: Int, ids: [Int32], attentionMask: [Int32], typeIds: [Int32], lengths: [Int]
  ) {
    self.count = count
    self.sequenceLength = sequenceLength
    self.ids = ids
    self.attentionMask = attentionMask
    self.typeIds = typeIds
    self.lengths = lengths
  }
}
