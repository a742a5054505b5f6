import Foundation
import Testing
@testable import Tessera

/// Counts per index, safe to bump from any thread.
final class IndexCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var counts: [Int]
  private var threadIDs = Set<UInt>()

  init(_ count: Int) { counts = [Int](repeating: 0, count: count) }

  func hit(_ index: Int) {
    lock.lock()
    counts[index] += 1
    threadIDs.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
    lock.unlock()
  }

  var snapshot: [Int] { lock.lock(); defer { lock.unlock() }; return counts }
  var distinctThreads: Int { lock.lock(); defer { lock.unlock() }; return threadIDs.count }
}

@Suite("ThreadPool")
struct ThreadPoolTests {
  @Test(arguments: [1, 2, 3, 8])
  func everyIndexRunsExactlyOnce(threads: Int) {
    for count in [0, 1, 2, 7, 1000] {
      let counter = IndexCounter(count)
      ThreadPool.shared.parallelFor(count, threads: threads) { counter.hit($0) }
      #expect(counter.snapshot.allSatisfy { $0 == 1 }, "count \(count), threads \(threads)")
    }
  }

  @Test func oneThreadRunsOnTheCaller() {
    let counter = IndexCounter(50)
    let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
    let ids = IndexCounter(1)
    ThreadPool.shared.parallelFor(50, threads: 1) { index in
      counter.hit(index)
      if UInt(bitPattern: Int(bitPattern: pthread_self())) != caller { ids.hit(0) }
    }
    #expect(counter.distinctThreads == 1)
    #expect(ids.snapshot == [0])
  }

  @Test func nestedCallsRunSeriallyWithoutDeadlock() {
    let counter = IndexCounter(4 * 16)
    ThreadPool.shared.parallelFor(4, threads: 3) { outer in
      ThreadPool.shared.parallelFor(16, threads: 3) { inner in counter.hit(outer * 16 + inner) }
    }
    #expect(counter.snapshot.allSatisfy { $0 == 1 })
  }

  @Test func concurrentCallersAllComplete() {
    let counters = (0..<4).map { _ in IndexCounter(200) }
    DispatchQueue.concurrentPerform(iterations: 4) { caller in
      for _ in 0..<20 {
        ThreadPool.shared.parallelFor(10, threads: 3) { chunk in
          for i in (chunk * 20)..<(chunk * 20 + 20) { counters[caller].hit(i) }
        }
      }
    }
    for counter in counters { #expect(counter.snapshot.allSatisfy { $0 == 20 }) }
  }

  @Test func manyBackToBackJobsKeepResultsConsistent() {
    // Exercises the spin/sleep hand-off: 2000 small jobs, each summing its chunks.
    var total = 0
    for job in 0..<2000 {
      let counter = IndexCounter(3)
      ThreadPool.shared.parallelFor(3, threads: 3) { counter.hit($0) }
      total += counter.snapshot.reduce(0, +)
      if job == 1000 { usleep(300) }  // let workers fall asleep once, then wake them again
    }
    #expect(total == 6000)
    #expect(ThreadPool.shared.workerCount >= 2)
  }

  @Test func noChunkRunsAfterTheCallReturnsEvenWithLateWorkers() {
    // Seven helpers on a 2-core machine are often late: the caller then closes the job
    // without them. A late worker must never run a chunk of a job that has returned (its
    // body and captured state are gone), and every index must still run exactly once.
    let pool = ThreadPool()
    let returned = AtomicCounter(0)
    let violations = AtomicCounter(0)
    var total = 0
    for job in 1...3000 {
      let counter = IndexCounter(8)
      pool.parallelFor(8, threads: 8) { index in
        if returned.load() >= job { _ = violations.fetchAdd(1) }
        counter.hit(index)
      }
      returned.store(job)
      total += counter.snapshot.reduce(0, +)
      if job % 500 == 0 { usleep(300) }  // workers fall asleep and must be woken again
    }
    usleep(2000)  // give any straggler time to (wrongly) run a chunk
    #expect(violations.load() == 0)
    #expect(total == 3000 * 8)
    #expect(pool.parallelJobCount + pool.backoffSerialCount == 3000)
  }

  @Test func aStragglingWorkerSendsTheNextCallsToTheCaller() {
    // A worker that sleeps 20 ms in its chunk stands for one whose core another process took.
    // The caller (0.2 ms per chunk, so the worker has time to join) finishes the other chunks
    // and then waits for it far longer than its own share, so the next calls run serially on
    // the caller during the (here 1 hour) back-off.
    let pool = ThreadPool(backoffRange: 3_600_000_000_000...3_600_000_000_000)
    let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
    var attempts = 0
    while pool.stragglerCount == 0 && attempts < 50 {  // a late worker may miss a job; try again
      attempts += 1
      pool.parallelFor(16, threads: 2) { _ in
        usleep(UInt(bitPattern: Int(bitPattern: pthread_self())) == caller ? 200 : 20_000)
      }
    }
    #expect(pool.stragglerCount == 1, "no worker joined in \(attempts) jobs")
    let jobs = pool.parallelJobCount
    let helpers = IndexCounter(1)
    let counter = IndexCounter(64)
    pool.parallelFor(64, threads: 2) { index in
      counter.hit(index)
      if UInt(bitPattern: Int(bitPattern: pthread_self())) != caller { helpers.hit(0) }
    }
    #expect(counter.snapshot.allSatisfy { $0 == 1 })
    #expect(helpers.snapshot == [0], "a call during the back-off ran on a worker")
    #expect(pool.parallelJobCount == jobs && pool.backoffSerialCount == 1)
  }

  @Test func jobsWithoutStragglersRunInParallel() {
    // Equal chunks on an idle pool: the caller never waits much longer than its own share.
    // (On a machine busy enough to deschedule the worker the back-off may start; the count
    // of parallel jobs is then smaller but every index still runs once.)
    let pool = ThreadPool()
    let counter = IndexCounter(4 * 200)
    for job in 0..<200 {
      pool.parallelFor(4, threads: 2) { counter.hit(job * 4 + $0) }
    }
    #expect(counter.snapshot.allSatisfy { $0 == 1 })
    #expect(pool.parallelJobCount + pool.backoffSerialCount == 200)
    #expect(pool.parallelJobCount > 0)
  }

  @Test func defaultThreadCountIsPositive() {
    #expect(ThreadPool.defaultThreadCount >= 1)
    #expect(ThreadPool.defaultThreadCount <= ProcessInfo.processInfo.processorCount)
  }
}
