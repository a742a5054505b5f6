import Foundation

/// What each data-parallel slice of a batched ``Engine`` call produced (its diagnostics or
/// its error), written from the pool's threads and read by the caller once the slices are done.
final class SliceResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<RunDiagnostics, any Error>]

  /// Room for `count` slices, each a failure until set (a slice that never ran is an error).
  init(_ count: Int) {
    results = Array(repeating: .failure(EngineError.unsupported("a batch slice did not run")), count: count)
  }

  /// Records slice `index`'s outcome.
  func set(_ index: Int, _ result: Result<RunDiagnostics, any Error>) {
    lock.lock()
    results[index] = result
    lock.unlock()
  }

  /// Every slice's outcome, in slice order.
  var values: [Result<RunDiagnostics, any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return results
  }
}
