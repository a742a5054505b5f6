/// One thing to measure: an operation on a shape with a thread count.
public struct BenchmarkCase: Sendable, Hashable, CustomStringConvertible {
  /// `gemm` or `gemv`.
  public let op: KernelOp
  /// The shape.
  public let shape: GEMMShape
  /// Threads for every implementation.
  public let threads: Int

  /// `"gemm 64x256x784, 2 threads"`.
  public var description: String {
    "\(op.rawValue) \(shape), \(threads) thread\(threads == 1 ? "" : "s")"
  }
}

/// Expands shapes and thread counts into cases and runs implementations over them.
public enum BenchmarkSuite {
  /// The cases for `shapes` × `threads`, shape-major.
  ///
  /// - Parameters:
  ///   - shapes: shapes in report order.
  ///   - op: force this operation, or `nil` for each shape's natural one (`gemv` for m = 1).
  ///   - threads: thread counts, each at least 1.
  /// - Returns: one case per (shape, thread count), in order.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when a thread count is below 1, the
  ///   lists are empty, or `gemv` is forced on a shape with m ≠ 1.
  public static func cases(shapes: [GEMMShape], op: KernelOp?, threads: [Int]) throws -> [BenchmarkCase] {
    guard !shapes.isEmpty else { throw TesseraError.invalidArgument("no shapes to benchmark") }
    guard !threads.isEmpty else { throw TesseraError.invalidArgument("no thread counts given") }
    if let bad = threads.first(where: { $0 < 1 }) {
      throw TesseraError.invalidArgument("--threads must be at least 1, got \(bad)")
    }
    if op == .gemv, let bad = shapes.first(where: { $0.m != 1 }) {
      throw TesseraError.invalidArgument("gemv needs m = 1, got shape \(bad); use 'bench gemm' or m = 1")
    }
    return shapes.flatMap { shape in
      threads.map { BenchmarkCase(op: op ?? shape.naturalOperation, shape: shape, threads: $0) }
    }
  }

  /// Measures every implementation on every case.
  ///
  /// Operands are generated once per shape; weights are packed outside the timed region.
  ///
  /// - Parameters:
  ///   - cases: what to measure.
  ///   - settings: iterations, warm-up and budget.
  ///   - implementations: the implementations for an operation (for example
  ///     ``GEMMImplementation/standard(for:)``).
  ///   - progress: called before each case with a label, its 1-based index and the total.
  /// - Returns: one result per (case, implementation), in order.
  /// - Throws: any error of `implementations` or of a measurement.
  public static func run(
    _ cases: [BenchmarkCase], settings: BenchmarkSettings,
    implementations: (KernelOp) throws -> [GEMMImplementation],
    progress: (_ label: String, _ index: Int, _ total: Int) -> Void = { _, _, _ in }
  ) throws -> [BenchResult] {
    var results = [BenchResult]()
    var operands: GEMMOperands?
    for (index, item) in cases.enumerated() {
      let list = try implementations(item.op)
      progress("\(item): " + list.map(\.description).joined(separator: ", "), index + 1, cases.count)
      if operands?.shape != item.shape { operands = try GEMMOperands(shape: item.shape) }
      let prepared = try list.map { try $0.prepare(operands: operands!, threads: item.threads) }
      results += try measure(item, prepared, settings: settings)
    }
    return results
  }

  /// Measures prepared implementations of one case and makes their result rows.
  ///
  /// With one thread the implementations are measured interleaved (see ``BenchmarkHarness``),
  /// so they share the machine's background load. With more threads they run one after
  /// another, each after an untimed 0.15 s pause: thread pools keep spinning after a call
  /// (OpenBLAS for about 2²⁸ TSC ticks ≈ 0.1 s, OpenMP and Tessera's pool much less) and
  /// would steal cores from the next library's samples. Interleaving multi-threaded
  /// samples would need that pause before every sample, which made oneDNN's figures swing
  /// by 10× on a 2-core machine.
  ///
  /// - Parameters:
  ///   - item: the case (its op, shape and threads label the rows).
  ///   - prepared: the implementations, ready to call.
  ///   - settings: iterations, warm-up and budget.
  /// - Returns: one row per implementation, in order.
  /// - Throws: ``TesseraError`` for invalid settings.
  public static func measure(
    _ item: BenchmarkCase, _ prepared: [PreparedBenchmark], settings: BenchmarkSettings
  ) throws -> [BenchResult] {
    let operations = item.shape.operationCount
    let measurements: [BenchmarkMeasurement]
    if item.threads == 1 {
      measurements = try BenchmarkHarness.measureInterleaved(
        operationCount: operations, settings: settings, prepared.map(\.run))
    } else {
      measurements = try prepared.map { implementation in
        try BenchmarkHarness.measureInterleaved(
          operationCount: operations, settings: settings, pauseSeconds: 0.15, [implementation.run])[0]
      }
    }
    return zip(prepared, measurements).map { implementation, measurement in
      BenchResult(
        op: item.op, shape: item.shape, threads: item.threads, impl: implementation.name, measurement: measurement)
    }
  }
}
