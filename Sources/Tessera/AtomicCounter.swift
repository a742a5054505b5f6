#if os(Linux) || os(Windows) || os(Android)
import Synchronization

/// A word-sized atomic integer (acquire/release), used by ``ThreadPool``.
final class AtomicCounter: @unchecked Sendable {
  private let value: Atomic<Int>

  init(_ initial: Int) { value = Atomic(initial) }

  /// Reads the value (acquire).
  @inline(__always) func load() -> Int { value.load(ordering: .acquiring) }

  /// Writes the value (release).
  @inline(__always) func store(_ newValue: Int) { value.store(newValue, ordering: .releasing) }

  /// Adds `delta` and returns the previous value.
  @inline(__always) func fetchAdd(_ delta: Int) -> Int {
    value.wrappingAdd(delta, ordering: .acquiringAndReleasing).oldValue
  }

  /// Sets the value to `desired` if it is `expected`; true when it did.
  @inline(__always) func compareExchange(expected: Int, desired: Int) -> Bool {
    value.compareExchange(expected: expected, desired: desired, ordering: .acquiringAndReleasing).exchanged
  }

  /// ORs `bits` in and returns the previous value.
  @inline(__always) func fetchOr(_ bits: Int) -> Int {
    value.bitwiseOr(bits, ordering: .acquiringAndReleasing).oldValue
  }
}
#else
import Foundation

/// A word-sized integer guarded by a lock (Apple platforms below the `Atomic` availability floor).
final class AtomicCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Int

  init(_ initial: Int) { value = initial }

  /// Reads the value.
  func load() -> Int { lock.lock(); defer { lock.unlock() }; return value }

  /// Writes the value.
  func store(_ newValue: Int) { lock.lock(); value = newValue; lock.unlock() }

  /// Adds `delta` and returns the previous value.
  func fetchAdd(_ delta: Int) -> Int {
    lock.lock(); defer { lock.unlock() }
    let old = value
    value += delta
    return old
  }

  /// Sets the value to `desired` if it is `expected`; true when it did.
  func compareExchange(expected: Int, desired: Int) -> Bool {
    lock.lock(); defer { lock.unlock() }
    guard value == expected else { return false }
    value = desired
    return true
  }

  /// ORs `bits` in and returns the previous value.
  func fetchOr(_ bits: Int) -> Int {
    lock.lock(); defer { lock.unlock() }
    let old = value
    value |= bits
    return old
  }
}
#endif
