import CTesseraKernels

/// Below this many multiply-accumulates per thread, extra threads cost more than they save.
let int8GEMMMinimumMACsPerThread = 1 << 17

/// How an int8 GEMM is cut into blocks for threads.
///
/// Row splits (large M) use up to ``rowChunksPerThread`` blocks per thread, claimed
/// dynamically by ``ThreadPool``: when another process takes part of a core, the thread on
/// it claims fewer blocks instead of holding the call for its fixed half. Column splits
/// (small M, GEMV-like) keep one block per thread, so repeated calls give each core the same
/// columns and their weights stay in that core's L2.
struct Int8GEMMPartition: Equatable {
  /// Row blocks per thread when splitting by rows (each still at least
  /// `int8GEMMMinimumMACsPerThread` MACs).
  static let rowChunksPerThread = 4

  /// Split across rows (multiples of MR) when true, across output columns (multiples of NR) otherwise.
  let byRows: Bool
  /// Number of blocks (≥ 1).
  let chunks: Int
  /// Threads that share the blocks (1...chunks).
  let threads: Int
  /// Total MR row blocks or NR column panels being distributed.
  let units: Int

  /// Chooses the split: row blocks when there are at least as many as threads (large M),
  /// column panels otherwise (small M, GEMV-like), with at least
  /// `int8GEMMMinimumMACsPerThread` MACs per block.
  init(m: Int, n: Int, k: Int, mr: Int, nr: Int, threads: Int) {
    let rowBlocks = (m + mr - 1) / mr
    let panels = (n + nr - 1) / nr
    let byWork = Swift.max(1, (m * n * k) / int8GEMMMinimumMACsPerThread)
    let wanted = Swift.max(1, Swift.min(threads, ThreadPool.maximumThreads, byWork))
    byRows = rowBlocks >= wanted
    units = byRows ? rowBlocks : panels
    self.threads = Swift.max(1, Swift.min(wanted, units))
    chunks = byRows && self.threads > 1
      ? Swift.max(self.threads, Swift.min(units, self.threads * Self.rowChunksPerThread, byWork))
      : self.threads
  }

  /// Half-open unit range of block `chunk` (contiguous, balanced).
  func unitRange(_ chunk: Int) -> Range<Int> {
    (chunk * units / chunks)..<((chunk + 1) * units / chunks)
  }

  /// Runs a blocked GEMM over the partition: `gemm(mBegin, mEnd, nBegin, nEnd)` once per block
  /// on `pool`. `prepareRows(begin, end)` (e.g. quantizing activation rows) runs first for the
  /// rows a block reads: per block when splitting by rows, once for all rows otherwise.
  /// - Parameters:
  ///   - m: rows.
  ///   - n: output columns.
  ///   - mr: the kernel's rows per tile.
  ///   - nr: the kernel's columns per panel.
  ///   - pool: the thread pool.
  ///   - prepareRows: work on rows before their GEMM, or nil.
  ///   - gemm: one block.
  func run(
    m: Int, n: Int, mr: Int, nr: Int, pool: ThreadPool, prepareRows: ((Int, Int) -> Void)? = nil,
    _ gemm: (Int, Int, Int, Int) -> Void
  ) {
    if chunks == 1 {
      prepareRows?(0, m)
      gemm(0, m, 0, n)
    } else if byRows {
      pool.parallelFor(chunks, threads: threads) { chunk in
        let range = unitRange(chunk)
        guard !range.isEmpty else { return }
        let begin = range.lowerBound * mr, end = Swift.min(range.upperBound * mr, m)
        prepareRows?(begin, end)
        gemm(begin, end, 0, n)
      }
    } else {
      prepareRows?(0, m)
      pool.parallelFor(chunks, threads: threads) { chunk in
        let range = unitRange(chunk)
        guard !range.isEmpty else { return }
        gemm(0, m, range.lowerBound * nr, Swift.min(range.upperBound * nr, n))
      }
    }
  }
}

/// Int8 GEMM on raw pointers: `output[M, N] = requantize(A[M, K] · Wᵀ + bias)` with the
/// packed weights' kernel, split over up to `threads` threads of ``ThreadPool/shared``.
///
/// Small M (fewer MR row blocks than threads) is split across output-column panels
/// (multiples of NR), larger M across row blocks (multiples of MR). The result does not
/// depend on `threads`: every output element is computed by exactly one kernel call.
///
/// This is the unchecked hot path (like ``BLAS``); use the `Tensor` overload elsewhere.
/// - Parameters:
///   - a: first activation, row-major with row stride `aStride` (≥ K) elements.
///   - m: number of rows of A and of the output (0 does nothing).
///   - aStride: elements between rows of A.
///   - weights: packed `[N, K]` weights; their input zero point applies to A.
///   - requantization: output stage with exactly N scales.
///   - output: first output element, row stride `outputStride` (≥ N) elements.
///   - outputStride: elements between output rows.
///   - threads: maximum threads including the caller.
/// - Precondition: `m ≥ 0`, strides as stated, `requantization.scales.count == weights.n`.
/// - Complexity: O(M·N·K).
public func int8GEMM(
  _ a: UnsafePointer<Int8>, m: Int, aStride: Int,
  weights: PackedInt8Weights, requantization: Requantization,
  output: UnsafeMutablePointer<Int8>, outputStride: Int,
  threads: Int = ThreadPool.defaultThreadCount
) {
  runInt8GEMM(
    a, m: m, aStride: aStride, weights: weights, requantization: requantization,
    output: output, outputStride: outputStride, threads: threads, pool: .shared)
}

/// ``int8GEMM(_:m:aStride:weights:requantization:output:outputStride:threads:)`` on a given pool
/// (tests pass a private pool so the split really runs in parallel).
func runInt8GEMM(
  _ a: UnsafePointer<Int8>, m: Int, aStride: Int,
  weights: PackedInt8Weights, requantization: Requantization,
  output: UnsafeMutablePointer<Int8>, outputStride: Int, threads: Int, pool: ThreadPool
) {
  let n = weights.n, k = weights.k
  precondition(m >= 0 && aStride >= k && outputStride >= n, "int8GEMM: bad m or strides")
  precondition(requantization.scales.count == n, "int8GEMM: \(requantization.scales.count) scales for N = \(n)")
  guard m > 0 else { return }
  let kernel = weights.kernel
  let entry = kernel.cKernel
  let packed = weights.packedPointer
  let partition = Int8GEMMPartition(m: m, n: n, k: k, mr: kernel.mr, nr: kernel.nr, threads: threads)
  var params = requantization.cParams
  withUnsafePointer(to: &params) { paramsPointer in
    requantization.scales.withUnsafeBufferPointer { scales in
      let run = { (mBegin: Int, mEnd: Int, nBegin: Int, nEnd: Int) in
        tsr_qs8_qc8w_gemm_run(
          entry, mBegin, mEnd, nBegin, nEnd, k, a, aStride, packed,
          output, outputStride, scales.baseAddress, paramsPointer)
      }
      partition.run(m: m, n: n, mr: kernel.mr, nr: kernel.nr, pool: pool, run)
    }
  }
}

/// Int8 GEMM on tensors: `requantize(a · Wᵀ + bias)` → `[M, N]` int8.
///
/// For example:
/// ```swift
/// let y = try int8GEMM(x, weights: packed, requantization: rq, threads: 2)
/// ```
/// - Parameters:
///   - a: `[M, K]` int8 activations (a view with unit inner stride is used without copying).
///   - weights: packed `[N, K]` weights.
///   - requantization: output stage with N scales.
///   - threads: maximum threads including the caller.
/// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` when `a` is not rank 2,
///   ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` naming both shapes when K differs or
///   the number of scales is not N.
/// - Complexity: O(M·N·K).
public func int8GEMM(
  _ a: Tensor<Int8>, weights: PackedInt8Weights, requantization: Requantization,
  threads: Int = ThreadPool.defaultThreadCount
) throws -> Tensor<Int8> {
  try runInt8GEMM(a, weights: weights, requantization: requantization, threads: threads, pool: .shared)
}

/// ``int8GEMM(_:weights:requantization:threads:)`` on a given pool.
func runInt8GEMM(
  _ a: Tensor<Int8>, weights: PackedInt8Weights, requantization: Requantization, threads: Int, pool: ThreadPool
) throws -> Tensor<Int8> {
  let (m, n) = try checkInt8GEMM(a, n: weights.n, k: weights.k, requantization: requantization)
  var out = try Tensor<Int8>(zeros: [m, n])
  guard m > 0 else { return out }
  let view = a.strides[1] == 1 || a.shape[1] == 1 ? a : a.contiguous()
  let aStride = Swift.max(view.strides[0], weights.k)
  view.withUnsafeStorage { storage, offset, _ in
    out.withUnsafeMutableBufferPointer { buffer in
      runInt8GEMM(
        storage.baseAddress! + offset, m: m, aStride: aStride, weights: weights,
        requantization: requantization, output: buffer.baseAddress!, outputStride: n, threads: threads,
        pool: pool)
    }
  }
  return out
}

/// The semantic definition of ``int8GEMM(_:weights:requantization:threads:)``: the C
/// scalar reference run on unpacked weights (slow; for tests and validation modes).
/// - Parameters:
///   - a: `[M, K]` int8 activations.
///   - weights: `[N, K]` int8 weights.
///   - bias: N int32 biases, or nil for zeros.
///   - inputZeroPoint: zero point of `a`, in `-128...127`.
///   - requantization: output stage with N scales.
/// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for non-matrices,
///   ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` naming the shapes when K, the bias
///   length or the number of scales disagree, ``TesseraError/invalidArgument(_:)`` for a bad zero point.
/// - Complexity: O(M·N·K).
public func int8GEMMReference(
  _ a: Tensor<Int8>, weights: Tensor<Int8>, bias: [Int32]?, inputZeroPoint: Int32,
  requantization: Requantization
) throws -> Tensor<Int8> {
  guard weights.rank == 2 else {
    throw TesseraError.invalidShape(
      operation: "int8GEMMReference", shape: weights.shape, reason: "expected [N, K] weights")
  }
  let n = weights.shape[0], k = weights.shape[1]
  let (m, _) = try checkInt8GEMM(a, n: n, k: k, requantization: requantization)
  if let bias, bias.count != n {
    throw TesseraError.shapeMismatch(operation: "int8GEMMReference bias", lhs: [n], rhs: [bias.count])
  }
  guard (-128...127).contains(inputZeroPoint) else {
    throw TesseraError.invalidArgument("int8GEMMReference: input zero point \(inputZeroPoint) is outside -128...127")
  }
  var out = try Tensor<Int8>(zeros: [m, n])
  guard m > 0, n > 0 else { return out }
  var params = requantization.cParams
  let dense = a.contiguous(), w = weights.contiguous()
  dense.withUnsafeBufferPointer { aBuf in
    w.withUnsafeBufferPointer { wBuf in
      requantization.scales.withUnsafeBufferPointer { scales in
        out.withUnsafeMutableBufferPointer { cBuf in
          let cPointer = cBuf.baseAddress
          let call = { (biasPointer: UnsafePointer<Int32>?) in
            tsr_qs8_qc8w_gemm_reference(
              m, n, k, aBuf.baseAddress, k, inputZeroPoint, wBuf.baseAddress, k, biasPointer,
              cPointer, n, scales.baseAddress, &params)
          }
          if let bias { bias.withUnsafeBufferPointer { call($0.baseAddress) } } else { call(nil) }
        }
      }
    }
  }
  return out
}

/// Validates A against an `[N, K]` weight matrix and the scales; returns (M, N).
func checkInt8GEMM(
  _ a: Tensor<Int8>, n: Int, k: Int, requantization: Requantization
) throws -> (Int, Int) {
  guard a.rank == 2 else {
    throw TesseraError.invalidShape(operation: "int8GEMM", shape: a.shape, reason: "expected [M, K] activations")
  }
  guard a.shape[1] == k else {
    throw TesseraError.shapeMismatch(operation: "int8GEMM", lhs: a.shape, rhs: [n, k])
  }
  guard requantization.scales.count == n else {
    throw TesseraError.shapeMismatch(
      operation: "int8GEMM requantization scales", lhs: [n], rhs: [requantization.scales.count])
  }
  return (a.shape[0], n)
}
