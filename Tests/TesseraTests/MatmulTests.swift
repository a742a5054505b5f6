import Testing
@testable import Tessera

/// Float GEMM goes through cblas_sgemm. All inputs below are small integers, so every
/// product and sum is exact in float32 and results are compared exactly.
@Suite("matmul / gemm")
struct MatmulTests {
  // a = [[1, 2, 3], [4, 5, 6]], b = [[7, 8], [9, 10], [11, 12]]
  let a = try! Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
  let b = try! Tensor<Float>(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
  /// a · b computed by hand: [[58, 64], [139, 154]].
  let ab: [Float] = [58, 64, 139, 154]

  @Test func plainProduct() throws {
    #expect(try matmul(a, b).scalars == ab)
    #expect(try matmul(a, b).shape == [2, 2])
  }

  @Test func transposeFlags() throws {
    // aᵀ stored explicitly, then asked to be transposed back.
    let aT = a.transposed().contiguous()
    let bT = b.transposed().contiguous()
    #expect(try matmul(aT, b, transposeA: true).scalars == ab)
    #expect(try matmul(a, bT, transposeB: true).scalars == ab)
    #expect(try matmul(aT, bT, transposeA: true, transposeB: true).scalars == ab)
    // a · aᵀ = [[14, 32], [32, 77]]
    #expect(try matmul(a, a, transposeB: true).scalars == [14, 32, 32, 77])
  }

  @Test func transposedViewsNeedNoFlags() throws {
    let aT = a.transposed().contiguous()
    let bT = b.transposed().contiguous()
    #expect(try matmul(aT.transposed(), bT.transposed()).scalars == ab)
    #expect(try matmul(aT.transposed(), b).scalars == ab)
  }

  @Test func paddedAndOffsetViews() throws {
    // a stored with row stride 5 and offset 2 (padding = -1).
    var storage = [Float](repeating: -1, count: 12)
    for i in 0..<2 { for j in 0..<3 { storage[2 + i * 5 + j] = a[i, j] } }
    let padded = Tensor<Float>(storage: storage, shape: [2, 3], strides: [5, 1], offset: 2)
    #expect(try matmul(padded, b).scalars == ab)
    // b read through every-other-element strides (neither stride is 1 → copied).
    var sparse = [Float](repeating: -1, count: 12)
    for i in 0..<3 { for j in 0..<2 { sparse[i * 4 + j * 2] = b[i, j] } }
    let strided = Tensor<Float>(storage: sparse, shape: [3, 2], strides: [4, 2], offset: 0)
    #expect(try matmul(a, strided).scalars == ab)
    #expect(try matmul(padded, strided).scalars == ab)
  }

  @Test func alphaBetaAccumulate() throws {
    var c = try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    try gemm(a, b, alpha: 2, beta: 0.5, into: &c)
    #expect(c.scalars == [116.5, 129, 279.5, 310])
    try gemm(a, b, alpha: -1, beta: 1, into: &c)
    #expect(c.scalars == [58.5, 65, 140.5, 156])
  }

  @Test func emptyInnerDimensionScalesC() throws {
    let empty1 = try Tensor<Float>(zeros: [2, 0]), empty2 = try Tensor<Float>(zeros: [0, 2])
    var c = try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    try gemm(empty1, empty2, beta: 3, into: &c)
    #expect(c.scalars == [3, 6, 9, 12])
    #expect(try matmul(empty1, empty2).scalars == [0, 0, 0, 0])
  }

  @Test func innerDimensionMismatchNamesBothShapes() throws {
    let wrong = try Tensor<Float>(zeros: [4, 5])
    let error = #expect(throws: TesseraError.self) { _ = try matmul(a, wrong) }
    #expect(error == .shapeMismatch(operation: "matmul", lhs: [2, 3], rhs: [4, 5]))
    #expect(error?.description == "matmul: shape mismatch between [2, 3] and [4, 5]")
  }

  @Test func outputShapeAndRankAreChecked() throws {
    var c = try Tensor<Float>(zeros: [3, 3])
    #expect(throws: TesseraError.shapeMismatch(operation: "gemm output", lhs: [2, 2], rhs: [3, 3])) {
      try gemm(a, b, into: &c)
    }
    let vector = try Tensor<Float>(zeros: [3])
    #expect(throws: TesseraError.invalidShape(
      operation: "matmul", shape: [3], reason: "expected a rank-2 matrix")) {
      _ = try matmul(vector, b)
    }
  }

  @Test func largerProductMatchesNaiveLoop() throws {
    // Tolerance: |Δ| ≤ 1e-4 · K for entries in [-1, 1) (float32 rounding of K-term sums).
    let x = try Tensor<Float>.random(shape: [37, 53], seed: 11, in: -1..<1)
    let y = try Tensor<Float>.random(shape: [53, 29], seed: 12, in: -1..<1)
    let z = try matmul(x, y)
    var worst: Float = 0
    for i in 0..<37 {
      for j in 0..<29 {
        var sum: Double = 0
        for p in 0..<53 { sum += Double(x[i, p]) * Double(y[p, j]) }
        worst = Swift.max(worst, abs(z[i, j] - Float(sum)))
      }
    }
    #expect(worst <= 1e-4 * 53)
  }
}
