import Testing
@testable import Tessera

/// Helpers for float matrix identities.
enum MatrixCheck {
  static func identity(_ n: Int) -> Tensor<Float> {
    var t = try! Tensor<Float>(zeros: [n, n])
    for i in 0..<n { t[i, i] = 1 }
    return t
  }

  /// max |a − b| over all elements.
  static func maxDifference(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
  }

  /// max |a|.
  static func maxMagnitude(_ a: Tensor<Float>) -> Float { a.scalars.reduce(0) { Swift.max($0, abs($1)) } }

  /// A well-conditioned SPD matrix B·Bᵀ + n·I (eigenvalues in [n, n + ‖B‖²]).
  static func spd(_ n: Int, seed: UInt64) throws -> Tensor<Float> {
    let b = try Tensor<Float>.randomNormal(shape: [n, n], seed: seed)
    var a = try matmul(b, b, transposeB: true)
    for i in 0..<n { a[i, i] += Float(n) }
    return a
  }

  static func diagonal(_ values: [Float], rows: Int, columns: Int) -> Tensor<Float> {
    var t = try! Tensor<Float>(zeros: [rows, columns])
    for (i, v) in values.enumerated() { t[i, i] = v }
    return t
  }
}

@Suite("LAPACK wrappers")
struct LAPACKTests {
  @Test func choleskyOfHandExample() throws {
    // [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]].
    let a = try Tensor<Float>(shape: [2, 2], scalars: [4, 2, 2, 3])
    let l = try LAPACK.choleskyFactor(a)
    #expect(l[0, 1] == 0)
    #expect(abs(l[0, 0] - 2) < 1e-6 && abs(l[1, 0] - 1) < 1e-6 && abs(l[1, 1] - Float(2).squareRoot()) < 1e-6)
    let u = try LAPACK.choleskyFactor(a, lower: false)
    #expect(u[1, 0] == 0)
    #expect(MatrixCheck.maxDifference(u, l.transposed()) < 1e-6)
  }

  @Test(arguments: [1, 5, 32, 67])
  func choleskyReconstructs(n: Int) throws {
    // Tolerance: float32 Cholesky backward error ≈ n·ε·‖A‖; 1e-5 relative covers n ≤ 67.
    let a = try MatrixCheck.spd(n, seed: UInt64(n))
    let l = try LAPACK.choleskyFactor(a)
    for i in 0..<n { for j in (i + 1)..<n { #expect(l[i, j] == 0) } }
    let llt = try matmul(l, l, transposeB: true)
    #expect(MatrixCheck.maxDifference(llt, a) <= 1e-5 * MatrixCheck.maxMagnitude(a) * Float(n).squareRoot())
    let u = try LAPACK.choleskyFactor(a, lower: false)
    let utu = try matmul(u, u, transposeA: true)
    #expect(MatrixCheck.maxDifference(utu, a) <= 1e-5 * MatrixCheck.maxMagnitude(a) * Float(n).squareRoot())
  }

  @Test(arguments: [1, 4, 24, 50])
  func choleskyInverseIsSymmetricInverse(n: Int) throws {
    // Tolerance: cond(A) ≤ ~6 here, so ‖A·A⁻¹ − I‖max ≤ 1e-4 is loose for float32.
    let a = try MatrixCheck.spd(n, seed: 100 + UInt64(n))
    let inverse = try LAPACK.choleskyInverse(a)
    #expect(inverse == inverse.transposed())
    #expect(MatrixCheck.maxDifference(try matmul(a, inverse), MatrixCheck.identity(n)) <= 1e-4)
    #expect(MatrixCheck.maxDifference(try matmul(inverse, a), MatrixCheck.identity(n)) <= 1e-4)
  }

  @Test func nonPositiveDefiniteFailsWithSpotrfInfo() throws {
    // Leading minors: 1 > 0, 1·1 − 2·2 = −3 < 0 → info 2.
    let a = try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 2, 1])
    let error = #expect(throws: TesseraError.self) { _ = try LAPACK.choleskyFactor(a) }
    #expect(error == .lapackFailure(routine: "spotrf", info: 2))
    #expect(error?.description.contains("not positive definite") == true)
    #expect(throws: TesseraError.lapackFailure(routine: "spotrf", info: 2)) {
      _ = try LAPACK.choleskyInverse(a)
    }
    let negative = try Tensor<Float>(shape: [1, 1], scalars: [-1])
    #expect(throws: TesseraError.lapackFailure(routine: "spotrf", info: 1)) {
      _ = try LAPACK.choleskyFactor(negative)
    }
  }

  @Test func svdOfHandExample() throws {
    // A = [[3, 0], [0, -2], [0, 0]]: singular values 3, 2.
    let a = try Tensor<Float>(shape: [3, 2], scalars: [3, 0, 0, -2, 0, 0])
    let (u, s, vt) = try LAPACK.svd(a)
    #expect(u.shape == [3, 2] && vt.shape == [2, 2])
    #expect(abs(s[0] - 3) < 1e-6 && abs(s[1] - 2) < 1e-6)
    let full = try LAPACK.svd(a, full: true)
    #expect(full.u.shape == [3, 3] && full.vt.shape == [2, 2] && full.s.count == 2)
  }

  @Test(arguments: [(1, 1), (6, 6), (40, 17), (17, 40), (64, 3)])
  func svdReconstructs(m: Int, n: Int) throws {
    // Tolerance: ‖UΣVᵀ − A‖max ≤ 1e-5·max(m, n)·‖A‖max, orthogonality ≤ 1e-5·max(m, n).
    let a = try Tensor<Float>.randomNormal(shape: [m, n], seed: UInt64(m * 1000 + n))
    let k = Swift.min(m, n)
    let tolerance = 1e-5 * Float(Swift.max(m, n))
    for full in [false, true] {
      let (u, s, vt) = try LAPACK.svd(a, full: full)
      #expect(s.count == k)
      #expect(zip(s, s.dropFirst()).allSatisfy { $0 >= $1 } && s.allSatisfy { $0 >= 0 })
      #expect(u.shape == [m, full ? m : k] && vt.shape == [full ? n : k, n])
      let sigma = MatrixCheck.diagonal(s, rows: u.shape[1], columns: vt.shape[0])
      let rebuilt = try matmul(try matmul(u, sigma), vt)
      #expect(MatrixCheck.maxDifference(rebuilt, a) <= tolerance * MatrixCheck.maxMagnitude(a))
      let utu = try matmul(u, u, transposeA: true)
      #expect(MatrixCheck.maxDifference(utu, MatrixCheck.identity(u.shape[1])) <= tolerance)
      let vvt = try matmul(vt, vt, transposeB: true)
      #expect(MatrixCheck.maxDifference(vvt, MatrixCheck.identity(vt.shape[0])) <= tolerance)
    }
  }

  @Test func solveHandExample() throws {
    // [[2, 1], [1, -3]] · x = [3, -2] → x = [1, 1] (indefinite: eigenvalues of both signs).
    let a = try Tensor<Float>(shape: [2, 2], scalars: [2, 1, 1, -3])
    let x = try LAPACK.solveSymmetric(a, try Tensor<Float>(shape: [2], scalars: [3, -2]))
    #expect(x.shape == [2])
    #expect(abs(x[0] - 1) < 1e-6 && abs(x[1] - 1) < 1e-6)
  }

  @Test(arguments: [1, 9, 48])
  func solveResidualIsSmall(n: Int) throws {
    // Symmetric indefinite A = S + Sᵀ (random normal S); tolerance on the relative residual
    // ‖A·X − B‖max ≤ 1e-4·‖A‖max·‖X‖max·n (backward-stable Bunch–Kaufman in float32).
    let s = try Tensor<Float>.randomNormal(shape: [n, n], seed: UInt64(7 * n))
    var a = s
    for i in 0..<n { for j in 0..<n { a[i, j] = s[i, j] + s[j, i] } }
    let b = try Tensor<Float>.randomNormal(shape: [n, 3], seed: UInt64(9 * n))
    let x = try LAPACK.solveSymmetric(a, b)
    #expect(x.shape == [n, 3])
    let residual = MatrixCheck.maxDifference(try matmul(a, x), b)
    #expect(residual <= 1e-4 * MatrixCheck.maxMagnitude(a) * MatrixCheck.maxMagnitude(x) * Float(n))
  }

  @Test func singularSolveFails() throws {
    let zero = try Tensor<Float>(zeros: [3, 3])
    let error = #expect(throws: TesseraError.self) {
      _ = try LAPACK.solveSymmetric(zero, try Tensor<Float>(repeating: 1, shape: [3]))
    }
    guard case let .lapackFailure(routine, info)? = error else {
      Issue.record("expected a LAPACK failure, got \(String(describing: error))")
      return
    }
    #expect(routine == "ssysv" && info > 0)
  }

  @Test func badShapesAreNamed() throws {
    let rectangle = try Tensor<Float>(zeros: [2, 3])
    #expect(throws: TesseraError.invalidShape(
      operation: "LAPACK.choleskyFactor", shape: [2, 3], reason: "expected a square matrix")) {
      _ = try LAPACK.choleskyFactor(rectangle)
    }
    #expect(throws: TesseraError.invalidShape(
      operation: "LAPACK.choleskyInverse", shape: [0, 0], reason: "matrix is empty")) {
      _ = try LAPACK.choleskyInverse(try Tensor<Float>(zeros: [0, 0]))
    }
    #expect(throws: TesseraError.invalidShape(
      operation: "LAPACK.svd", shape: [4], reason: "expected a rank-2 matrix")) {
      _ = try LAPACK.svd(try Tensor<Float>(zeros: [4]))
    }
    #expect(throws: TesseraError.invalidShape(
      operation: "LAPACK.svd", shape: [3, 0], reason: "matrix is empty")) {
      _ = try LAPACK.svd(try Tensor<Float>(zeros: [3, 0]))
    }
    let square = MatrixCheck.identity(3)
    let error = #expect(throws: TesseraError.self) { _ = try LAPACK.solveSymmetric(square, rectangle) }
    #expect(error == .shapeMismatch(operation: "LAPACK.solveSymmetric", lhs: [3, 3], rhs: [2, 3]))
    #expect(throws: TesseraError.self) { _ = try LAPACK.solveSymmetric(square, try Tensor<Float>(zeros: [3, 0])) }
  }

  @Test func nonFiniteInputIsRejected() throws {
    var a = MatrixCheck.identity(3)
    a[1, 2] = .nan
    let error = #expect(throws: TesseraError.self) { _ = try LAPACK.svd(a) }
    #expect(error == .invalidArgument("LAPACK.svd: input of shape [3, 3] contains NaN or infinity"))
    #expect(throws: TesseraError.self) { _ = try LAPACK.choleskyFactor(a) }
    var b = try Tensor<Float>(repeating: 1, shape: [3])
    b[0] = .infinity
    #expect(throws: TesseraError.self) { _ = try LAPACK.solveSymmetric(MatrixCheck.identity(3), b) }
  }
}
