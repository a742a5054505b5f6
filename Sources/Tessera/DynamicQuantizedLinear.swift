import CTesseraKernels

/// A Linear layer `y = x · Wᵀ + b` run in int8 with dynamically quantized activations
/// (the qd8-f32-qc8w kernel family): float in, float out.
///
/// The weights `W[N, K]` are quantized once, symmetrically per output channel
/// (`w_n = max_k |W[n][k]| / 127`, codes `−127…127`, round half to even), and packed with
/// their column sums for the selected ISA. Every ``apply(_:rows:xStride:into:yStride:threads:)``
/// quantizes each activation row to uint8 with its own scale and zero point (the row's range
/// widened to contain 0, as ONNX `DynamicQuantizeLinear`), runs an exact int32 GEMM and writes
///
/// ```
/// y[m][n] = (float)(Σ_k q[m][k]·W[n][k] − zp_m · Σ_k W[n][k]) · (s_m · w_n) + b[n]
/// ```
///
/// with two roundings (never an FMA), so the output is bit for bit the same on every ISA
/// (docs/quantization.md, "Dynamic quantization"). Typical use: the projections and MLP of a
/// transformer encoder (K, N = 384 or 1536), with M = batch × sequence rows.
///
/// The object is immutable after `init` and holds no scratch: any number of threads may call
/// `apply` at once.
///
/// For example:
/// ```swift
/// let linear = try DynamicQuantizedLinear(weights: w, outputs: 1536, inputs: 384, bias: b)
/// x.withUnsafeBufferPointer { xs in
///   y.withUnsafeMutableBufferPointer { ys in
///     linear.apply(xs.baseAddress!, rows: 128, xStride: 384, into: ys.baseAddress!, yStride: 1536, threads: 2)
///   }
/// }
/// ```
///
/// ### See Also
/// - ``PackedInt8Weights`` and ``int8GEMM(_:m:aStride:weights:requantization:output:outputStride:threads:)``
///   for statically quantized int8 → int8 layers.
public final class DynamicQuantizedLinear: @unchecked Sendable {
  /// Output features (rows of `W`).
  public let n: Int
  /// Input features (columns of `W`).
  public let k: Int
  /// The ISA of the selected kernels.
  public let isa: ISA
  /// The GEMM micro-kernel's C name, e.g. `tsr_qd8_f32_qc8w_gemm_ukernel_12x32c4__avx512vnni`.
  public let kernelName: String
  /// The row quantizer's C name, e.g. `tsr_f32_qd8_quantize_ukernel__avx512`.
  public let quantizeKernelName: String
  /// The per-output-channel weight scales `w_n`.
  public let weightScales: [Float]
  /// Calibrated activation parameters used for every row instead of each row's own range, or
  /// nil for dynamic (per-row) quantization.
  public let staticActivation: StaticActivationQuantization?
  /// The kernel table entry (static C storage).
  let kernel: UnsafePointer<tsr_qd8_kernel>
  /// The packed weights, column sums, scales and bias.
  let buffer: AlignedBuffer

  /// Bytes of packed weights (int8 codes, column sums, scales, bias and panel padding).
  public var weightBytes: Int { buffer.byteCount }

  /// Largest K for which the int32 accumulators are exact in the worst case (255 · 128 · K < 2³¹).
  public static let maximumInputs = 65_793

  /// The ISA whose kernels new layers pick (honouring `TESSERA_ISA`), or nil when the
  /// override names an unusable ISA. On a CPU with AMX this is ``ISA/avx512amx`` while
  /// the static int8 kernels run ``ISA/avx512vnni``.
  public static var selectedISA: ISA? {
    tsr_qd8_select_kernel(nil, 0).flatMap { ISA($0.pointee.isa) }
  }

  /// Quantizes float weights per output channel and packs them.
  /// - Parameters:
  ///   - weights: `W[N, K]` row-major (`n · k` values; row `n` = output feature `n`), finite.
  ///   - n: output features (> 0).
  ///   - k: input features (1…``maximumInputs``).
  ///   - bias: `n` float biases, or nil.
  ///   - isaOverride: an ISA word (`"scalar"`, `"avx2"`, `"avx512vnni"`) forcing the kernels,
  ///     or nil to honour `TESSERA_ISA` and otherwise pick the best supported ISA.
  /// - Throws: ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` when `weights.count != n · k`
  ///   or `bias.count != n`, ``TesseraError/invalidShape(operation:shape:reason:)`` for a bad
  ///   `n`/`k`, ``TesseraError/invalidArgument(_:)`` for a non-finite weight or bias, and
  ///   ``TesseraError/unsupportedISA(_:)`` with the dispatcher's message.
  /// - Complexity: O(N·K).
  public convenience init(
    weights: [Float], outputs n: Int, inputs k: Int, bias: [Float]?, isaOverride: String? = nil
  ) throws {
    try Self.checkShape(n: n, k: k)
    guard weights.count == n * k else {
      throw TesseraError.shapeMismatch(operation: "DynamicQuantizedLinear weights", lhs: [n, k], rhs: [weights.count])
    }
    guard weights.allSatisfy(\.isFinite) else {
      throw TesseraError.invalidArgument("DynamicQuantizedLinear: the weights must be finite")
    }
    let (codes, scales) = Self.quantizeWeights(weights, n: n, k: k)
    try self.init(int8: codes, scales: scales, n: n, k: k, bias: bias, isaOverride: isaOverride)
  }

  /// Packs already-quantized weights.
  /// - Parameters:
  ///   - weights: int8 codes `W[N, K]` row-major (symmetric, normally `−127…127`; `−128` is accepted).
  ///   - scales: `n` per-output-channel scales (finite, > 0).
  ///   - n: output features (> 0).
  ///   - k: input features (1…``maximumInputs``).
  ///   - bias: `n` float biases, or nil.
  ///   - isaOverride: as in ``init(weights:outputs:inputs:bias:isaOverride:)``.
  ///   - staticActivation: calibrated activation parameters for every row (static
  ///     quantization), or nil to quantize each row with its own range.
  /// - Throws: as ``init(weights:outputs:inputs:bias:isaOverride:)``; a scale that is not finite
  ///   and positive is an ``TesseraError/invalidArgument(_:)``; multipliers of a length other
  ///   than `k` are a ``TesseraError/shapeMismatch(operation:lhs:rhs:)``.
  /// - Complexity: O(N·K).
  public init(
    int8 weights: [Int8], scales: [Float], n: Int, k: Int, bias: [Float]?, isaOverride: String? = nil,
    staticActivation: StaticActivationQuantization? = nil
  ) throws {
    let op = "DynamicQuantizedLinear"
    try Self.checkShape(n: n, k: k)
    guard weights.count == n * k else {
      throw TesseraError.shapeMismatch(operation: "\(op) weights", lhs: [n, k], rhs: [weights.count])
    }
    guard scales.count == n else {
      throw TesseraError.shapeMismatch(operation: "\(op) scales", lhs: [n], rhs: [scales.count])
    }
    if let bias, bias.count != n {
      throw TesseraError.shapeMismatch(operation: "\(op) bias", lhs: [n], rhs: [bias.count])
    }
    guard scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw TesseraError.invalidArgument("\(op): weight scales must be finite and positive")
    }
    if let bias, !bias.allSatisfy(\.isFinite) {
      throw TesseraError.invalidArgument("\(op): the bias must be finite")
    }
    if let m = staticActivation?.multipliers, m.count != k {
      throw TesseraError.shapeMismatch(operation: "\(op) SmoothQuant multipliers", lhs: [k], rhs: [m.count])
    }
    var message = [CChar](repeating: 0, count: 256)
    let selected = message.withUnsafeMutableBufferPointer { buffer in
      isaOverride.map { tsr_qd8_select_kernel_for($0, buffer.baseAddress, buffer.count) }
        ?? tsr_qd8_select_kernel(buffer.baseAddress, buffer.count)
    }
    guard let selected else {
      let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      throw TesseraError.unsupportedISA(text.isEmpty ? "no qd8-f32-qc8w kernel is available" : text)
    }
    guard let isa = ISA(selected.pointee.isa) else {
      throw TesseraError.unsupportedISA("\(op): the selected kernel has an unknown ISA")
    }
    self.n = n
    self.k = k
    self.isa = isa
    self.kernel = selected
    self.kernelName = String(cString: selected.pointee.name)
    self.quantizeKernelName = String(cString: selected.pointee.quantize_name)
    self.weightScales = scales
    self.staticActivation = staticActivation
    buffer = AlignedBuffer(byteCount: tsr_qd8_f32_qc8w_packed_size(selected, n, k))
    let packed = buffer.pointer
    let entry = selected.pointee
    weights.withUnsafeBufferPointer { w in
      scales.withUnsafeBufferPointer { s in
        let pack = { (b: UnsafePointer<Float>?) in
          entry.pack(n, k, Int(entry.nr), Int(entry.kr), w.baseAddress, k, s.baseAddress, b, packed)
        }
        if let bias { bias.withUnsafeBufferPointer { pack($0.baseAddress) } } else { pack(nil) }
      }
    }
  }

  /// Symmetric per-channel quantization of float weights `W[N, K]` (the rule of
  /// ``init(weights:outputs:inputs:bias:isaOverride:)``): `w_n = max_k |W[n][k]| / 127`
  /// (1 for an all-zero row), `q = clamp(rint(W / w_n), −127, 127)`, round half to even.
  /// - Parameters:
  ///   - weights: `n · k` finite floats, row-major.
  ///   - n: rows.
  ///   - k: columns.
  /// - Returns: the int8 codes (row-major) and the `n` scales.
  public static func quantizeWeights(_ weights: [Float], n: Int, k: Int) -> (weights: [Int8], scales: [Float]) {
    precondition(weights.count == n * k, "quantizeWeights: \(weights.count) values for [\(n), \(k)]")
    var codes = [Int8](repeating: 0, count: n * k)
    var scales = [Float](repeating: 1, count: n)
    for row in 0..<n {
      let values = weights[(row * k)..<(row * k + k)]
      let maxAbs = values.reduce(Float(0)) { Swift.max($0, abs($1)) }
      let scale = maxAbs > 0 ? maxAbs / 127 : 1
      scales[row] = scale
      for (i, v) in values.enumerated() {
        let q = (v / scale).rounded(.toNearestOrEven)
        codes[row * k + i] = Int8(Swift.min(Swift.max(q, -127), 127))
      }
    }
    return (codes, scales)
  }

  /// `y[m, 0..<n] = quantized(x[m, 0..<k]) · Wᵀ + b` for `rows` rows.
  ///
  /// The activations are quantized into scratch owned by this call (no shared state). With
  /// `threads > 1` the work is split over ``ThreadPool/shared`` by row blocks (large M; each
  /// block quantizes its own rows) or by output-column panels (small M); the result is the
  /// same bits for any `threads`.
  /// - Parameters:
  ///   - x: first input row; rows are `xStride` floats apart; values must be finite.
  ///   - m: number of rows (0 does nothing).
  ///   - xStride: floats between input rows (≥ k).
  ///   - y: first output row.
  ///   - yStride: floats between output rows (≥ n).
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
    precondition(m >= 0 && x.count == m * k, "DynamicQuantizedLinear.apply: \(x.count) inputs for \(m) rows of \(k)")
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
    precondition(m >= 0 && xStride >= k && yStride >= n, "DynamicQuantizedLinear.apply: bad rows or strides")
    guard m > 0 else { return }
    let entry = kernel.pointee
    let (n, k, kernel, packed) = (self.n, self.k, self.kernel, UnsafeRawPointer(buffer.pointer))
    let q = UnsafeMutablePointer<UInt8>.allocate(capacity: m * k)
    let params = UnsafeMutablePointer<tsr_qd8_params>.allocate(capacity: m)
    defer {
      q.deallocate()
      params.deallocate()
    }
    let mr = Int(entry.mr), nr = Int(entry.nr)
    let quantize: (Int, Int) -> Void
    if let fixed = staticActivation {
      let p = fixed.params
      let multipliers = fixed.multipliers
      quantize = { (begin: Int, end: Int) in
        let rows = (end - begin, x + begin * xStride, q + begin * k, params + begin)
        if let multipliers {
          multipliers.withUnsafeBufferPointer {
            tsr_f32_qd8_quantize_static(rows.0, k, rows.1, xStride, $0.baseAddress, p, rows.2, k, rows.3)
          }
        } else {
          tsr_f32_qd8_quantize_static(rows.0, k, rows.1, xStride, nil, p, rows.2, k, rows.3)
        }
      }
    } else {
      quantize = { (begin: Int, end: Int) in
        entry.quantize(end - begin, k, x + begin * xStride, xStride, q + begin * k, k, params + begin)
      }
    }
    let gemm = { (mBegin: Int, mEnd: Int, nBegin: Int, nEnd: Int) in
      tsr_qd8_f32_qc8w_gemm_run(kernel, mBegin, mEnd, nBegin, nEnd, k, q, k, params, packed, y, yStride)
    }
    Int8GEMMPartition(m: m, n: n, k: k, mr: mr, nr: nr, threads: threads)
      .run(m: m, n: n, mr: mr, nr: nr, pool: pool, prepareRows: quantize, gemm)
  }

  /// Rejects non-positive sizes and K beyond the exact-accumulation limit.
  private static func checkShape(n: Int, k: Int) throws {
    guard n > 0, k > 0 else {
      throw TesseraError.invalidShape(operation: "DynamicQuantizedLinear", shape: [n, k], reason: "N and K must be > 0")
    }
    guard k <= maximumInputs else {
      throw TesseraError.invalidShape(
        operation: "DynamicQuantizedLinear", shape: [n, k],
        reason: "K above \(maximumInputs) can overflow the int32 accumulator")
    }
  }
}
