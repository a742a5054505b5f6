import Testing

@testable import TesseraGraph

@Suite("Interpreter: Gemm, MatMul and integer matrix products")
struct InterpreterMatMulTests: InterpreterTesting {
  // A = [[1, 2, 3], [4, 5, 6]], B = [[1, 0], [0, 1], [1, 1]] → A·B = [[4, 5], [10, 11]].
  var a: GraphTensor { get throws { try f32([1, 2, 3, 4, 5, 6], [2, 3]) } }
  var b: GraphTensor { get throws { try f32([1, 0, 0, 1, 1, 1], [3, 2]) } }

  @Test("Gemm: alpha, beta and a row bias")
  func gemm() throws {
    let y = try evaluate1("Gemm", [a, b, try f32([10, 20])], ["alpha": .float(2), "beta": .float(0.5)])
    expectClose(y, [13, 20, 25, 32], shape: [2, 2])
    expectClose(try evaluate1("Gemm", [a, b]), [4, 5, 10, 11], shape: [2, 2])
  }

  @Test("Gemm: transA and transB read transposed operands")
  func gemmTransposed() throws {
    let at = try f32([1, 4, 2, 5, 3, 6], [3, 2]), bt = try f32([1, 0, 1, 0, 1, 1], [2, 3])
    expectClose(try evaluate1("Gemm", [at, bt], ["transA": .int(1), "transB": .int(1)]), [4, 5, 10, 11], shape: [2, 2])
    expectClose(try evaluate1("Gemm", [a, bt], ["transB": .int(1)]), [4, 5, 10, 11])
  }

  @Test("Gemm: C broadcasts unidirectionally (scalar, column, full); beta 0 ignores C")
  func gemmBias() throws {
    expectClose(try evaluate1("Gemm", [a, b, try f32([1], [])]), [5, 6, 11, 12])
    expectClose(try evaluate1("Gemm", [a, b, try f32([1, 2], [2, 1])]), [5, 6, 12, 13])
    expectClose(try evaluate1("Gemm", [a, b, try f32([1, 2, 3, 4], [2, 2])]), [5, 7, 13, 15])
    expectClose(try evaluate1("Gemm", [a, b, try f32([.nan], [])], ["beta": .float(0)]), [4, 5, 10, 11])
  }

  @Test("Gemm errors: inner dimensions, C shape, rank")
  func gemmErrors() throws {
    expectError("node 'n' (Gemm)", "inner dimensions differ") { try evaluate1("Gemm", [a, try f32([1, 2, 3, 4], [2, 2])]) }
    expectError("C [3] does not broadcast to [2, 2]") { try evaluate1("Gemm", [a, b, try f32([1, 2, 3])]) }
    expectError("must be 2-D") { try evaluate1("Gemm", [try f32([1, 2, 3]), b]) }
  }

  @Test("MatMul: 2-D, vector·vector, vector·matrix, matrix·vector")
  func matMulCases() throws {
    expectClose(try evaluate1("MatMul", [a, b]), [4, 5, 10, 11], shape: [2, 2])
    expectClose(try evaluate1("MatMul", [try f32([1, 2, 3]), try f32([4, 5, 6])]), [32], shape: [])
    expectClose(try evaluate1("MatMul", [try f32([1, 2]), try f32([1, 2, 3, 4, 5, 6], [2, 3])]), [9, 12, 15], shape: [3])
    expectClose(try evaluate1("MatMul", [try f32([1, 2, 3, 4], [2, 2]), try f32([1, 1])]), [3, 7], shape: [2])
  }

  @Test("MatMul broadcasts batch dimensions")
  func matMulBatched() throws {
    // A [1,2,2] = [[1,2],[3,4]]; B [3,2,1] with B_i = [[i],[1]] → A·B_i = [[i+2],[3i+4]].
    let y = try evaluate1("MatMul", [try f32([1, 2, 3, 4], [1, 2, 2]), try f32([1, 1, 2, 1, 3, 1], [3, 2, 1])])
    expectClose(y, [3, 7, 4, 10, 5, 13], shape: [3, 2, 1])
    // A [2,1,2] (two row vectors) · B [2,1] → [2,1,1]; a 1-D B with batched A drops the last axis.
    expectClose(try evaluate1("MatMul", [try f32([1, 2, 3, 4], [2, 1, 2]), try f32([1, 1], [2, 1])]), [3, 7], shape: [2, 1, 1])
    expectClose(try evaluate1("MatMul", [try f32([1, 2, 3, 4], [2, 1, 2]), try f32([1, 1])]), [3, 7], shape: [2, 1])
    expectError("cannot broadcast batch dimensions [2] and [3]") {
      try evaluate1("MatMul", [try f32([1, 2, 3, 4], [2, 1, 2]), try f32([1, 2, 3, 4, 5, 6], [3, 2, 1])])
    }
  }

  @Test("MatMul on integers, and its errors")
  func matMulIntegers() throws {
    let y = try evaluate1("MatMul", [try tensor(.int32([1, 2, 3, 4]), [2, 2]), try tensor(.int32([5, 6]), [2, 1])])
    #expect(y.storage == .int32([17, 39]) && y.shape == [2, 1])
    expectError("inner dimensions differ") { try evaluate1("MatMul", [a, a]) }
    expectError("rank ≥ 1") { try evaluate1("MatMul", [try f32([1], []), b]) }
    expectError("'A' is uint8") { try evaluate1("MatMul", [try tensor(.uint8([1])), try tensor(.uint8([1]))]) }
  }

  @Test("MatMulInteger: zero points per tensor and per row, int32 output")
  func matMulInteger() throws {
    let qa = try tensor(.uint8([1, 2, 3, 4]), [2, 2]), qb = try tensor(.int8([1, -1, 2, 0]), [2, 2])
    let y = try evaluate1("MatMulInteger", [qa, qb, try tensor(.uint8([1]), [])])
    #expect(y.storage == .int32([2, 0, 8, -2]))
    let rows = try evaluate1("MatMulInteger", [qa, qb, try tensor(.uint8([1, 2]))])
    #expect(rows.storage == .int32([2, 0, 5, -1]))
    let columns = try evaluate1("MatMulInteger", [qa, qb, nil, try tensor(.int8([1, 0]))])
    #expect(columns.storage == .int32([2, -1, 4, -3]))
    expectError("'a_zero_point' must be a scalar or a per-row vector of 2") {
      try evaluate1("MatMulInteger", [qa, qb, try tensor(.uint8([1, 2, 3]))])
    }
  }

  @Test("QLinearMatMul: requantized with round-half-even and saturation")
  func qLinearMatMul() throws {
    // a = [[2, 4]] (scale 0.5), b = [[3], [5]] − 1 = [[2], [4]]: int32 product 20.
    func run(_ yScale: Float, _ yZero: UInt8) throws -> GraphTensor {
      try evaluate1("QLinearMatMul", [
        try tensor(.uint8([2, 4]), [1, 2]), try f32([0.5], []), try tensor(.uint8([0]), []),
        try tensor(.uint8([3, 5]), [2, 1]), try f32([1], []), try tensor(.uint8([1]), []),
        try f32([yScale], []), try tensor(.uint8([yZero]), []),
      ])
    }
    #expect(try run(2, 10).storage == .uint8([15]))  // 20 · 0.25 + 10
    #expect(try run(0.01, 10).storage == .uint8([255]))  // saturated
    #expect(try run(4, 0).storage == .uint8([2]))  // 2.5 → 2
    #expect(try run(4, 1).storage == .uint8([4]))  // 3.5 → 4
  }
}
