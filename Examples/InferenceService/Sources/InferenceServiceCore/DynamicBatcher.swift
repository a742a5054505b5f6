import Foundation

/// Groups concurrent requests for one model into one call of a batch function, so that many
/// batch-1 requests become one batch-N engine call (GEMV → GEMM), and hands each request its slice.
///
/// ```swift
/// let batcher = DynamicBatcher<[Float], [Float]>(name: "mlp", options: BatchingOptions(maxBatch: 32)) { rows in
///   let logits = try engine.run(rows.flatMap { $0 }, count: rows.count)
///   return (0..<rows.count).map { Array(logits[$0 * 10..<($0 + 1) * 10]) }
/// }
/// batcher.start()
/// let outputs = try await batcher.submit([sample])   // one output per sample, in order
/// ```
///
/// Requests wait in one FIFO queue bounded by ``BatchingOptions/maxQueue`` samples. A worker thread
/// takes the oldest request, waits until the queue holds ``BatchingOptions/maxBatch`` samples or the
/// oldest request has waited ``BatchingOptions/maxDelay``, then takes whole requests in arrival order
/// while they fit in `maxBatch` (at least one) and runs them as one call. A request whose deadline has
/// passed when a worker reaches it fails with ``BatcherError/deadlineExpired(milliseconds:)`` without
/// running, so a request is late by at most one batch's run time. The batch function runs on the
/// worker threads, never on the caller's executor.
///
/// All mutable state is guarded by `condition`, hence `@unchecked Sendable`.
public final class DynamicBatcher<Sample: Sendable, Output: Sendable>: @unchecked Sendable {
  /// Runs one batch: one output per sample, in order.
  public typealias BatchFunction = @Sendable ([Sample]) throws -> [Output]
  /// Called after every batch with its number of samples (for metrics).
  public typealias BatchObserver = @Sendable (_ samples: Int) -> Void
  /// Called whenever the number of queued samples changes (for metrics).
  public typealias QueueObserver = @Sendable (_ queuedSamples: Int) -> Void

  private struct Pending {
    var samples: [Sample]
    var enqueued: ContinuousClock.Instant
    var deadline: ContinuousClock.Instant?
    var timeout: Duration?
    var continuation: CheckedContinuation<[Output], any Error>
  }

  /// The model's name (thread names and logs).
  public let name: String
  /// The grouping limits.
  public let options: BatchingOptions
  private let function: BatchFunction
  private let onBatch: BatchObserver?
  private let onQueueChange: QueueObserver?
  private let condition = NSCondition()
  private var queue: [Pending] = []
  private var head = 0
  private var queued = 0
  private var stopping = false
  private var started = false
  private var running = 0
  private var threads: [Thread] = []
  private let clock = ContinuousClock()

  /// Makes a batcher; call ``start()`` before submitting.
  /// - Parameters:
  ///   - name: a name for threads and logs.
  ///   - options: batch size, delay, queue bound, workers.
  ///   - onBatch: called with each batch's sample count.
  ///   - onQueueChange: called with the queued sample count when it changes.
  ///   - function: runs one batch (one output per sample, in order).
  public init(
    name: String, options: BatchingOptions, onBatch: BatchObserver? = nil, onQueueChange: QueueObserver? = nil,
    function: @escaping BatchFunction
  ) {
    self.name = name
    self.options = options
    self.function = function
    self.onBatch = onBatch
    self.onQueueChange = onQueueChange
  }

  /// Samples waiting in the queue (not those being run).
  public var queuedSamples: Int {
    condition.lock()
    defer { condition.unlock() }
    return queued
  }

  /// Starts the worker threads (once; later calls do nothing).
  public func start() {
    condition.lock()
    defer { condition.unlock() }
    guard !started else { return }
    started = true
    for index in 0..<options.workers {
      let thread = Thread { [self] in workerLoop() }
      thread.name = "batcher-\(name)-\(index)"
      thread.stackSize = 1 << 20
      running += 1
      threads.append(thread)
      thread.start()
    }
  }

  /// Queues samples and waits for their outputs.
  /// - Parameters:
  ///   - samples: one request's samples (at least one).
  ///   - timeout: how long the request may wait in the queue (nil: no limit).
  /// - Returns: one output per sample, in order.
  /// - Throws: ``BatcherError/queueFull(limit:)`` at once when the samples do not fit,
  ///   ``BatcherError/shuttingDown`` after ``shutdown()``, ``BatcherError/deadlineExpired(milliseconds:)``
  ///   when the request waited too long, or what the batch function threw.
  public func submit(_ samples: [Sample], timeout: Duration? = nil) async throws -> [Output] {
    if samples.isEmpty { return [] }
    let now = clock.now
    return try await withCheckedThrowingContinuation { continuation in
      condition.lock()
      if stopping || !started {
        condition.unlock()
        continuation.resume(throwing: BatcherError.shuttingDown)
        return
      }
      guard queued + samples.count <= options.maxQueue else {
        condition.unlock()
        continuation.resume(throwing: BatcherError.queueFull(limit: options.maxQueue))
        return
      }
      queue.append(
        Pending(
          samples: samples, enqueued: now, deadline: timeout.map { now + $0 }, timeout: timeout,
          continuation: continuation))
      queued += samples.count
      let depth = queued
      condition.broadcast()
      condition.unlock()
      onQueueChange?(depth)
    }
  }

  /// Stops taking new requests, runs every queued one, and returns when the workers have exited.
  public func shutdown() {
    condition.lock()
    stopping = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  /// Stops taking new requests and returns when the queue has drained and the workers exited,
  /// without blocking the caller's executor.
  public func shutdownAsync() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let thread = Thread { [self] in
        shutdown()
        continuation.resume()
      }
      thread.start()
    }
  }

  // MARK: - Workers

  private func workerLoop() {
    while let batch = nextBatch() {
      run(batch)
    }
    condition.lock()
    running -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for work and takes one batch of requests; nil when stopping with an empty queue.
  /// Expired requests found on the way are failed here.
  private func nextBatch() -> [Pending]? {
    condition.lock()
    while true {
      while head == queue.count && !stopping { condition.wait() }
      if head == queue.count {
        condition.unlock()
        return nil
      }
      // Let the batch fill: until maxBatch samples wait or the oldest has waited maxDelay.
      let fillBy = queue[head].enqueued + options.maxDelay
      while queued < options.maxBatch && !stopping {
        let remaining = clock.now.duration(to: fillBy)
        if remaining <= .zero { break }
        let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
        _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        if head == queue.count { break }  // another worker took it
      }
      if head == queue.count { continue }
      let now = clock.now
      var batch: [Pending] = []
      var expired: [Pending] = []
      var samples = 0
      while head < queue.count {
        let next = queue[head]
        if let deadline = next.deadline, deadline < now {
          expired.append(next)
        } else {
          if !batch.isEmpty && samples + next.samples.count > options.maxBatch { break }
          batch.append(next)
          samples += next.samples.count
        }
        head += 1
        queued -= next.samples.count
      }
      compactQueue()
      let depth = queued
      condition.unlock()
      onQueueChange?(depth)
      for request in expired {
        let ms = Int((request.timeout ?? .zero) / .milliseconds(1))
        request.continuation.resume(throwing: BatcherError.deadlineExpired(milliseconds: ms))
      }
      if !batch.isEmpty { return batch }
      condition.lock()
    }
  }

  /// Drops taken entries from the front of the array once they are the larger part.
  private func compactQueue() {
    if head == queue.count {
      queue.removeAll(keepingCapacity: true)
      head = 0
    } else if head > 64 && head * 2 > queue.count {
      queue.removeFirst(head)
      head = 0
    }
  }

  /// Runs one batch and resumes every request with its slice (or the error).
  private func run(_ batch: [Pending]) {
    let samples = batch.count == 1 ? batch[0].samples : batch.flatMap(\.samples)
    let result = Result { try function(samples) }
    onBatch?(samples.count)
    switch result {
    case .failure(let error):
      for request in batch { request.continuation.resume(throwing: error) }
    case .success(let outputs) where outputs.count != samples.count:
      for request in batch {
        request.continuation.resume(throwing: BatcherError.outputCount(expected: samples.count, got: outputs.count))
      }
    case .success(let outputs):
      var start = 0
      for request in batch {
        let end = start + request.samples.count
        request.continuation.resume(returning: Array(outputs[start..<end]))
        start = end
      }
    }
  }
}
