import Foundation
import Tessera

/// The threads that run ``Engine``'s `async` calls: one per core, started on first use, taking
/// calls in arrival order.
///
/// Why not `Task.detached`: an engine call is synchronous CPU work of up to milliseconds or
/// more. On Swift concurrency's cooperative pool (one thread per core) it would hold a thread
/// for its whole length, so a few concurrent calls would stall every other task of the process
/// (a server's network I/O, timers). Why not `DispatchQueue.global()`: under load it adds a
/// thread per blocked call, up to dozens, all competing for the same cores. These threads are
/// outside the cooperative pool and bounded: the caller's task suspends, the caller's executor
/// stays free, and at most one call per core computes at a time, the rest wait in order.
///
/// ``Engine``'s and `TextEmbedder`'s `async` methods use ``shared``; use it for other synchronous
/// Tessera work called from `async` code:
/// ```swift
/// let model = try await EngineExecutor.shared.run { try Engine(contentsOf: path) }
/// ```
public final class EngineExecutor: @unchecked Sendable {
  /// The process-wide executor, one thread per core (`ThreadPool.defaultThreadCount`).
  public static let shared = EngineExecutor(threads: ThreadPool.defaultThreadCount)

  private let condition = NSCondition()
  private var jobs: [@Sendable () -> Void] = []
  private var head = 0
  private var started = 0
  private let maximumThreads: Int

  /// An executor of up to `threads` threads.
  init(threads: Int) {
    maximumThreads = Swift.max(1, threads)
  }

  /// Runs `body` on one of the executor's threads and returns its result; the calling task
  /// suspends meanwhile.
  /// - Parameter body: synchronous work.
  /// - Returns: what `body` returns.
  /// - Throws: what `body` throws; `CancellationError` when the task was cancelled before the work started.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try Task.checkCancellation()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      submit { continuation.resume(with: Result { try body() }) }
    }
  }

  /// Queues a job, starting a thread when fewer than the maximum run.
  private func submit(_ job: @escaping @Sendable () -> Void) {
    condition.lock()
    jobs.append(job)
    if started < maximumThreads {
      started += 1
      // The thread holds the executor for good: executors live as long as the process.
      let thread = Thread { self.work() }
      thread.name = "tessera-engine-\(started)"
      thread.stackSize = 8 << 20
      thread.start()
    }
    condition.signal()
    condition.unlock()
  }

  /// The key that marks the executor's threads in their thread dictionary.
  static let threadKey = "tessera.engine-executor"

  /// True on one of an executor's threads.
  static var isExecutorThread: Bool { Thread.current.threadDictionary[threadKey] != nil }

  /// A worker: takes jobs forever.
  private func work() {
    Thread.current.threadDictionary[Self.threadKey] = true
    while true {
      condition.lock()
      while head == jobs.count { condition.wait() }
      let job = jobs[head]
      head += 1
      if head > 1024, head * 2 > jobs.count {
        jobs.removeFirst(head)
        head = 0
      }
      condition.unlock()
      job()
    }
  }
}
