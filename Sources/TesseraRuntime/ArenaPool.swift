import Foundation

/// The activation arenas of a compiled plan (the chain ``Plan`` behind ``Engine``, or a
/// ``GraphPlan``), kept between calls: a call takes the smallest free arena that fits (or makes
/// one) and gives it back when it returns, so a steady stream of calls allocates and
/// page-faults nothing after the first.
///
/// What it holds is bounded: at most one arena per call that ran at the same time (the peak
/// concurrency), each as large as the largest call it served (an arena is replaced by a larger
/// one, never added beside it, when no free one fits and the pool already holds as many arenas as
/// calls ever overlapped). ``release()`` frees them all.
final class ArenaPool: @unchecked Sendable {
  /// One 64-byte-aligned block.
  final class Arena {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
      self.byteCount = Swift.max(byteCount, 1)
      pointer = UnsafeMutableRawPointer.allocate(byteCount: self.byteCount, alignment: 64)
    }

    deinit { pointer.deallocate() }
  }

  private let lock = NSLock()
  /// Free arenas, smallest first.
  private var free: [Arena] = []
  /// Arenas lent out now.
  private var lent = 0
  /// The most arenas ever lent at once.
  private var peakLent = 0

  /// An arena of at least `byteCount` bytes.
  func take(_ byteCount: Int) -> Arena {
    lock.lock()
    defer { lock.unlock() }
    lent += 1
    peakLent = Swift.max(peakLent, lent)
    if let i = free.firstIndex(where: { $0.byteCount >= byteCount }) { return free.remove(at: i) }
    // None fits: drop the largest free one (it is smaller) so the count stays at the peak.
    if !free.isEmpty { free.removeLast() }
    return Arena(byteCount: byteCount)
  }

  /// Gives an arena back after a call.
  func give(_ arena: Arena) {
    lock.lock()
    defer { lock.unlock() }
    lent -= 1
    let i = free.firstIndex { $0.byteCount >= arena.byteCount } ?? free.endIndex
    free.insert(arena, at: i)
    // Never keep more arenas than calls ever overlapped.
    while free.count + lent > peakLent, !free.isEmpty { free.removeFirst() }
  }

  /// Runs `body` with an arena of at least `byteCount` bytes, taken from the pool and given back.
  func withArena<R>(_ byteCount: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
    let arena = take(byteCount)
    defer { give(arena) }
    return try body(arena.pointer)
  }

  /// Bytes held by the free arenas.
  var heldBytes: Int {
    lock.lock()
    defer { lock.unlock() }
    return free.reduce(0) { $0 + $1.byteCount }
  }

  /// Frees every free arena (arenas lent out now come back to the pool when their calls return).
  func release() {
    lock.lock()
    free.removeAll()
    lock.unlock()
  }
}
