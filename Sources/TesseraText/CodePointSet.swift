/// A set of Unicode code points stored as sorted closed ranges, with a bitmap for ASCII.
struct CodePointSet: Sendable {
  /// Flat closed ranges: start0, end0, start1, end1, ...
  private let ranges: [UInt32]
  /// Bit `c` is set when ASCII code point `c` is in the set.
  private let ascii: (UInt64, UInt64)

  /// Makes a set from flat closed ranges sorted by start (as in `BertCharacterTables.swift`).
  init(ranges: [UInt32]) {
    precondition(ranges.count % 2 == 0, "ranges come in start, end pairs")
    self.ranges = ranges
    var low: UInt64 = 0
    var high: UInt64 = 0
    for index in stride(from: 0, to: ranges.count, by: 2) where ranges[index] < 128 {
      for c in ranges[index]...min(ranges[index + 1], 127) {
        if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
      }
    }
    ascii = (low, high)
  }

  /// True when `scalar` is in the set.
  /// - Complexity: O(1) for ASCII, else O(log n) in the number of ranges.
  func contains(_ scalar: Unicode.Scalar) -> Bool {
    let c = scalar.value
    if c < 64 { return ascii.0 & (1 << UInt64(c)) != 0 }
    if c < 128 { return ascii.1 & (1 << UInt64(c - 64)) != 0 }
    // Binary search for the last range whose start is <= c.
    var low = 0
    var high = ranges.count / 2
    while low < high {
      let mid = (low + high) / 2
      if ranges[2 * mid] <= c { low = mid + 1 } else { high = mid }
    }
    return low > 0 && c <= ranges[2 * (low - 1) + 1]
  }
}
