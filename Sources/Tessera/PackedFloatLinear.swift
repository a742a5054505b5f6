import CTesseraKernels

/// A float Linear layer `y = x · Wᵀ + b` whose weights are packed once for the selected ISA
/// (the f32-gemm kernel family): float in, float out, no quantization.
///
/// At `init` the weights `W[N, K]` and the bias are copied into NR-column panels (k-major,
/// 64-byte aligned) for the best micro-kernel the CPU runs (AVX-512F 12×32, AVX2 + FMA 6×16,
/// scalar). Every ``apply(_:rows:xStride:into:yStride:threads:)`` then streams the panels with
/// MR×NR register tiles over all of K, instead of re-packing the constant weights on each call
/// as a BLAS `sgemm` does. Each output is
///
/// ```
/// y[m][n] = bias[n] + Σ_k x[m][k] · W[n][k]      (k in order, one FMA per term)
/// ```
///
/// with `|y − exact| ≤ 1e-5 · √max(K, 1) · (|b[n]| + Σ_k |x·w|)` (docs/kernels.md, "f32 GEMM
/// with weights packed once"). Activations are not applied; the caller runs them. Typical use:
/// the projections and MLP of a transformer encoder (K, N = 384 or 1536), M = batch × sequence.
///
/// The object is immutable after `init` and holds no scratch: any number of threads may call
/// `apply` at once.
///
/// For example:
/// ```swift
/// let linear = try PackedFloatLinear(weights: w, outputs: 1536, inputs: 384, bias: b)
/// x.withUnsafeBufferPointer { xs in
///   y.withUnsafeMutableBufferPointer { ys in
///     linear.apply(xs.baseAddress!, rows: 128, xStride: 384, into: ys.baseAddress!, yStride: 1536, threads: 2)
///   }
/// }
/// ```
///
/// ### See Also
/// - ``DynamicQuantizedLinear`` for the int8 layer with dynamically quantized activations.
public final class PackedFloatLinear: @unchecked Sendable {
  /// Output features (rows of `W`).
  public let n: Int
  /// Input features (columns of `W`).
  public let k: Int
  /// The instruction-set suffix of the selected kernel: `"avx512f"`, `"avx2"` (AVX2 + FMA) or
  /// `"scalar"`. (The AVX-512 kernel needs AVX-512F only, so it is not an ``ISA`` case.)
  public let isa: String
  /// The micro-kernel's C name, e.g. `tsr_f32_gemm_ukernel_12x32__avx512f`.
  public let kernelName: String
  /// The kernel table entry (static C storage).
  let kernel: UnsafePointer<tsr_f32_gemm_kernel>
  /// The packed weights and bias.
  let buffer: AlignedBuffer

  /// Bytes of packed weights (weights, bias and zero padding of the last panel).
  public var weightBytes: Int { buffer.byteCount }

  /// Packs `W[N, K]` given with one row per output feature ("goi", as a Dense layer's `[out, in]`).
  /// - Parameters:
  ///   - weights: `W[N, K]` row-major (`n · k` values; row `n` = output feature `n`), finite.
  ///   - n: output features (> 0).
  ///   - k: input features (> 0).
  ///   - bias: `n` finite float biases, or nil (zeros).
  ///   - isaOverride: an ISA word (`"scalar"`, `"avx2"`, `"avxvnni"`, `"avx512f"`, `"avx512vnni"`)
  ///     forcing the kernel, or nil to honour `TESSERA_ISA` and otherwise pick the best one.
  /// - Throws: ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` when `weights.count != n · k`
  ///   or `bias.count != n`, ``TesseraError/invalidShape(operation:shape:reason:)`` for a bad
  ///   `n`/`k`, ``TesseraError/invalidArgument(_:)`` for a non-finite weight or bias, and
  ///   ``TesseraError/unsupportedISA(_:)`` with the dispatcher's message.
  /// - Complexity: O(N·K).
  public convenience init(
    weights: [Float], outputs n: Int, inputs k: Int, bias: [Float]?, isaOverride: String? = nil
  ) throws {
    try self.init(weights: weights, n: n, k: k, transposed: false, bias: bias, isaOverride: isaOverride)
  }

  /// Packs `W` given as `[K, N]` row-major, the layout of a MatMul constant (`y = x · W`).
  /// - Parameters:
  ///   - weightsKN: `k · n` values; row `t` holds input feature `t`'s weights for all outputs.
  ///   - k: input features (> 0).
  ///   - n: output features (> 0).
  ///   - bias: `n` finite float biases, or nil.
  ///   - isaOverride: as in ``init(weights:outputs:inputs:bias:isaOverride:)``.
  /// - Throws: as ``init(weights:outputs:inputs:bias:isaOverride:)``.
  /// - Complexity: O(N·K).
  public convenience init(
    weightsKN: [Float], inputs k: Int, outputs n: Int, bias: [Float]?, isaOverride: String? = nil
  ) throws {
    try self.init(weights: weightsKN, n: n, k: k, transposed: true, bias: bias, isaOverride: isaOverride)
  }

  private init(
    weights: [Float], n: Int, k: Int, transposed: Bool, bias: [Float]?, isaOverride: String?
  ) throws {
    let op = "PackedFloatLinear"
    guard n > 0, k > 0 else {
      throw TesseraError.invalidShape(operation: op, shape: [n, k], reason: "N and K must be > 0")
    }
    guard weights.count == n * k else {
      throw TesseraError.shapeMismatch(
        operation: "\(op) weights", lhs: transposed ? [k, n] : [n, k], rhs: [weights.count])
    }
    if let bias, bias.count != n {
      throw TesseraError.shapeMismatch(operation: "\(op) bias", lhs: [n], rhs: [bias.count])
    }
    guard weights.allSatisfy(\.isFinite) else {
      throw TesseraError.invalidArgument("\(op): the weights must be finite")
    }
    if let bias, !bias.allSatisfy(\.isFinite) {
      throw TesseraError.invalidArgument("\(op): the bias must be finite")
    }
    var message = [CChar](repeating: 0, count: 256)
    let selected = message.withUnsafeMutableBufferPointer { buffer in
      isaOverride.map { tsr_f32_gemm_select_kernel_for($0, buffer.baseAddress, buffer.count) }
        ?? tsr_f32_gemm_select_kernel(buffer.baseAddress, buffer.count)
    }
    guard let selected else {
      let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      throw TesseraError.unsupportedISA(text.isEmpty ? "no f32-gemm kernel is available" : text)
    }
    self.n = n
    self.k = k
    self.kernel = selected
    self.isa = String(cString: selected.pointee.isa_name)
    self.kernelName = String(cString: selected.pointee.name)
    buffer = AlignedBuffer(byteCount: tsr_f32_gemm_packed_size(selected, n, k))
    let packed = buffer.pointer
    let entry = selected.pointee
    // [K, N] input: transpose to goi first (a one-time O(N·K) copy at load).
    let goi: [Float]
    if transposed {
      var t = [Float](repeating: 0, count: n * k)
      for row in 0..<k { for col in 0..<n { t[col * k + row] = weights[row * n + col] } }
      goi = t
    } else {
      goi = weights
    }
    goi.withUnsafeBufferPointer { w in
      if let bias {
        bias.withUnsafeBufferPointer { entry.pack(n, k, Int(entry.nr), w.baseAddress, k, $0.baseAddress, packed) }
      } else {
        entry.pack(n, k, Int(entry.nr), w.baseAddress, k, nil, packed)
      }
    }
  }

  /// `y[m, 0..<n] = x[m, 0..<k] · Wᵀ + b` for `rows` rows.
  ///
  /// With `threads > 1` the work is split over ``ThreadPool/shared`` by row blocks (large M)
  /// or by output-column panels (small M); every output is computed by exactly one kernel
  /// call, so the result is the same bits for any `threads`.
  /// - Parameters:
  ///   - x: first input row; rows are `xStride` floats apart.
  ///   - m: number of rows (0 does nothing).
  ///   - xStride: floats between input rows (≥ k).
  ///   - y: first output row; must not overlap `x`.
  ///   - yStride: floats between output rows (≥ n); floats past column n are not written.
  ///   - threads: maximum threads including the caller.
  /// - Precondition: `m ≥ 0`, `xStride ≥ k`, `yStride ≥ n`.
  /// - Complexity: O(M·N·K).
  public func apply(
    _ x: UnsafePointer<Float>, rows m: Int, xStride: Int,
    into y: UnsafeMutablePointer<Float>, yStride: Int, threads: Int = 1
  ) {
    run(x, rows: m, xStride: xStride, into: y, yStride: yStride, threads: threads, pool: .shared)
  }

  /// Array convenience: `x` holds `rows · k` floats row-major; returns `rows · n` floats.
  /// - Precondition: `x.count == rows · k`.
  public func apply(_ x: [Float], rows m: Int, threads: Int = 1) -> [Float] {
    precondition(m >= 0 && x.count == m * k, "PackedFloatLinear.apply: \(x.count) inputs for \(m) rows of \(k)")
    var y = [Float](repeating: 0, count: m * n)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        guard let xp = xs.baseAddress, let yp = ys.baseAddress else { return }
        apply(xp, rows: m, xStride: k, into: yp, yStride: n, threads: threads)
      }
    }
    return y
  }

  /// ``apply(_:rows:xStride:into:yStride:threads:)`` on a given pool (tests pass a private pool).
  func run(
    _ x: UnsafePointer<Float>, rows m: Int, xStride: Int,
    into y: UnsafeMutablePointer<Float>, yStride: Int, threads: Int, pool: ThreadPool
  ) {
    precondition(m >= 0 && xStride >= k && yStride >= n, "PackedFloatLinear.apply: bad rows or strides")
    guard m > 0 else { return }
    let entry = kernel.pointee
    let (n, k, kernel, packed) = (self.n, self.k, self.kernel, UnsafeRawPointer(buffer.pointer))
    let mr = Int(entry.mr), nr = Int(entry.nr)
    let gemm = { (mBegin: Int, mEnd: Int, nBegin: Int, nEnd: Int) in
      tsr_f32_gemm_run(kernel, mBegin, mEnd, nBegin, nEnd, k, x, xStride, packed, y, yStride)
    }
    Int8GEMMPartition(m: m, n: n, k: k, mr: mr, nr: nr, threads: threads).run(m: m, n: n, mr: mr, nr: nr, pool: pool, gemm)
  }
}
