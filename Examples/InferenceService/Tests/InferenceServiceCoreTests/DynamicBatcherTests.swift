import Foundation
import InferenceServiceCore
import Synchronization
import Testing

/// A gate a batch function can wait on, opened by the test.
final class Gate: Sendable {
  private let semaphore = DispatchSemaphore(value: 0)
  private let entered = DispatchSemaphore(value: 0)
  /// Called by the batch function: signals that it started, then waits for `open()`.
  func pass() {
    entered.signal()
    semaphore.wait()
  }
  /// Waits (off the cooperative pool) until the batch function has entered.
  func waitEntered() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        self.entered.wait()
        c.resume()
      }
    }
  }
  /// Lets one waiting batch function go on.
  func open(_ count: Int = 1) { for _ in 0..<count { semaphore.signal() } }
}

/// Batch sizes seen by a batcher.
final class BatchLog: Sendable {
  private let sizes = Mutex<[Int]>([])
  func record(_ n: Int) { sizes.withLock { $0.append(n) } }
  var all: [Int] { sizes.withLock { $0 } }
}

@Suite("DynamicBatcher")
struct DynamicBatcherTests {
  @Test("every request gets its own outputs, in order, from shared batches")
  func slicing() async throws {
    let log = BatchLog()
    let batcher = DynamicBatcher<[Float], [Float]>(
      name: "t", options: BatchingOptions(maxBatch: 8, maxDelay: .milliseconds(20)), onBatch: log.record
    ) { rows in rows.map { row in row.map { $0 * 2 } } }
    batcher.start()
    defer { batcher.shutdown() }
    let sizes = [1, 3, 2, 1, 5, 1, 2, 4, 1, 1]
    let results = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
      for (r, size) in sizes.enumerated() {
        group.addTask {
          let samples = (0..<size).map { s in [Float(r * 100 + s), Float(-r)] }
          return (r, try await batcher.submit(samples))
        }
      }
      var out: [Int: [[Float]]] = [:]
      for try await (r, outputs) in group { out[r] = outputs }
      return out
    }
    for (r, size) in sizes.enumerated() {
      #expect(results[r] == (0..<size).map { s in [Float(2 * (r * 100 + s)), Float(-2 * r)] })
    }
    let batches = log.all
    #expect(batches.reduce(0, +) == sizes.reduce(0, +))
    #expect(batches.allSatisfy { $0 <= 8 || $0 == 5 })
    #expect(batches.count < sizes.count, "concurrent requests within 20 ms should share batches: \(batches)")
  }

  @Test("requests that fill max-batch run as one call without waiting for the delay")
  func fillsBatch() async throws {
    let log = BatchLog()
    let batcher = DynamicBatcher<Int, Int>(
      name: "t", options: BatchingOptions(maxBatch: 4, maxDelay: .seconds(30)), onBatch: log.record
    ) { $0.map { $0 + 1 } }
    batcher.start()
    defer { batcher.shutdown() }
    let start = ContinuousClock.now
    let outputs = try await withThrowingTaskGroup(of: [Int].self) { group in
      for i in 0..<4 { group.addTask { try await batcher.submit([i]) } }
      var all: [Int] = []
      for try await o in group { all += o }
      return all.sorted()
    }
    #expect(outputs == [1, 2, 3, 4])
    #expect(log.all == [4])
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test("max-batch 1 runs every sample alone, in arrival order")
  func noBatching() async throws {
    let log = BatchLog()
    let seen = Mutex<[Int]>([])
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 1), onBatch: log.record) { xs in
      seen.withLock { $0 += xs }
      return xs
    }
    batcher.start()
    defer { batcher.shutdown() }
    for i in 0..<5 { #expect(try await batcher.submit([i]) == [i]) }
    #expect(log.all == [1, 1, 1, 1, 1])
    #expect(seen.withLock { $0 } == [0, 1, 2, 3, 4])
  }

  @Test("a batch function's error reaches every request of that batch, and the next batch runs")
  func errors() async throws {
    struct Boom: Error, Equatable {}
    let gate = Gate()
    let calls = Mutex(0)
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 8, maxDelay: .zero)) { xs in
      let call = calls.withLock { $0 += 1; return $0 }
      if call == 1 { gate.pass(); return xs }
      if call == 2 { throw Boom() }
      return xs
    }
    batcher.start()
    defer { batcher.shutdown() }
    let first = Task { try await batcher.submit([0]) }
    await gate.waitEntered()
    let a = Task { try await batcher.submit([1]) }
    let b = Task { try await batcher.submit([2, 3]) }
    while batcher.queuedSamples < 3 { try await Task.sleep(for: .milliseconds(1)) }
    gate.open()
    #expect(try await first.value == [0])
    await #expect(throws: Boom.self) { try await a.value }
    await #expect(throws: Boom.self) { try await b.value }
    #expect(try await batcher.submit([9]) == [9])
  }

  @Test("a full queue refuses at once with queueFull")
  func fullQueue() async throws {
    let gate = Gate()
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 8, maxDelay: .zero, maxQueue: 3)) { xs in
      gate.pass()
      return xs
    }
    batcher.start()
    defer { batcher.shutdown() }
    let running = Task { try await batcher.submit([0]) }
    await gate.waitEntered()  // the worker holds [0]; the queue is empty
    let queued = Task { try await batcher.submit([1, 2]) }
    while batcher.queuedSamples < 2 { try await Task.sleep(for: .milliseconds(1)) }
    await #expect(throws: BatcherError.queueFull(limit: 3)) { try await batcher.submit([3, 4]) }
    #expect(try await batcher.submit([]) == [])
    gate.open(2)
    #expect(try await running.value == [0])
    #expect(try await queued.value == [1, 2])
  }

  @Test("a request past its deadline in the queue fails with deadlineExpired and does not run")
  func deadline() async throws {
    let gate = Gate()
    let ran = Mutex<[Int]>([])
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 8, maxDelay: .zero)) { xs in
      ran.withLock { $0 += xs }
      if xs == [0] { gate.pass() }
      return xs
    }
    batcher.start()
    defer { batcher.shutdown() }
    let running = Task { try await batcher.submit([0]) }
    await gate.waitEntered()
    let late = Task { try await batcher.submit([1], timeout: .milliseconds(10)) }
    let patient = Task { try await batcher.submit([2], timeout: .seconds(60)) }
    while batcher.queuedSamples < 2 { try await Task.sleep(for: .milliseconds(1)) }
    try await Task.sleep(for: .milliseconds(40))
    gate.open()
    #expect(try await running.value == [0])
    await #expect(throws: BatcherError.deadlineExpired(milliseconds: 10)) { try await late.value }
    #expect(try await patient.value == [2])
    #expect(ran.withLock { $0 } == [0, 2])
  }

  @Test("shutdown finishes queued requests, then refuses new ones")
  func shutdownDrains() async throws {
    let gate = Gate()
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 2, maxDelay: .zero)) { xs in
      if xs == [0] { gate.pass() }
      return xs.map { -$0 }
    }
    batcher.start()
    let running = Task { try await batcher.submit([0]) }
    await gate.waitEntered()
    let q1 = Task { try await batcher.submit([1]) }
    let q2 = Task { try await batcher.submit([2, 3]) }
    while batcher.queuedSamples < 3 { try await Task.sleep(for: .milliseconds(1)) }
    let stopper = Task { await batcher.shutdownAsync() }
    try await Task.sleep(for: .milliseconds(20))
    await #expect(throws: BatcherError.shuttingDown) { try await batcher.submit([4]) }
    gate.open()
    await stopper.value
    #expect(try await running.value == [0])
    #expect(try await q1.value == [-1])
    #expect(try await q2.value == [-2, -3])
  }

  @Test("a batch function that returns the wrong number of outputs fails its requests")
  func outputCount() async throws {
    let batcher = DynamicBatcher<Int, Int>(name: "t", options: BatchingOptions(maxBatch: 1)) { _ in [] }
    batcher.start()
    defer { batcher.shutdown() }
    await #expect(throws: BatcherError.outputCount(expected: 1, got: 0)) { try await batcher.submit([1]) }
  }
}
