import Foundation

/// A float buffer lent by a ``BufferPool`` for the length of one call.
final class PooledBuffer {
  /// The memory (64-byte aligned).
  let pointer: UnsafeMutablePointer<Float>
  /// Floats it holds.
  let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(capacity, 1) * 4, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(capacity, 1))
  }

  deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// The float buffers of one call of a ``DynamicGraphPlan``: buffers freed by one step are
/// handed to later steps, and the whole pool is kept for the next call, so a steady stream of
/// calls of similar sizes allocates (and page-faults) nothing.
final class BufferPool {
  /// Free buffers, smallest first.
  private var free: [PooledBuffer] = []

  /// A buffer of at least `count` floats: the smallest free one that fits, else a new one.
  func take(_ count: Int) -> PooledBuffer {
    if let i = free.firstIndex(where: { $0.capacity >= count }) { return free.remove(at: i) }
    return PooledBuffer(capacity: count)
  }

  /// Returns a buffer for reuse.
  func give(_ buffer: PooledBuffer) {
    let i = free.firstIndex { $0.capacity >= buffer.capacity } ?? free.endIndex
    free.insert(buffer, at: i)
  }

  /// Floats held by the free buffers.
  var heldFloats: Int { free.reduce(0) { $0 + $1.capacity } }
}

/// The pools of a plan, one per concurrent call (a call takes one and gives it back).
final class BufferPoolCache: @unchecked Sendable {
  private let lock = NSLock()
  private var pools: [BufferPool] = []

  /// A pool for one call.
  func take() -> BufferPool {
    lock.lock()
    defer { lock.unlock() }
    return pools.popLast() ?? BufferPool()
  }

  /// Gives a pool back after a call.
  func give(_ pool: BufferPool) {
    lock.lock()
    pools.append(pool)
    lock.unlock()
  }

  /// Bytes held by the pools not in use now (one pool per call that ran at the same time).
  var heldBytes: Int {
    lock.lock()
    defer { lock.unlock() }
    return pools.reduce(0) { $0 + $1.heldFloats } * MemoryLayout<Float>.size
  }

  /// Pools kept (the most calls that overlapped so far, less those running now).
  var poolCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return pools.count
  }

  /// Drops the pools not in use now (their buffers are freed).
  func release() {
    lock.lock()
    pools.removeAll()
    lock.unlock()
  }
}
