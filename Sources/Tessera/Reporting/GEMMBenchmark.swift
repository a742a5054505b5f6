/// A ready-to-time implementation: its report name and one call on prepared operands.
///
/// Everything outside the call (weight packing, buffers, library handles) is done when it
/// is made, so timing sees only the call.
public struct PreparedBenchmark {
  /// The `impl` name in reports.
  public let name: String
  /// One call of the operation.
  public let run: () -> Void

  /// Makes a prepared benchmark.
  /// - Parameters:
  ///   - name: the `impl` name, for example `onednn-gemm-u8s8s32`.
  ///   - run: one call; it owns (captures) whatever it needs.
  public init(name: String, run: @escaping () -> Void) {
    self.name = name
    self.run = run
  }
}

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

  /// Packs weights and allocates buffers for `operands`; sets the BLAS thread count for
  /// the OpenBLAS rows.
  ///
  /// - Parameters:
  ///   - operands: the shape's operands (m must be 1 for a GEMV kernel or `sgemv`).
  ///   - threads: threads for Tessera's pool or the BLAS library, at least 1.
  /// - Returns: the call to time.
  /// - Throws: ``TesseraError`` when the kernel cannot run here or the shape does not fit it.
  public func prepare(operands: GEMMOperands, threads: Int) throws -> PreparedBenchmark {
    guard threads >= 1 else { throw TesseraError.invalidArgument("--threads must be at least 1, got \(threads)") }
    let shape = operands.shape
    switch self {
    case .tessera(let kernel):
      if kernel.op == .gemv && shape.m != 1 {
        throw TesseraError.invalidArgument("gemv needs m = 1, got shape \(shape)")
      }
      let call = try Int8GEMMCall(operands: operands, kernel: kernel, threads: threads)
      return PreparedBenchmark(name: description) { call.run() }
    case .openBLAS(let op):
      if op == .gemv && shape.m != 1 {
        throw TesseraError.invalidArgument("sgemv needs m = 1, got shape \(shape)")
      }
      BLASInfo.setThreads(threads)
      let call = BLASCall(operands: operands, op: op)
      return PreparedBenchmark(name: description) { call.run() }
    }
  }
}

/// Tessera's int8 GEMM on prepared operands: packed weights and an output buffer it owns.
final class Int8GEMMCall {
  let operands: GEMMOperands
  let packed: PackedInt8Weights
  let threads: Int
  let output: UnsafeMutablePointer<Int8>

  init(operands: GEMMOperands, kernel: Int8Kernel, threads: Int) throws {
    self.operands = operands
    packed = try PackedInt8Weights(
      weights: operands.weights, bias: operands.bias, inputZeroPoint: operands.inputZeroPoint, kernel: kernel)
    self.threads = threads
    let count = operands.shape.m * operands.shape.n
    output = .allocate(capacity: count)
    output.initialize(repeating: 0, count: count)
  }

  deinit { output.deallocate() }

  func run() {
    let shape = operands.shape
    operands.activations.withUnsafeBufferPointer { a in
      int8GEMM(
        a.baseAddress!, m: shape.m, aStride: shape.k, weights: packed, requantization: operands.requantization,
        output: output, outputStride: shape.n, threads: threads)
    }
  }
}

/// `sgemm` (C[m × n] = A[m × k] · Wᵀ) or `sgemv` (y[n] = W[n × k] · x) on the float operands.
final class BLASCall {
  let operands: GEMMOperands
  let op: KernelOp
  let output: UnsafeMutablePointer<Float>

  init(operands: GEMMOperands, op: KernelOp) {
    self.operands = operands
    self.op = op
    let count = operands.shape.m * operands.shape.n
    output = .allocate(capacity: count)
    output.initialize(repeating: 0, count: count)
  }

  deinit { output.deallocate() }

  func run() {
    let shape = operands.shape
    operands.floatActivations.withUnsafeBufferPointer { a in
      operands.floatWeights.withUnsafeBufferPointer { w in
        if op == .gemv {
          BLAS.sgemv(
            transposeA: false, m: shape.n, n: shape.k, alpha: 1, a: w.baseAddress!, lda: shape.k,
            x: a.baseAddress!, beta: 0, y: output)
        } else {
          BLAS.sgemm(
            transposeA: false, transposeB: true, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
            a: a.baseAddress!, lda: shape.k, b: w.baseAddress!, ldb: shape.k, beta: 0, c: output, ldc: shape.n)
        }
      }
    }
  }
}
