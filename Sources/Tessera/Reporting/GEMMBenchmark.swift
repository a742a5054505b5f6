/// One implementation that `tessera bench` and `tessera-peers` can time on a shape.
public enum GEMMImplementation: Sendable, Equatable, CustomStringConvertible {
  /// Tessera's int8 path through ``int8GEMM(_:m:aStride:weights:requantization:output:outputStride:threads:)``
  /// with a given kernel (weights packed once, outside the timed region).
  case tessera(Int8Kernel)
  /// OpenBLAS (or Accelerate) `sgemm` for `gemm`, `sgemv` for `gemv`, on the same values as floats.
  case openBLAS(KernelOp)

  /// The JSON `impl` name: `tessera-int8-<isa>`, `openblas-sgemm` or `openblas-sgemv`.
  public var description: String {
    switch self {
    case .tessera(let kernel): "tessera-int8-\(kernel.isa.rawValue)"
    case .openBLAS(let op): op.openBLASImplementation
    }
  }

  /// The standard rows of `tessera bench` for `op`: the selected kernel (best ISA, or
  /// `TESSERA_ISA`), the scalar kernel (unless that is the selected one), then OpenBLAS.
  ///
  /// - Parameter op: the operation.
  /// - Returns: the implementations in report order.
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` when `TESSERA_ISA` names an unusable ISA.
  public static func standard(for op: KernelOp) throws -> [GEMMImplementation] {
    let best = try Int8Kernel.selected(for: op)
    var list: [GEMMImplementation] = [.tessera(best)]
    if best.isa != .scalar, let scalar = Int8Kernel.forISA(.scalar, op: op) { list.append(.tessera(scalar)) }
    list.append(.openBLAS(op))
    return list
  }
}

/// Times Tessera's int8 kernels and the system BLAS on the same operands.
public enum GEMMBenchmark {
  /// Measures one implementation on one shape.
  ///
  /// - Parameters:
  ///   - implementation: what to run.
  ///   - operands: the shape's operands (the shape's `m` must be 1 for a GEMV kernel).
  ///   - threads: threads for Tessera's pool or the BLAS library.
  ///   - settings: iterations, warm-up and time budget.
  /// - Returns: the measurement (GOP/s = 2·m·n·k per call).
  /// - Throws: ``TesseraError`` when the kernel cannot run here or the shape does not fit it.
  public static func measure(
    _ implementation: GEMMImplementation, operands: GEMMOperands, threads: Int, settings: BenchmarkSettings
  ) throws -> BenchmarkMeasurement {
    guard threads >= 1 else { throw TesseraError.invalidArgument("--threads must be at least 1, got \(threads)") }
    switch implementation {
    case .tessera(let kernel):
      return try measureTessera(kernel: kernel, operands: operands, threads: threads, settings: settings)
    case .openBLAS(let op):
      return try measureBLAS(op: op, operands: operands, threads: threads, settings: settings)
    }
  }

  static func measureTessera(
    kernel: Int8Kernel, operands: GEMMOperands, threads: Int, settings: BenchmarkSettings
  ) throws -> BenchmarkMeasurement {
    let shape = operands.shape
    if kernel.op == .gemv && shape.m != 1 {
      throw TesseraError.invalidArgument("gemv needs m = 1, got shape \(shape)")
    }
    let packed = try PackedInt8Weights(
      weights: operands.weights, bias: operands.bias, inputZeroPoint: operands.inputZeroPoint, kernel: kernel)
    var output = [Int8](repeating: 0, count: shape.m * shape.n)
    let requantization = operands.requantization
    return try operands.activations.withUnsafeBufferPointer { a in
      try output.withUnsafeMutableBufferPointer { c in
        try BenchmarkHarness.measure(operationCount: shape.operationCount, settings: settings) {
          int8GEMM(
            a.baseAddress!, m: shape.m, aStride: shape.k, weights: packed, requantization: requantization,
            output: c.baseAddress!, outputStride: shape.n, threads: threads)
        }
      }
    }
  }

  static func measureBLAS(
    op: KernelOp, operands: GEMMOperands, threads: Int, settings: BenchmarkSettings
  ) throws -> BenchmarkMeasurement {
    let shape = operands.shape
    if op == .gemv && shape.m != 1 {
      throw TesseraError.invalidArgument("sgemv needs m = 1, got shape \(shape)")
    }
    BLASInfo.setThreads(threads)
    var output = [Float](repeating: 0, count: shape.m * shape.n)
    return try operands.floatActivations.withUnsafeBufferPointer { a in
      try operands.floatWeights.withUnsafeBufferPointer { w in
        try output.withUnsafeMutableBufferPointer { c in
          try BenchmarkHarness.measure(operationCount: shape.operationCount, settings: settings) {
            if op == .gemv {
              // y[n] = W[n × k] · x[k]
              BLAS.sgemv(
                transposeA: false, m: shape.n, n: shape.k, alpha: 1, a: w.baseAddress!, lda: shape.k,
                x: a.baseAddress!, beta: 0, y: c.baseAddress!)
            } else {
              // C[m × n] = A[m × k] · Wᵀ
              BLAS.sgemm(
                transposeA: false, transposeB: true, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                a: a.baseAddress!, lda: shape.k, b: w.baseAddress!, ldb: shape.k, beta: 0,
                c: c.baseAddress!, ldc: shape.n)
            }
          }
        }
      }
    }
  }
}
