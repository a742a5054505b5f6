/// The shapes of a numpy-style (batched, broadcasting) matrix product.
struct MatMulPlan {
  /// Rows of each A matrix, inner size, columns of each B matrix.
  var m = 1, k = 1, n = 1
  /// Output shape (1-D operands' unit dimensions removed).
  var outputShape: [Int] = []
  /// Start offsets of the A and B matrices for each output matrix.
  var aStarts: [Int] = [], bStarts: [Int] = []

  init(_ c: KernelContext, _ a: [Int], _ b: [Int]) throws {
    guard !a.isEmpty, !b.isEmpty else { throw c.error("MatMul needs inputs of rank ≥ 1, got \(a) and \(b)") }
    let a2 = a.count == 1 ? [1, a[0]] : a
    let b2 = b.count == 1 ? [b[0], 1] : b
    m = a2[a2.count - 2]
    k = a2[a2.count - 1]
    n = b2[b2.count - 1]
    guard b2[b2.count - 2] == k else {
      throw c.error("inner dimensions differ: A \(a) has \(k) columns, B \(b) has \(b2[b2.count - 2]) rows")
    }
    let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
    guard let batch = TensorLayout.broadcast(aBatch, bBatch) else {
      throw c.error("cannot broadcast batch dimensions \(aBatch) and \(bBatch)")
    }
    outputShape = batch + (a.count == 1 ? [] : [m]) + (b.count == 1 ? [] : [n])
    _ = try c.count(batch + [m, n])
    aStarts = TensorLayout.offsets(
      shape: batch, strides: TensorLayout.broadcastStrides(from: aBatch, to: batch).map { $0 &* m &* k })
    bStarts = TensorLayout.offsets(
      shape: batch, strides: TensorLayout.broadcastStrides(from: bBatch, to: batch).map { $0 &* k &* n })
  }

  /// The product in double precision (each element one rounding-free sum, rounded by the caller).
  func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: aStarts.count * m * n)
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        out.withUnsafeMutableBufferPointer { yp in
          for batch in 0..<aStarts.count {
            let ao = aStarts[batch], bo = bStarts[batch], yo = batch * m * n
            for i in 0..<m {
              for kk in 0..<k {
                let aik = ap[ao + i * k + kk], row = bo + kk * n
                for j in 0..<n { yp[yo + i * n + j] += aik * bp[row + j] }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// The product of integers with wrapping arithmetic; `aRow`/`bColumn` give each row's / column's
  /// zero point to subtract (one element = per tensor).
  func multiply(_ a: [Int], _ b: [Int], aZero: [Int] = [0], bZero: [Int] = [0]) -> [Int] {
    var out = [Int](repeating: 0, count: aStarts.count * m * n)
    out.withUnsafeMutableBufferPointer { yp in
      for batch in 0..<aStarts.count {
        let ao = aStarts[batch], bo = bStarts[batch], yo = batch * m * n
        for i in 0..<m {
          let za = aZero.count == 1 ? aZero[0] : aZero[i]
          for kk in 0..<k {
            let aik = a[ao + i * k + kk] &- za, row = bo + kk * n
            for j in 0..<n {
              let zb = bZero.count == 1 ? bZero[0] : bZero[j]
              yp[yo + i * n + j] = yp[yo + i * n + j] &+ aik &* (b[row + j] &- zb)
            }
          }
        }
      }
    }
    return out
  }
}

extension OperatorKernels {
  /// MatMul (numpy semantics) for float32, float64, int32 and int64.
  static func matMul(_ c: KernelContext) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    try c.requireSameType(a, b, "A and B")
    let plan = try MatMulPlan(c, a.shape, b.shape)
    switch a.elementType {
    case .float32, .float64:
      return try c.floatTensor(plan.multiply(try c.floats(a, "A"), try c.floats(b, "B")), plan.outputShape, as: a.elementType)
    case .int32:
      let y = plan.multiply(a.integers!, b.integers!)
      return try c.tensor(.int32(y.map { Int32(truncatingIfNeeded: $0) }), plan.outputShape)
    case .int64:
      return try c.tensor(.int64(plan.multiply(a.integers!, b.integers!).map { Int64($0) }), plan.outputShape)
    default: throw c.error("'A' is \(a.elementType), expected float32, float64, int32 or int64")
    }
  }

  /// Gemm: Y = alpha · A′ · B′ + beta · C (A′, B′ optionally transposed; C optional and
  /// broadcast to [M, N]; skipped when beta is 0), float32 and float64.
  static func gemm(_ c: KernelContext) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    try c.requireSameType(a, b, "A and B")
    guard a.shape.count == 2, b.shape.count == 2 else {
      throw c.error("A and B must be 2-D, got \(a.shape) and \(b.shape)")
    }
    let transA = try c.int("transA", 0) != 0, transB = try c.int("transB", 0) != 0
    let alpha = Double(try c.float("alpha", 1)), beta = Double(try c.float("beta", 1))
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == kb else {
      throw c.error("inner dimensions differ: A′ is [\(m), \(k)], B′ is [\(kb), \(n)] (A \(a.shape), B \(b.shape), transA \(transA ? 1 : 0), transB \(transB ? 1 : 0))")
    }
    let count = try c.count([m, n])
    var x = try c.floats(a, "A")
    let w = try c.floats(b, "B")
    if transA { x = TensorLayout.gather(x, TensorLayout.offsets(shape: [m, k], strides: [1, m])) }
    var y: [Double]
    if transB {
      // B is [N, K]: each output is a dot product of two contiguous rows.
      y = [Double](repeating: 0, count: count)
      x.withUnsafeBufferPointer { xp in
        w.withUnsafeBufferPointer { wp in
          for i in 0..<m {
            for j in 0..<n {
              var sum = 0.0
              for kk in 0..<k { sum += xp[i * k + kk] * wp[j * k + kk] }
              y[i * n + j] = sum
            }
          }
        }
      }
    } else {
      y = try MatMulPlan(c, [m, k], [k, n]).multiply(x, w)
    }
    if alpha != 1 { for i in 0..<count { y[i] *= alpha } }
    if let bias = c.optionalInput(2), beta != 0 {
      try c.requireSameType(bias, a, "C and A")
      guard bias.shape.count <= 2, TensorLayout.broadcast(bias.shape, [m, n]) == [m, n] else {
        throw c.error("C \(bias.shape) does not broadcast to [\(m), \(n)]")
      }
      let values = try c.floats(bias, "C")
      let offsets = TensorLayout.broadcastOffsets(from: bias.shape, to: [m, n])
      for i in 0..<count { y[i] += beta * values[offsets?[i] ?? i] }
    }
    return try c.floatTensor(y, [m, n], as: a.elementType)
  }

  /// A zero point (or scale) input that is per tensor (one element) or a vector of `length`.
  static func quantParameter(_ c: KernelContext, _ t: GraphTensor?, _ name: String, length: Int, what: String) throws -> GraphTensor? {
    guard let t else { return nil }
    guard t.count == 1 || (t.shape.count == 1 && t.count == length) else {
      throw c.error("'\(name)' must be a scalar or \(what) vector of \(length), got shape \(t.shape)")
    }
    return t
  }

  /// MatMulInteger: (A − a_zero_point) · (B − b_zero_point) in int32; zero points per tensor,
  /// per row of A, per column of B.
  static func matMulInteger(_ c: KernelContext) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    try c.require(a, "A", [.int8, .uint8])
    try c.require(b, "B", [.int8, .uint8])
    let plan = try MatMulPlan(c, a.shape, b.shape)
    let za = try quantParameter(c, c.optionalInput(2), "a_zero_point", length: plan.m, what: "a per-row")
    let zb = try quantParameter(c, c.optionalInput(3), "b_zero_point", length: plan.n, what: "a per-column")
    if let za { try c.requireSameType(za, a, "a_zero_point and A") }
    if let zb { try c.requireSameType(zb, b, "b_zero_point and B") }
    let y = plan.multiply(a.integers!, b.integers!, aZero: za?.integers ?? [0], bZero: zb?.integers ?? [0])
    return try c.tensor(.int32(y.map { Int32(truncatingIfNeeded: $0) }), plan.outputShape)
  }

  /// QLinearMatMul: the int32 product of zero-point-shifted a and b, scaled by
  /// a_scale·b_scale/y_scale (float32), plus y_zero_point, rounded half to even and saturated to
  /// y_zero_point's type. Per-tensor parameters, or per-column for b.
  static func qLinearMatMul(_ c: KernelContext) throws -> GraphTensor {
    let a = try c.input(0, "a"), b = try c.input(3, "b")
    let yZero = try c.input(7, "y_zero_point")
    try c.require(a, "a", [.int8, .uint8])
    try c.require(b, "b", [.int8, .uint8])
    try c.require(yZero, "y_zero_point", [.int8, .uint8])
    let plan = try MatMulPlan(c, a.shape, b.shape)
    let aScale = try quantParameter(c, c.input(1, "a_scale"), "a_scale", length: 1, what: "a")!
    let aZero = try quantParameter(c, c.input(2, "a_zero_point"), "a_zero_point", length: 1, what: "a")!
    let bScale = try quantParameter(c, c.input(4, "b_scale"), "b_scale", length: plan.n, what: "a per-column")!
    let bZero = try quantParameter(c, c.input(5, "b_zero_point"), "b_zero_point", length: plan.n, what: "a per-column")!
    let yScale = try quantParameter(c, c.input(6, "y_scale"), "y_scale", length: 1, what: "a")!
    _ = try quantParameter(c, yZero, "y_zero_point", length: 1, what: "a")
    try c.requireSameType(aZero, a, "a_zero_point and a")
    try c.requireSameType(bZero, b, "b_zero_point and b")
    for (t, name) in [(aScale, "a_scale"), (bScale, "b_scale"), (yScale, "y_scale")] {
      try c.require(t, name, [.float32])
    }
    let acc = plan.multiply(a.integers!, b.integers!, aZero: aZero.integers!, bZero: bZero.integers!)
    let sa = aScale.float32![0], sy = yScale.float32![0], sb = bScale.float32!
    let multipliers = sb.map { Double(sa * $0 / sy) }
    let zero = Double(yZero.integers![0])
    let n = plan.n
    let values = acc.enumerated().map { i, v in Double(v) * multipliers[multipliers.count == 1 ? 0 : i % n] + zero }
    return try c.tensor(saturatedStorage(values, yZero.elementType), plan.outputShape)
  }
}
