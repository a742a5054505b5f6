/// Packs the buffers of a compiled graph into one arena by liveness, as XNNPACK's memory planner
/// does: buffers are visited in the order the steps define them, each takes the smallest free
/// block that fits (best fit; else the free block at the arena's end grows, else the arena
/// does), and a buffer's block is freed after its last reader runs, so later buffers reuse it.
///
/// Sizes are bytes **per sample** (multiples of ``alignment``): every planned buffer holds
/// `[batch, …]` values, so a call with `count` samples scales every offset and size by `count`
/// and the blocks stay disjoint.
///
/// An elementwise step may run in place: a buffer that names a `reuse` buffer whose last reader
/// is the defining step, and that is at least as large, takes over that buffer's block.
///
/// For example, a chain `a → b → c` of equal sizes needs two blocks: `c` reuses `a`'s block.
struct ArenaPlanner {
  /// One buffer to place.
  struct Buffer: Sendable, Equatable {
    /// Bytes per sample (a multiple of ``ArenaPlanner/alignment``).
    var size: Int
    /// The step that writes it.
    var defined: Int
    /// The last step that reads it (`Int.max` for a graph output, kept to the end).
    var lastUse: Int
    /// A buffer (by index) whose block this one may take over (an in-place step's input).
    var reuse: Int? = nil
  }

  /// Alignment of every offset and size, in bytes per sample.
  static let alignment = 64

  /// Rounds `bytes` up to ``alignment`` (at least one unit).
  static func aligned(_ bytes: Int) -> Int { (Swift.max(bytes, 1) + alignment - 1) / alignment * alignment }

  /// The placement.
  struct Layout: Sendable, Equatable {
    /// Byte offset per sample of each buffer, in input order.
    var offsets: [Int]
    /// Arena bytes per sample.
    var total: Int
    /// Buffers that took over their `reuse` buffer's block.
    var inPlace: Set<Int>
  }

  /// Places `buffers`.
  /// - Parameter buffers: the buffers, each with `defined ≤ lastUse`.
  /// - Returns: offsets per sample and the arena size per sample.
  /// - Complexity: O(B · F) for B buffers and at most F free blocks at a time.
  static func plan(_ buffers: [Buffer]) -> Layout {
    var offsets = [Int](repeating: 0, count: buffers.count)
    var blockSize = buffers.map(\.size)
    var free = [(offset: Int, size: Int)]()
    var top = 0
    var inPlace = Set<Int>(), handedOver = Set<Int>()
    let order = buffers.indices.sorted { (buffers[$0].defined, $0) < (buffers[$1].defined, $1) }
    let endings = Dictionary(grouping: buffers.indices.filter { buffers[$0].lastUse != Int.max }) { buffers[$0].lastUse }
    let steps = Set(buffers.map(\.defined)).union(endings.keys).sorted()

    func release(_ offset: Int, _ size: Int) {
      var start = offset, end = offset + size
      free.removeAll { block in
        if block.offset + block.size == start { start = block.offset; return true }
        if block.offset == end { end = block.offset + block.size; return true }
        return false
      }
      let index = free.firstIndex { $0.offset > start } ?? free.count
      free.insert((start, end - start), at: index)
    }

    func allocate(_ size: Int) -> Int {
      var best: Int?
      for (i, block) in free.enumerated() where block.size >= size && (best == nil || block.size < free[best!].size) {
        best = i
      }
      if let best {
        let block = free[best]
        if block.size == size { free.remove(at: best) } else { free[best] = (block.offset + size, block.size - size) }
        return block.offset
      }
      if let last = free.last, last.offset + last.size == top {
        free.removeLast()
        top = last.offset + size
        return last.offset
      }
      defer { top += size }
      return top
    }

    var cursor = 0
    for step in steps {
      while cursor < order.count, buffers[order[cursor]].defined == step {
        let i = order[cursor]
        cursor += 1
        if let r = buffers[i].reuse, r != i, buffers[r].lastUse == step, buffers[r].defined < step,
          blockSize[r] >= buffers[i].size, !handedOver.contains(r)
        {
          offsets[i] = offsets[r]
          blockSize[i] = blockSize[r]
          handedOver.insert(r)
          inPlace.insert(i)
        } else {
          offsets[i] = allocate(buffers[i].size)
        }
      }
      for i in endings[step] ?? [] where !handedOver.contains(i) { release(offsets[i], blockSize[i]) }
    }
    return Layout(offsets: offsets, total: top, inPlace: inPlace)
  }
}
