import CTesseraKernels
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads for data-parallel loops with low dispatch overhead.
///
/// ``parallelFor(_:threads:_:)`` hands chunk indices `0..<count` to up to `threads`
/// threads, the caller included, and returns when all chunks are done. Workers are
/// created on first need and stay alive; after a job they spin (with the CPU's pause
/// hint, no system call) for about 100 µs waiting for the next one, then sleep on a
/// condition variable, so back-to-back calls (one per GEMM layer) cost about a
/// microsecond and an idle pool costs nothing.
///
/// The caller never waits for a worker that has not started on the job: chunks are
/// claimed dynamically, so when the caller runs out of chunks it *closes* the job and
/// waits only for the workers that joined it. A worker that wakes late (its core was
/// running another process) finds the job closed and goes back to waiting; on a busy
/// machine a call then costs what the caller's own chunks cost, not a scheduler delay.
///
/// A worker that joined a job but then loses its core to another process (the scheduler's
/// time slice is milliseconds) holds the call until it is scheduled again, which costs far more
/// than running everything on the caller. So when the caller finishes its share and then waits
/// longer for a joined worker than that share took (plus a 0.5 ms margin), the pool treats the
/// machine as busy and runs the next calls serially on their callers for a back-off time (1 ms,
/// doubling at each straggler until 100 ms of parallel jobs pass without one, at most 100 ms),
/// then tries threads again. On an idle machine it rarely triggers (0–0.8 % of calls in
/// docs/performance.md); on a loaded one calls cost about what one thread costs instead of a
/// scheduler time slice.
///
/// One job runs at a time. A call made while the pool is busy — from another thread, or
/// nested inside a chunk — runs its chunks serially on the calling thread instead of
/// waiting, so nesting never deadlocks.
///
/// For example:
/// ```swift
/// ThreadPool.shared.parallelFor(rows.count, threads: 4) { chunk in process(rows[chunk]) }
/// ```
public final class ThreadPool: @unchecked Sendable {
  /// The process-wide pool.
  public static let shared = ThreadPool()

  /// The number of cores the process may use (`activeProcessorCount`, at least 1).
  public static var defaultThreadCount: Int { Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Upper bound on threads per job (caller included).
  public static let maximumThreads = 64

  /// One worker's wake-up ticket: the generation of the job it must join.
  private final class Worker: @unchecked Sendable {
    let ticket = AtomicCounter(0)
  }

  /// How long an idle worker spins before sleeping.
  private let spinNanoseconds: UInt64 = 100_000
  /// Extra wait beyond the caller's own share before a joined worker counts as a straggler:
  /// longer than the hypervisor's and interrupts' hiccups of tens to hundreds of µs (a 50 µs
  /// margin sent up to 28 % of an idle machine's calls serial), shorter than the scheduler's
  /// time slice of a few ms that a competing process takes.
  static let stragglerMarginNanoseconds: UInt64 = 500_000
  /// First and longest serial back-off after a straggler, by default.
  static let defaultBackoffRange: ClosedRange<UInt64> = 1_000_000...100_000_000
  /// This pool's first and longest back-off (tests use long ones).
  let backoffRange: ClosedRange<UInt64>
  /// Calls run serially until this uptime (ns) after a straggler (guarded by `submitMutex`).
  private var serialUntil: UInt64 = 0
  /// The current back-off length, 0 when no straggler was seen for the longest back-off (guarded by `submitMutex`).
  private var backoffNanoseconds: UInt64 = 0
  /// Uptime (ns) of the last straggler (guarded by `submitMutex`).
  private var lastStraggle: UInt64 = 0
  /// Jobs whose caller waited for a straggling worker since the pool started (diagnostics).
  public private(set) var stragglerCount = 0
  /// Calls run serially on their caller because of a straggler back-off (diagnostics).
  public private(set) var backoffSerialCount = 0
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private let submitMutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  /// Workers, appended only by the submitter (holding `submitMutex`).
  private var workers: [Worker] = []
  /// Workers blocked on `condition` (guarded by `mutex`).
  private var sleepers = 0
  /// The current job: written by the submitter before the tickets are released.
  private var body: ((Int) -> Void)?
  private var jobCount = 0
  private var generation = 0
  /// Jobs that ran on more than one thread since the pool started (diagnostics).
  public private(set) var parallelJobCount = 0
  /// Helper check-ins that found their job already closed (for tests and diagnostics).
  private let lateArrivals = AtomicCounter(0)
  private let nextIndex = AtomicCounter(0)
  /// The job's state word: `tag << 32 | closed << 31 | joined workers`, where the tag is the
  /// generation's low 31 bits (so the word stays positive however long the process runs).
  private let state = AtomicCounter(0)
  private static let closedBit = 1 << 31
  private static let joinedMask = (1 << 31) - 1
  private static func tag(_ generation: Int) -> Int { generation & 0x7FFF_FFFF }

  /// Makes an empty pool; workers start on first use. Internal: use ``shared``.
  /// - Parameter backoffRange: first and longest serial back-off after a straggler, in ns.
  init(backoffRange: ClosedRange<UInt64> = ThreadPool.defaultBackoffRange) {
    self.backoffRange = backoffRange
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
    pthread_mutex_init(submitMutex, nil)
  }

  /// Number of worker threads started so far (the caller is not counted).
  public var workerCount: Int {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return workers.count
  }

  /// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads (the caller
  /// included) and returns when all are done.
  ///
  /// Chunks are claimed dynamically, so give it a few more chunks than threads when their
  /// costs differ. Each index runs exactly once; which thread runs it is unspecified.
  /// - Parameters:
  ///   - count: number of chunks (nothing happens when ≤ 0).
  ///   - threads: maximum threads including the caller (≤ 1 runs serially; capped at
  ///     ``maximumThreads`` and at `count`).
  ///   - body: the work for one chunk; must be safe to call concurrently for different indices.
  public func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    guard count > 0 else { return }
    let helpers = Swift.min(threads, count, Self.maximumThreads) - 1
    if helpers <= 0 || pthread_mutex_trylock(submitMutex) != 0 {
      for index in 0..<count { body(index) }
      return
    }
    defer { pthread_mutex_unlock(submitMutex) }
    let start = DispatchTime.now().uptimeNanoseconds
    if start < serialUntil {
      backoffSerialCount += 1
      for index in 0..<count { body(index) }
      return
    }
    startWorkers(upTo: helpers)
    parallelJobCount += 1
    withoutActuallyEscaping(body) { escapable in
      self.body = escapable
      jobCount = count
      nextIndex.store(0)
      generation += 1
      state.store(Self.tag(generation) << 32)
      for worker in workers[0..<helpers] { worker.ticket.store(generation) }
      pthread_mutex_lock(mutex)
      if sleepers > 0 { pthread_cond_broadcast(condition) }
      pthread_mutex_unlock(mutex)
      runChunks()
      let ownDone = DispatchTime.now().uptimeNanoseconds
      // Every chunk is claimed: close the job so late workers stay out, then wait for the
      // ones that joined (they are running their last chunks).
      _ = state.fetchOr(Self.closedBit)
      var spins = 0
      while state.load() & Self.joinedMask != 0 {
        spins += 1
        if spins > 1 << 16 { sched_yield() } else { tsr_spin_pause() }
      }
      self.body = nil
      noteWait(own: ownDone - start, waited: DispatchTime.now().uptimeNanoseconds - ownDone)
    }
  }

  /// Starts or extends the serial back-off when the caller waited for a straggler (called with
  /// `submitMutex` held). The back-off length is remembered until parallel jobs have run
  /// without a straggler for the longest back-off, so a machine that stays busy spends nearly
  /// all its calls serial instead of paying a scheduler time slice every few milliseconds.
  private func noteWait(own: UInt64, waited: UInt64) {
    let now = DispatchTime.now().uptimeNanoseconds
    guard waited > own + Self.stragglerMarginNanoseconds else {
      if backoffNanoseconds > 0, now - lastStraggle > backoffRange.upperBound { backoffNanoseconds = 0 }
      return
    }
    stragglerCount += 1
    lastStraggle = now
    backoffNanoseconds = Swift.min(
      Swift.max(backoffNanoseconds * 2, backoffRange.lowerBound), backoffRange.upperBound)
    serialUntil = now + backoffNanoseconds
  }

  /// Number of times a worker woke for a job that was already closed (diagnostics).
  var lateArrivalCount: Int { lateArrivals.load() }

  /// Joins job `ticket` unless it is closed or already replaced by a newer one.
  private func join(_ ticket: Int) -> Bool {
    while true {
      let current = state.load()
      guard current >> 32 == Self.tag(ticket), current & Self.closedBit == 0 else {
        _ = lateArrivals.fetchAdd(1)
        return false
      }
      if state.compareExchange(expected: current, desired: current + 1) { return true }
    }
  }

  /// Claims and runs chunks of the current job until none are left.
  private func runChunks() {
    guard let body else { return }
    let count = jobCount
    while true {
      let index = nextIndex.fetchAdd(1)
      if index >= count { return }
      body(index)
    }
  }

  /// Starts workers until there are at least `count` (called with `submitMutex` held).
  private func startWorkers(upTo count: Int) {
    while workers.count < count {
      let worker = Worker()
      pthread_mutex_lock(mutex)
      workers.append(worker)
      pthread_mutex_unlock(mutex)
      let thread = Thread { [self] in workerLoop(worker) }
      thread.name = "tessera-pool-\(workers.count)"
      thread.start()
    }
  }

  /// A worker's life: wait for a ticket, join that job, report completion.
  private func workerLoop(_ worker: Worker) {
    var seen = 0
    while true {
      seen = waitForTicket(worker, after: seen)
      guard join(seen) else { continue }
      runChunks()
      _ = state.fetchAdd(-1)
    }
  }

  /// Waits until the worker's ticket moves past `seen`: spins (pause hint) for
  /// `spinNanoseconds`, then sleeps on the condition variable.
  private func waitForTicket(_ worker: Worker, after seen: Int) -> Int {
    let deadline = DispatchTime.now().uptimeNanoseconds + spinNanoseconds
    repeat {
      for _ in 0..<64 {
        let ticket = worker.ticket.load()
        if ticket != seen { return ticket }
        tsr_spin_pause()
      }
    } while DispatchTime.now().uptimeNanoseconds < deadline
    pthread_mutex_lock(mutex)
    sleepers += 1
    var ticket = worker.ticket.load()
    while ticket == seen {
      pthread_cond_wait(condition, mutex)
      ticket = worker.ticket.load()
    }
    sleepers -= 1
    pthread_mutex_unlock(mutex)
    return ticket
  }
}
