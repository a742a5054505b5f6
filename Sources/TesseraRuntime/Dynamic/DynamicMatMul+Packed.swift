import CTesseraKernels
import Tessera

/// The AVX-512F f32-gemm kernel when the CPU runs it (honours `TESSERA_ISA`), else nil.
nonisolated(unsafe) let attentionGemmKernel: UnsafePointer<tsr_f32_gemm_kernel>? = {
  guard let k = tsr_f32_gemm_select_kernel(nil, 0), String(cString: k.pointee.isa_name) == "avx512f" else { return nil }
  return k
}()

extension DynamicMatMul {
  /// Scratch for ``product(_:m:n:k:a:lda:b:bTransposed:ldb:c:ldc:)``: packed B and a transposed copy.
  struct PackScratch {
    let packed: PooledBuffer
    let transposed: PooledBuffer
  }

  /// Scratch big enough for one `k × n` B, or nil when the packed kernel is not used.
  static func packScratch(n: Int, k: Int, pool: BufferPool) -> PackScratch? {
    guard let kernel = attentionGemmKernel else { return nil }
    let bytes = tsr_f32_gemm_packed_size(kernel, n, k)
    return PackScratch(packed: pool.take((bytes + 3) / 4), transposed: pool.take(n * k))
  }

  /// `C[m × n] = A[m × k] · B[k × n]` for one batch entry: A row-major (row stride `lda`), C with
  /// row stride `ldc`; B as sgemm reads it (`bTransposed`: element (k, n) at `n·ldb + k`, else at
  /// `k·ldb + n`). With scratch (AVX-512F), B is packed once into the f32-gemm layout (read in
  /// place when transposed, through a transposed copy otherwise) and the 12×32 kernel runs: at
  /// attention's 128 × 32 × 128 products this is several times OpenBLAS's per-call cost
  /// (docs/transformers.md). Without scratch, sgemm.
  static func product(
    _ scratch: PackScratch?, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
    bTransposed: Bool, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard let scratch, let kernel = attentionGemmKernel else {
      BLAS.sgemm(
        transposeA: false, transposeB: bTransposed, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
        beta: 0, c: c, ldc: ldc)
      return
    }
    // W[n][k] = B[k][n] with row stride over n.
    var w = b, wStride = ldb
    if !bTransposed {
      let t = scratch.transposed.pointer
      for kk in 0..<k { for j in 0..<n { t[j * k + kk] = b[kk * ldb + j] } }
      w = UnsafePointer(t)
      wStride = k
    }
    let packed = UnsafeMutableRawPointer(scratch.packed.pointer)
    kernel.pointee.pack(n, k, Int(kernel.pointee.nr), w, wStride, nil, packed)
    tsr_f32_gemm_run(kernel, 0, m, 0, n, k, a, lda, packed, c, ldc)
  }
}
