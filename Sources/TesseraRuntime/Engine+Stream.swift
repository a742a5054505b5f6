import Foundation
import Tessera

extension Engine {
  /// Runs `count` batch-1 requests as a stream on `workers` threads, data-parallel or as a
  /// pipeline of layer stages, and measures throughput and per-request latency.
  ///
  /// Both modes return exactly the outputs of ``run(_:count:)`` on the same samples. Give the
  /// engine `EngineConfiguration(threads: 1)` so that each worker or stage uses one core.
  ///
  /// For example:
  /// ```swift
  /// let engine = try Engine(contentsOf: "lenet-int8.safetensors", configuration: EngineConfiguration(threads: 1))
  /// let (_, pipe) = try engine.runStream(images, count: 1000, mode: .pipeline)
  /// let (_, data) = try engine.runStream(images, count: 1000, mode: .dataParallel)
  /// print(pipe.requestsPerSecond / data.requestsPerSecond)
  /// ```
  /// - Parameters:
  ///   - samples: `count × inputCount` floats, one request after another.
  ///   - count: requests.
  ///   - mode: data-parallel or pipeline.
  ///   - workers: threads (pipeline: stages), at least 1.
  /// - Returns: `count × outputCount` outputs and the measurement.
  /// - Throws: ``EngineError/inputSize(expected:got:)``; ``EngineError/unsupported(_:)`` for a
  ///   pipeline over a model that is not a compiled chain of at least `workers` steps (graph
  ///   models with several inputs or branches run data-parallel only).
  public func runStream(
    _ samples: [Float], count: Int, mode: StreamMode, workers: Int = 2
  ) throws -> (outputs: [Float], measurement: StreamMeasurement) {
    guard count > 0, samples.count == count * inputCount else {
      throw EngineError.inputSize(expected: inputCount, got: count > 0 ? samples.count / count : samples.count)
    }
    guard workers >= 1 else { throw EngineError.unsupported("a stream needs at least 1 worker, got \(workers)") }
    if mode == .pipeline {
      guard isStageable, plan.steps.count >= workers + 1 else {
        throw EngineError.unsupported(
          "pipeline mode splits a compiled chain of layers into \(workers) stages; this model "
            + (isStageable ? "has only \(plan.steps.count) steps" : "is a graph the chain planner does not run") + " (use data-parallel)")
      }
    }
    var outputs = [Float](repeating: 0, count: count * outputCount)
    var starts = [UInt64](repeating: 0, count: count), ends = [UInt64](repeating: 0, count: count)
    var stageNames: [String]?
    let begin = DispatchTime.now().uptimeNanoseconds
    try samples.withUnsafeBufferPointer { input in
      try outputs.withUnsafeMutableBufferPointer { output in
        try starts.withUnsafeMutableBufferPointer { starts in
          try ends.withUnsafeMutableBufferPointer { ends in
            let io = StreamBuffers(
              input: input.baseAddress!, output: output.baseAddress!, starts: starts.baseAddress!, ends: ends.baseAddress!)
            switch mode {
            case .dataParallel:
              try runDataParallel(io, count: count, workers: workers)
            case .pipeline:
              let boundaries = workers == 1 ? [] : try balancedBoundaries(
                sample: Array(input[0..<inputCount]), stages: workers)
              let edges = [0] + boundaries + [plan.steps.count]
              stageNames = (0..<workers).map { s in
                "\(plan.steps[edges[s]].name)…\(plan.steps[edges[s + 1] - 1].name)"
              }
              try runPipeline(io, count: count, edges: edges)
            }
          }
        }
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
    let latencies = zip(starts, ends).map { Double($1 &- $0) / 1000 }.sorted()
    let measurement = StreamMeasurement(
      mode: mode, workers: workers, requests: count, seconds: seconds, requestsPerSecond: Double(count) / seconds,
      latencyP50Microseconds: latencies[latencies.count / 2],
      latencyP99Microseconds: latencies[min(latencies.count - 1, Int((Double(latencies.count) * 0.99).rounded(.up)) - 1)],
      stages: stageNames)
    return (outputs, measurement)
  }

  /// The boundaries (ascending step indices) of a `stages`-stage pipeline whose slowest stage
  /// is as fast as possible, from each step's profiled batch-1 time.
  func balancedBoundaries(sample: [Float], stages: Int, runs: Int = 50) throws -> [Int] {
    var diagnostics = RunDiagnostics()
    for _ in 0..<max(runs, 1) { _ = try run(sample, count: 1, profile: true, diagnostics: &diagnostics, observe: nil) }
    return Self.balancedBoundaries(times: diagnostics.steps.map { Double($0.nanoseconds) }, stages: stages)
  }

  /// Splits `times` (one per step, in order) into `stages` contiguous non-empty groups
  /// minimising the largest group sum (dynamic programming); returns the group starts after the first.
  static func balancedBoundaries(times: [Double], stages: Int) -> [Int] {
    let n = times.count
    precondition(stages >= 1 && stages <= n)
    var prefix = [0.0]
    for t in times { prefix.append(prefix.last! + t) }
    // cost[k][j]: best slowest stage for the first j steps in k stages; cut[k][j]: its last start.
    var cost = [[Double]](repeating: [Double](repeating: .infinity, count: n + 1), count: stages + 1)
    var cut = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: stages + 1)
    cost[0][0] = 0
    for k in 1...stages {
      for j in k...n {
        for s in (k - 1)..<j where cost[k - 1][s].isFinite {
          let value = max(cost[k - 1][s], prefix[j] - prefix[s])
          if value < cost[k][j] { (cost[k][j], cut[k][j]) = (value, s) }
        }
      }
    }
    var boundaries = [Int](), j = n
    for k in stride(from: stages, to: 1, by: -1) {
      j = cut[k][j]
      boundaries.append(j)
    }
    return boundaries.reversed()
  }
}

/// Raw pointers a stream's threads share (each request's slots are written by one thread only).
struct StreamBuffers: @unchecked Sendable {
  let input: UnsafePointer<Float>
  let output: UnsafeMutablePointer<Float>
  let starts: UnsafeMutablePointer<UInt64>
  let ends: UnsafeMutablePointer<UInt64>
}
