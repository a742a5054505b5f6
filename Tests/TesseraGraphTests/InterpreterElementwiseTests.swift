import Testing

@testable import TesseraGraph

@Suite("Interpreter: element-wise operators")
struct InterpreterElementwiseTests: InterpreterTesting {
  @Test("Add broadcasts a row over a matrix")
  func addRow() throws {
    let y = try evaluate1("Add", [try f32([1, 2, 3, 4, 5, 6], [2, 3]), try f32([10, 20, 30])])
    expectClose(y, [11, 22, 33, 14, 25, 36], shape: [2, 3])
  }

  @Test("multidirectional broadcasting: [2,1]·[1,3], scalars, rank padding, empty dimensions")
  func broadcasting() throws {
    expectClose(try evaluate1("Mul", [try f32([1, 2], [2, 1]), try f32([10, 20, 30], [1, 3])]),
                [10, 20, 30, 20, 40, 60], shape: [2, 3])
    expectClose(try evaluate1("Sub", [try f32([10], []), try f32([1, 2, 3, 4], [2, 2])]), [9, 8, 7, 6], shape: [2, 2])
    expectClose(try evaluate1("Add", [try f32([1, 2, 3, 4], [2, 1, 2]), try f32([10, 20, 30], [3, 1])]),
                [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34], shape: [2, 3, 2])
    let empty = try evaluate1("Add", [try f32([], [0, 3]), try f32([1, 2, 3], [1, 3])])
    #expect(empty.shape == [0, 3])
    let scalar = try evaluate1("Div", [try f32([3], []), try f32([2], [])])
    expectClose(scalar, [1.5], shape: [])
  }

  @Test("incompatible shapes and mixed types are node errors")
  func broadcastErrors() {
    expectError("node 'n' (Add)", "cannot broadcast shapes [2, 3] and [2]") {
      try evaluate1("Add", [try f32([1, 2, 3, 4, 5, 6], [2, 3]), try f32([1, 2])])
    }
    expectError("same element type", "float32 and int64") { try evaluate1("Mul", [try f32([1]), try i64([1])]) }
    expectError("input 1 ('B') is required") { try evaluate1("Sub", [try f32([1])]) }
  }

  @Test("integer arithmetic: Div truncates toward zero, overflow wraps, division by zero is an error")
  func integers() throws {
    let a = try tensor(.int32([7, -7, 7, -7, .min])), b = try tensor(.int32([2, 2, -2, -2, -1]))
    #expect(try evaluate1("Div", [a, b]).storage == .int32([3, -3, -3, 3, .min]))
    #expect(try evaluate1("Div", [try i64([9, -9]), try i64([4, 4])]).storage == .int64([2, -2]))
    #expect(try evaluate1("Add", [try tensor(.int8([127, -128])), try tensor(.int8([1, -1]))]).storage == .int8([-128, 127]))
    #expect(try evaluate1("Sub", [try tensor(.uint8([0])), try tensor(.uint8([1]))]).storage == .uint8([255]))
    #expect(try evaluate1("Mul", [try i64([3, -4]), try i64([5], [])]).storage == .int64([15, -20]))
    expectError("integer division by zero") { try evaluate1("Div", [try i64([1, 2]), try i64([1, 0])]) }
  }

  @Test("float division by zero gives infinities and NaN, float64 is computed in double")
  func floats() throws {
    let y = try evaluate1("Div", [try f32([1, -1, 0]), try f32([0, 0, 0])]).float32!
    #expect(y[0] == .infinity && y[1] == -.infinity && y[2].isNaN)
    let d = try evaluate1("Add", [try tensor(.float64([0.1])), try tensor(.float64([0.2]))])
    #expect(d.storage == .float64([0.1 + 0.2]))
    let f = try evaluate1("Add", [try f32([0.1]), try f32([0.2])])
    #expect(f.float32 == [Float(0.1) + Float(0.2)])
  }

  @Test("Relu keeps NaN and works on signed integers")
  func relu() throws {
    let y = try evaluate1("Relu", [try f32([-1, 0, 2, .nan])]).float32!
    #expect(Array(y[0..<3]) == [0, 0, 2] && y[3].isNaN)
    #expect(try evaluate1("Relu", [try tensor(.int8([-3, 4]))]).storage == .int8([0, 4]))
    expectError("'X' is uint8") { try evaluate1("Relu", [try tensor(.uint8([1]))]) }
  }

  @Test("LeakyRelu, Sigmoid and Tanh")
  func activations() throws {
    expectClose(try evaluate1("LeakyRelu", [try f32([-2, 3])], ["alpha": .float(0.1)]), [-0.2, 3])
    expectClose(try evaluate1("LeakyRelu", [try f32([-1])]), [-0.01])
    expectClose(try evaluate1("Sigmoid", [try f32([0, 100, -1000, 1])]), [0.5, 1, 0, 0.7310585786300049])
    expectClose(try evaluate1("Tanh", [try f32([0, 1, -30])]), [0, 0.7615941559557649, -1])
    let d = try evaluate1("Sigmoid", [try tensor(.float64([2]))])
    #expect(d.elementType == .float64)
    expectClose(d, [0.8807970779778823], tolerance: 1e-12)
    expectError("'X' is int64") { try evaluate1("Tanh", [try i64([1])]) }
  }

  @Test("Clip: optional bounds, min above max gives max, NaN passes, integers")
  func clip() throws {
    let x = try f32([-2, -0.5, 0.5, 2, .nan])
    let both = try evaluate1("Clip", [x, try f32([-1], []), try f32([1], [])]).float32!
    #expect(Array(both[0..<4]) == [-1, -0.5, 0.5, 1] && both[4].isNaN)
    let upper = try evaluate1("Clip", [x, nil, try f32([0], [])]).float32!
    #expect(Array(upper[0..<4]) == [-2, -0.5, 0, 0])
    let lower = try evaluate1("Clip", [x, try f32([0], [])]).float32!
    #expect(Array(lower[0..<4]) == [0, 0, 0.5, 2])
    let crossed = try evaluate1("Clip", [try f32([-5, 0, 5]), try f32([2], []), try f32([1], [])])
    #expect(crossed.float32 == [1, 1, 1])
    let ints = try evaluate1("Clip", [try tensor(.int32([-50, 5, 50])), try tensor(.int32([-10]), []), try tensor(.int32([20]), [])])
    #expect(ints.storage == .int32([-10, 5, 20]))
    expectError("'min' must be a scalar") { try evaluate1("Clip", [x, try f32([0, 1])]) }
    expectError("same element type") { try evaluate1("Clip", [x, try i64([0], [])]) }
  }
}
