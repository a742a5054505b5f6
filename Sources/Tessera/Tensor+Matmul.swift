/// Matrix product of two rank-2 float tensors through `cblas_sgemm`.
///
/// Strided views are passed to BLAS without copying when their inner stride is 1
/// (or their outer stride is 1, which is read as a transposed operand).
///
/// For example:
/// ```swift
/// let c = try matmul(a, b, transposeB: true)   // a · bᵀ
/// ```
/// - Throws: ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` when the inner
///   dimensions differ, ``TesseraError/invalidShape(operation:shape:reason:)`` when an operand is not rank 2.
/// - Complexity: O(m·n·k).
public func matmul(
  _ a: Tensor<Float>, _ b: Tensor<Float>, transposeA: Bool = false, transposeB: Bool = false
) throws -> Tensor<Float> {
  let (m, ka) = try matrixDims(a, transposed: transposeA, "matmul")
  let (kb, n) = try matrixDims(b, transposed: transposeB, "matmul")
  guard ka == kb else {
    throw TesseraError.shapeMismatch(
      operation: "matmul", lhs: transposeA ? a.shape.reversed() : a.shape,
      rhs: transposeB ? b.shape.reversed() : b.shape)
  }
  var c = try Tensor<Float>(zeros: [m, n])
  try gemm(a, b, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0, into: &c)
  return c
}

/// `c ← alpha · op(a) · op(b) + beta · c` on rank-2 float tensors.
/// - Throws: ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` when shapes disagree.
/// - Complexity: O(m·n·k).
public func gemm(
  _ a: Tensor<Float>, _ b: Tensor<Float>, transposeA: Bool = false, transposeB: Bool = false,
  alpha: Float = 1, beta: Float = 0, into c: inout Tensor<Float>
) throws {
  let (m, k) = try matrixDims(a, transposed: transposeA, "gemm")
  let (kb, n) = try matrixDims(b, transposed: transposeB, "gemm")
  guard k == kb else {
    throw TesseraError.shapeMismatch(operation: "gemm", lhs: a.shape, rhs: b.shape)
  }
  guard c.shape == [m, n] else {
    throw TesseraError.shapeMismatch(operation: "gemm output", lhs: [m, n], rhs: c.shape)
  }
  let (aT, lda, aView) = blasOperand(a, transposed: transposeA)
  let (bT, ldb, bView) = blasOperand(b, transposed: transposeB)
  if k == 0 {
    // BLAS leaves C untouched for k == 0 only when beta == 1; scale explicitly.
    c.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices { buffer[i] = beta == 0 ? 0 : beta * buffer[i] }
    }
    return
  }
  aView.withUnsafeStorage { aBuf, aOff, _ in
    bView.withUnsafeStorage { bBuf, bOff, _ in
      c.withUnsafeMutableBufferPointer { cBuf in
        BLAS.sgemm(
          transposeA: aT, transposeB: bT, m: m, n: n, k: k, alpha: alpha,
          a: aBuf.baseAddress! + aOff, lda: lda, b: bBuf.baseAddress! + bOff, ldb: ldb,
          beta: beta, c: cBuf.baseAddress!, ldc: Swift.max(n, 1))
      }
    }
  }
}

/// (rows, cols) of op(t), validating rank 2.
func matrixDims(_ t: Tensor<Float>, transposed: Bool, _ op: String) throws -> (Int, Int) {
  guard t.rank == 2 else {
    throw TesseraError.invalidShape(operation: op, shape: t.shape, reason: "expected a rank-2 matrix")
  }
  return transposed ? (t.shape[1], t.shape[0]) : (t.shape[0], t.shape[1])
}

/// How to hand a 2-D view to row-major BLAS: (transpose flag, leading dimension, view to read).
func blasOperand(_ t: Tensor<Float>, transposed: Bool) -> (Bool, Int, Tensor<Float>) {
  let rows = t.shape[0], cols = t.shape[1]
  if t.strides[1] == 1 || cols == 1 {
    return (transposed, Swift.max(t.strides[0], cols, 1), t)
  }
  if t.strides[0] == 1 || rows == 1 {
    // Column-major view = row-major storage of its transpose.
    return (!transposed, Swift.max(t.strides[1], rows, 1), t)
  }
  let copy = t.contiguous()
  return (transposed, Swift.max(cols, 1), copy)
}
