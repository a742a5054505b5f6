/// How a ``DynamicBatcher`` groups requests.
public struct BatchingOptions: Sendable, Equatable {
  /// Most samples in one engine call. A single request with more samples runs alone.
  public var maxBatch: Int
  /// Longest time the oldest queued request waits for others to join its batch.
  public var maxDelay: Duration
  /// Most samples waiting in the queue; a request that would exceed it is refused with
  /// ``BatcherError/queueFull(limit:)``.
  public var maxQueue: Int
  /// Threads that take batches from the queue and run them (each runs one batch at a time).
  public var workers: Int

  /// Makes options.
  /// - Parameters:
  ///   - maxBatch: most samples per engine call (at least 1; 1 turns batching off).
  ///   - maxDelay: longest wait for a batch to fill.
  ///   - maxQueue: most queued samples.
  ///   - workers: batch-running threads.
  public init(maxBatch: Int = 32, maxDelay: Duration = .milliseconds(1), maxQueue: Int = 1024, workers: Int = 1) {
    self.maxBatch = max(1, maxBatch)
    self.maxDelay = maxDelay < .zero ? .zero : maxDelay
    self.maxQueue = max(1, maxQueue)
    self.workers = max(1, workers)
  }
}
