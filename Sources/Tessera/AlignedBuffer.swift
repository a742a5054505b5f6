/// An owned, uninitialized-then-written byte buffer with a fixed alignment, freed on deinit.
final class AlignedBuffer: @unchecked Sendable {
  /// Start of the buffer (aligned to `alignment`).
  let pointer: UnsafeMutableRawPointer
  /// Size in bytes.
  let byteCount: Int

  /// Allocates `byteCount` bytes (at least 1) aligned to `alignment`, zero-filled.
  init(byteCount: Int, alignment: Int = 64) {
    self.byteCount = byteCount
    pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: alignment)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(byteCount, 1))
  }

  deinit { pointer.deallocate() }
}
