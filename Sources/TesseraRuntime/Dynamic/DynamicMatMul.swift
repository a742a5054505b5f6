import Tessera
import TesseraGraph

/// Batched float MatMul on strided operands: the engine of ``DynamicStepKind/matMul(aPerm:bPerm:outPerm:)``.
enum DynamicMatMul {
  /// A matrix operand as sgemm reads it: base offsets per batch index, and (transposed, ld).
  struct Operand {
    let shape: [Int]
    let strides: [Int]
  }

  /// Logical shape and element strides of a contiguous tensor of `shape` read through `perm`.
  static func view(_ shape: [Int], perm: [Int]?) throws -> Operand {
    var contiguous = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { contiguous[i] = contiguous[i + 1] * shape[i + 1] }
    guard let perm else { return Operand(shape: shape, strides: contiguous) }
    guard perm.count == shape.count, Set(perm) == Set(0..<shape.count) else {
      throw EngineError.invalidInput("transpose perm \(perm) does not fit shape \(shape)")
    }
    return Operand(shape: perm.map { shape[$0] }, strides: perm.map { contiguous[$0] })
  }

  /// sgemm's reading of a rows × cols matrix with the given strides: (transposed, leading dimension),
  /// or nil when neither stride is 1.
  static func layout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (Bool, Int)? {
    if colStride == 1 || cols == 1, rows == 1 || rowStride >= cols { return (false, max(rows == 1 ? cols : rowStride, 1)) }
    if rowStride == 1 || rows == 1, cols == 1 || colStride >= rows { return (true, max(cols == 1 ? rows : colStride, 1)) }
    return nil
  }

  static func run(
    a: DynamicValue, aPerm: [Int]?, b: DynamicValue, bPerm: [Int]?, outPerm: [Int]?, pool: BufferPool, what: String,
    into result: inout DynamicValue
  ) throws {
    var va = try view(a.shape, perm: aPerm), vb = try view(b.shape, perm: bPerm)
    guard va.shape.count >= 2, vb.shape.count >= 2 else {
      throw EngineError.invalidInput("\(what): MatMul operands must have rank ≥ 2, got \(va.shape) and \(vb.shape)")
    }
    let rank = max(va.shape.count, vb.shape.count)
    func pad(_ v: Operand) -> Operand {
      Operand(shape: [Int](repeating: 1, count: rank - v.shape.count) + v.shape, strides: [Int](repeating: 0, count: rank - v.shape.count) + v.strides)
    }
    va = pad(va)
    vb = pad(vb)
    let m = va.shape[rank - 2], k = va.shape[rank - 1], kb = vb.shape[rank - 2], n = vb.shape[rank - 1]
    guard k == kb, let batch = DynamicKernels.broadcast(Array(va.shape.dropLast(2)), Array(vb.shape.dropLast(2))) else {
      throw EngineError.invalidInput("\(what): shapes \(va.shape) and \(vb.shape) do not multiply")
    }
    let logicalOut = batch + [m, n]
    let physical = try outPerm.map { p in
      guard p.count == rank, Set(p) == Set(0..<rank), p[rank - 1] == rank - 1 else {
        throw EngineError.invalidInput("\(what): output perm \(p) does not fit rank \(rank)")
      }
      return p.map { logicalOut[$0] }
    } ?? logicalOut
    var outStrides = try view(physical, perm: nil).strides
    if let p = outPerm {
      var logical = [Int](repeating: 0, count: rank)
      for (j, i) in p.enumerated() { logical[i] = outStrides[j] }
      outStrides = logical
    }
    let buffer = pool.take(physical.reduce(1, *))
    result = .buffer(buffer, shape: physical)
    // Operands whose matrices sgemm cannot read in place are copied contiguous first.
    var temporaries: [PooledBuffer] = []
    defer { for t in temporaries { pool.give(t) } }
    func prepared(_ v: DynamicValue, _ op: Operand, _ perm: [Int]?) throws -> (DynamicValue, Operand, (Bool, Int)) {
      let r = op.shape[rank - 2], c = op.shape[rank - 1]
      if let l = layout(rows: r, cols: c, rowStride: op.strides[rank - 2], colStride: op.strides[rank - 1]) { return (v, op, l) }
      let copy = pool.take(v.shape.reduce(1, *))
      temporaries.append(copy)
      let order = perm ?? Array(0..<v.shape.count)
      try v.withFloats(what) { p, s in DynamicKernels.transpose(p, s, order, copy.pointer) }
      let shape = order.map { v.shape[$0] }
      return (.buffer(copy, shape: shape), pad(try view(shape, perm: nil)), (false, max(c, 1)))
    }
    let (xa, oa, la) = try prepared(a, va, aPerm)
    let (xb, ob, lb) = try prepared(b, vb, bPerm)
    let count = batch.reduce(1, *)
    guard count > 0, m > 0, n > 0 else { return }
    let c = buffer.pointer
    try xa.withFloats(what) { pa, _ in
      try xb.withFloats(what) { pb, _ in
        var index = [Int](repeating: 0, count: rank - 2)
        for _ in 0..<count {
          var offA = 0, offB = 0, offC = 0
          for d in 0..<(rank - 2) {
            if oa.shape[d] != 1 { offA += index[d] * oa.strides[d] }
            if ob.shape[d] != 1 { offB += index[d] * ob.strides[d] }
            offC += index[d] * outStrides[d]
          }
          if k == 0 {
            for r in 0..<m { for j in 0..<n { c[offC + r * outStrides[rank - 2] + j] = 0 } }
          } else {
            BLAS.sgemm(
              transposeA: la.0, transposeB: lb.0, m: m, n: n, k: k, alpha: 1, a: pa + offA, lda: la.1, b: pb + offB, ldb: lb.1,
              beta: 0, c: c + offC, ldc: max(outStrides[rank - 2], n))
          }
          var d = rank - 3
          while d >= 0 {
            index[d] += 1
            if index[d] < batch[d] { break }
            index[d] = 0
            d -= 1
          }
        }
      }
    }
  }
}
