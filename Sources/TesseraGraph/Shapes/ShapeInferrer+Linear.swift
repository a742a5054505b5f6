/// Shape rules for Gemm and MatMul (and their quantized and fused forms).
extension ShapeInferrer {
  /// Gemm: `A' [M, K] · B' [K, N] → [M, N]` (`'` = transposed when transA/transB), with C
  /// unidirectionally broadcastable to `[M, N]`.
  /// - Parameters:
  ///   - a: input index of A; `b`: of B; `c`: of C (may be omitted).
  ///   - elementType: the output element type (nil when unknown).
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` for a rank other than 2, inner
  ///   dimensions that differ or a C that does not broadcast.
  func gemm(_ n: Node, a ai: Int, b bi: Int, c ci: Int, elementType: ElementType?) throws -> TensorType? {
    guard let elementType else { return nil }
    let transA = try n.int("transA", default: 0) != 0, transB = try n.int("transB", default: 0) != 0
    let a = shape(n, ai), b = shape(n, bi)
    for (s, i) in [(a, ai), (b, bi)] where s != nil && s!.count != 2 {
      throw fail(n, "\(describe(n, i)) must have rank 2")
    }
    if let ka = a.map({ transA ? $0[0] : $0[1] })?.value, let kb = b.map({ transB ? $0[1] : $0[0] })?.value, ka != kb {
      throw fail(
        n, "inner dimensions differ: A \(describe(n, ai)) gives K = \(ka) and B \(describe(n, bi)) gives K = \(kb) (transA \(transA ? 1 : 0), transB \(transB ? 1 : 0))")
    }
    guard a != nil || b != nil else { return TensorType(elementType, nil) }
    let out = [a.map { transA ? $0[1] : $0[0] } ?? fresh(n), b.map { transB ? $0[0] : $0[1] } ?? fresh(n)]
    if let c = shape(n, ci) {
      guard c.count <= 2 else { throw fail(n, "C \(describe(n, ci)) has rank > 2") }
      for (i, d) in c.enumerated() {
        let target = out[2 - c.count + i]
        if let v = d.value, v != 1, let t = target.value, t != v {
          throw fail(n, "C \(describe(n, ci)) does not broadcast to \(TensorType(elementType, out))")
        }
      }
    }
    return TensorType(elementType, out)
  }

  /// MatMul (NumPy semantics): 1-D operands are promoted and the added axis removed, batch axes
  /// broadcast, `a[-1]` must equal `b[-2]` when both are fixed.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` naming both shapes.
  func matMul(_ n: Node, a ai: Int, b bi: Int, elementType: ElementType?) throws -> TensorType? {
    guard let elementType else { return nil }
    guard var a = shape(n, ai), var b = shape(n, bi) else { return TensorType(elementType, nil) }
    guard !a.isEmpty, !b.isEmpty else { throw fail(n, "MatMul operands must have rank ≥ 1: \(describe(n, ai)), \(describe(n, bi))") }
    let vectorA = a.count == 1, vectorB = b.count == 1
    if vectorA { a.insert(.fixed(1), at: 0) }
    if vectorB { b.append(.fixed(1)) }
    if let ka = a[a.count - 1].value, let kb = b[b.count - 2].value, ka != kb {
      throw fail(n, "inner dimensions differ: \(describe(n, ai)) has K = \(ka), \(describe(n, bi)) has K = \(kb)")
    }
    var out = try broadcast(
      n, [Array(a.dropLast(2)), Array(b.dropLast(2))], names: [describe(n, ai), describe(n, bi)])
    if !vectorA { out.append(a[a.count - 2]) }
    if !vectorB { out.append(b[b.count - 1]) }
    return TensorType(elementType, out)
  }
}
