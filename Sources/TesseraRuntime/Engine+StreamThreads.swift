import Foundation
import Tessera

extension Engine {
  /// `workers` threads take the next request from a shared counter and run the whole model on it.
  func runDataParallel(_ io: StreamBuffers, count: Int, workers: Int) throws {
    let next = StreamCounter()
    let failure = StreamFailure()
    let steps = 0..<plan.steps.count, stageable = isStageable
    let inputCount = self.inputCount, outputCount = self.outputCount
    StreamThreads.run(workers) { _ in
      while true {
        let i = next.take()
        guard i < count, !failure.isSet else { return }
        io.starts[i] = DispatchTime.now().uptimeNanoseconds
        do {
          if stageable {
            try self.runStage(
              steps, count: 1, input: io.input + i * inputCount, handoffIn: nil, handoffOut: nil,
              output: io.output + i * outputCount)
          } else {
            // Graph models: the engine's own entry point, one request at a time.
            let y = try self.run(Array(UnsafeBufferPointer(start: io.input + i * inputCount, count: inputCount)), count: 1)
            (io.output + i * outputCount).update(from: y, count: outputCount)
          }
        } catch {
          failure.set(error)
        }
        io.ends[i] = DispatchTime.now().uptimeNanoseconds
      }
    }
    if let error = failure.error { throw error }
  }

  /// One thread per stage (`edges[s]..<edges[s + 1]` are stage s's steps); requests pass from
  /// stage to stage through rings of `depth` handoff slots guarded by semaphores.
  func runPipeline(_ io: StreamBuffers, count: Int, edges: [Int], depth: Int = 2) throws {
    let stages = edges.count - 1
    let failure = StreamFailure()
    // Ring s sits between stage s and s + 1.
    let rings: [UnsafeMutableRawPointer] = (0..<max(stages - 1, 0)).map {
      UnsafeMutableRawPointer.allocate(byteCount: depth * handoffBytesPerSample(at: edges[$0 + 1]), alignment: 64)
    }
    defer { rings.forEach { $0.deallocate() } }
    let filled = (0..<max(stages - 1, 0)).map { _ in DispatchSemaphore(value: 0) }
    let free = (0..<max(stages - 1, 0)).map { _ in DispatchSemaphore(value: depth) }
    let inputCount = self.inputCount, outputCount = self.outputCount
    let ringPointers = StreamRings(rings: rings)
    StreamThreads.run(stages) { s in
      let range = edges[s]..<edges[s + 1]
      let inBytes = s > 0 ? self.handoffBytesPerSample(at: edges[s]) : 0
      let outBytes = s < stages - 1 ? self.handoffBytesPerSample(at: edges[s + 1]) : 0
      for i in 0..<count {
        if s > 0 { filled[s - 1].wait() }
        if s < stages - 1 { free[s].wait() }
        if s == 0 { io.starts[i] = DispatchTime.now().uptimeNanoseconds }
        if !failure.isSet {
          do {
            try self.runStage(
              range, count: 1, input: s == 0 ? io.input + i * inputCount : nil,
              handoffIn: s > 0 ? UnsafeRawPointer(ringPointers.rings[s - 1] + (i % depth) * inBytes) : nil,
              handoffOut: s < stages - 1 ? ringPointers.rings[s] + (i % depth) * outBytes : nil,
              output: s == stages - 1 ? io.output + i * outputCount : nil)
          } catch {
            failure.set(error)
          }
        }
        if s == stages - 1 { io.ends[i] = DispatchTime.now().uptimeNanoseconds }
        if s > 0 { free[s - 1].signal() }
        if s < stages - 1 { filled[s].signal() }
      }
    }
    if let error = failure.error { throw error }
  }
}

/// The handoff rings, shared by the stage threads (each slot is owned by one stage at a time).
struct StreamRings: @unchecked Sendable {
  let rings: [UnsafeMutableRawPointer]
}

/// The next request index of a data-parallel stream.
final class StreamCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  /// Returns the next index and advances.
  func take() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value - 1
  }
}

/// The first error a stream's threads hit.
final class StreamFailure: @unchecked Sendable {
  private let lock = NSLock()
  private var first: (any Error)?

  /// Records `error` unless one is already recorded.
  func set(_ error: any Error) {
    lock.lock()
    if first == nil { first = error }
    lock.unlock()
  }

  /// The recorded error.
  var error: (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return first
  }

  /// Whether an error is recorded.
  var isSet: Bool { error != nil }
}

/// Runs a body on `n` dedicated threads and waits for all of them.
enum StreamThreads {
  static func run(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<n {
      group.enter()
      let thread = Thread {
        body(index)
        group.leave()
      }
      thread.stackSize = 1 << 22
      thread.start()
    }
    group.wait()
  }
}
