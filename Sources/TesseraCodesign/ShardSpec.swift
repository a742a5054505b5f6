/// Which part of a sweep one process runs: `--shard i/n` takes every n-th design point starting at
/// point i (0-based), so n processes with i = 0…n−1 cover the grid exactly once.
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
  /// This shard's index, 0 ≤ index < count.
  public let index: Int
  /// Number of shards.
  public let count: Int

  /// The whole sweep in one process.
  public static let whole = try! ShardSpec(index: 0, count: 1)

  /// Makes a shard.
  /// - Throws: ``CodesignError/invalidShard(_:)`` unless 0 ≤ index < count.
  public init(index: Int, count: Int) throws {
    guard count >= 1, index >= 0, index < count else {
      throw CodesignError.invalidShard("\(index)/\(count): need 0 <= i < n (e.g. 0/2 and 1/2 split a sweep in two)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `i/n`.
  /// - Throws: ``CodesignError/invalidShard(_:)`` for anything else or an index out of range.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
      let n = Int(parts[1].trimmingCharacters(in: .whitespaces))
    else {
      throw CodesignError.invalidShard("'\(text)' is not i/n (e.g. 0/2)")
    }
    try self.init(index: i, count: n)
  }

  /// Whether design point number `point` (0-based, in grid order) belongs to this shard.
  public func contains(_ point: Int) -> Bool { point % count == index }

  /// `i/n`.
  public var description: String { "\(index)/\(count)" }
}
