/// A hash table from scalar strings to ids, looked up without building a `String` or an array:
/// callers pass a buffer slice and its hash, which ``hash(_:)`` can extend one scalar at a time.
///
/// Keys compare scalar by scalar (not by canonical equivalence). Open addressing with linear
/// probing; the table is at most half full.
struct ScalarTable: Sendable {
  /// All keys, back to back.
  private let storage: [Unicode.Scalar]
  /// Per entry: offset into `storage`, length, id, full hash.
  private let offsets: [Int32]
  private let lengths: [Int32]
  private let ids: [Int32]
  private let hashes: [UInt64]
  /// Entry index + 1 per slot (0 = empty).
  private let slots: [Int32]
  private let mask: Int
  /// The longest key, in scalars.
  let longest: Int

  /// The number of keys.
  var count: Int { ids.count }

  /// The hash of the empty key; extend it with ``hash(_:adding:)``.
  static let emptyHash: UInt64 = 0xCBF2_9CE4_8422_2325

  /// `hash` extended by one scalar (a polynomial rolling hash).
  @inline(__always)
  static func hash(_ hash: UInt64, adding scalar: Unicode.Scalar) -> UInt64 {
    (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
  }

  /// The hash of a whole key.
  static func hash(_ key: some Sequence<Unicode.Scalar>) -> UInt64 {
    key.reduce(emptyHash) { hash($0, adding: $1) }
  }

  /// Makes a table; when a key repeats, the later id wins.
  init(_ entries: some Sequence<(key: [Unicode.Scalar], id: Int32)>) {
    var storage: [Unicode.Scalar] = []
    var offsets: [Int32] = []
    var lengths: [Int32] = []
    var ids: [Int32] = []
    var hashes: [UInt64] = []
    var indexOfKey: [[Unicode.Scalar]: Int] = [:]
    for (key, id) in entries {
      if let existing = indexOfKey[key] {
        ids[existing] = id
        continue
      }
      indexOfKey[key] = ids.count
      offsets.append(Int32(storage.count))
      lengths.append(Int32(key.count))
      ids.append(id)
      hashes.append(Self.hash(key))
      storage += key
    }
    var capacity = 16
    while capacity < 2 * ids.count { capacity *= 2 }
    var slots = [Int32](repeating: 0, count: capacity)
    for entry in ids.indices {
      var slot = Self.slot(hashes[entry], mask: capacity - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = Int32(entry + 1)
    }
    self.storage = storage
    self.offsets = offsets
    self.lengths = lengths
    self.ids = ids
    self.hashes = hashes
    self.slots = slots
    mask = capacity - 1
    longest = lengths.max().map(Int.init) ?? 0
  }

  @inline(__always)
  private static func slot(_ hash: UInt64, mask: Int) -> Int {
    var h = hash ^ (hash >> 31)
    h = h &* 0x7FB5_D329_728E_A185
    return Int(truncatingIfNeeded: h ^ (h >> 27)) & mask
  }

  /// The id of the key `buffer[start..<start + length]` whose hash is `hash`, or nil.
  @inline(__always)
  func id(_ buffer: UnsafeBufferPointer<Unicode.Scalar>, start: Int, length: Int, hash: UInt64) -> Int32? {
    var slot = Self.slot(hash, mask: mask)
    while true {
      let entry = Int(slots[slot]) - 1
      if entry < 0 { return nil }
      if hashes[entry] == hash && Int(lengths[entry]) == length {
        let offset = Int(offsets[entry])
        var equal = true
        for k in 0..<length where storage[offset + k] != buffer[start + k] {
          equal = false
          break
        }
        if equal { return ids[entry] }
      }
      slot = (slot + 1) & mask
    }
  }

  /// The id of `key`, or nil.
  func id(_ key: [Unicode.Scalar]) -> Int32? {
    key.withUnsafeBufferPointer { id($0, start: 0, length: key.count, hash: Self.hash(key)) }
  }

  /// Every (key, id) pair.
  var entries: [(key: [Unicode.Scalar], id: Int32)] {
    ids.indices.map { entry in
      let offset = Int(offsets[entry])
      return (Array(storage[offset..<(offset + Int(lengths[entry]))]), ids[entry])
    }
  }
}
