import Testing

@testable import TesseraGraph

@Suite("Interpreter: shape operators")
struct InterpreterShapeTests: InterpreterTesting {
  var x234: GraphTensor { get throws { try f32((0..<24).map(Float.init), [2, 3, 4]) } }

  @Test("Flatten at every axis, negative axes, out of range")
  func flatten() throws {
    #expect(try evaluate1("Flatten", [x234], ["axis": .int(0)]).shape == [1, 24])
    #expect(try evaluate1("Flatten", [x234]).shape == [2, 12])
    #expect(try evaluate1("Flatten", [x234], ["axis": .int(-1)]).shape == [6, 4])
    #expect(try evaluate1("Flatten", [x234], ["axis": .int(3)]).shape == [24, 1])
    expectError("node 'n' (Flatten)", "axis 4 is out of range") { try evaluate1("Flatten", [x234], ["axis": .int(4)]) }
  }

  @Test("Reshape: 0 copies, -1 infers, allowzero keeps 0, errors")
  func reshape() throws {
    #expect(try evaluate1("Reshape", [x234, try i64([0, -1])]).shape == [2, 12])
    #expect(try evaluate1("Reshape", [x234, try i64([-1])]).shape == [24])
    #expect(try evaluate1("Reshape", [x234, try i64([4, 0, 2, -1])]).shape == [4, 3, 2, 1])
    #expect(try evaluate1("Reshape", [x234, try i64([4, 0, 2, -1])]).float32 == x234.float32)
    let empty = try f32([], [0, 3])
    #expect(try evaluate1("Reshape", [empty, try i64([3, 0])], ["allowzero": .int(1)], opset: 14).shape == [3, 0])
    expectError("cannot reshape [0, 3]") { try evaluate1("Reshape", [empty, try i64([3, 0])]) }
    expectError("more than one -1") { try evaluate1("Reshape", [x234, try i64([-1, -1])]) }
    expectError("cannot reshape [2, 3, 4] (24 elements) to [5, -1]") { try evaluate1("Reshape", [x234, try i64([5, -1])]) }
    expectError("invalid dimension -2") { try evaluate1("Reshape", [x234, try i64([-2, 12])]) }
    expectError("both 0 and -1") { try evaluate1("Reshape", [x234, try i64([0, -1])], ["allowzero": .int(1)], opset: 14) }
    expectError("copies dimension 3") { try evaluate1("Reshape", [x234, try i64([2, 3, 4, 0])]) }
    expectError("more than 2^31") { try evaluate1("Reshape", [empty, try i64([0, 1 << 40])], ["allowzero": .int(1)], opset: 14) }
  }

  @Test("Transpose: default reverses, explicit perm, invalid perm")
  func transpose() throws {
    let m = try f32([1, 2, 3, 4, 5, 6], [2, 3])
    expectClose(try evaluate1("Transpose", [m]), [1, 4, 2, 5, 3, 6], shape: [3, 2])
    let t = try evaluate1("Transpose", [x234], ["perm": .ints([1, 0, 2])])
    #expect(t.shape == [3, 2, 4])
    #expect(Array(t.float32![4..<8]) == [12, 13, 14, 15])
    expectError("perm [0, 0] is not a permutation") { try evaluate1("Transpose", [m], ["perm": .ints([0, 0])]) }
    expectError("perm [0, 5]") { try evaluate1("Transpose", [m], ["perm": .ints([0, 5])]) }
  }

  @Test("Squeeze/Unsqueeze: axes attribute before opset 13, input from 13")
  func squeezeUnsqueeze() throws {
    let x = try f32([1, 2, 3], [1, 3, 1])
    #expect(try evaluate1("Squeeze", [x], ["axes": .ints([0])], opset: 11).shape == [3, 1])
    #expect(try evaluate1("Squeeze", [x, try i64([-1])], opset: 13).shape == [1, 3])
    #expect(try evaluate1("Squeeze", [x], opset: 13).shape == [3])
    expectError("cannot squeeze axis 1 of size 3") { try evaluate1("Squeeze", [x, try i64([1])], opset: 13) }
    expectError("axes 3 is out of range") { try evaluate1("Squeeze", [x], ["axes": .ints([3])], opset: 12) }
    let m = try f32([1, 2, 3, 4, 5, 6], [2, 3])
    #expect(try evaluate1("Unsqueeze", [m], ["axes": .ints([0, -1])], opset: 11).shape == [1, 2, 3, 1])
    #expect(try evaluate1("Unsqueeze", [m, try i64([1])], opset: 13).shape == [2, 1, 3])
    #expect(try evaluate1("Unsqueeze", [try f32([7], []), try i64([0])], opset: 13).shape == [1])
    expectError("repeat axis 0") { try evaluate1("Unsqueeze", [m, try i64([0, -4])], opset: 13) }
    expectError("axes are required") { try evaluate1("Unsqueeze", [m], opset: 13) }
  }

  @Test("Concat along a negative axis; mismatches are errors")
  func concat() throws {
    let y = try evaluate1("Concat", [try f32([1, 2], [2, 1]), try f32([3, 4, 5, 6], [2, 2])], ["axis": .int(-1)])
    expectClose(y, [1, 3, 4, 2, 5, 6], shape: [2, 3])
    let rows = try evaluate1("Concat", [try i64([1, 2], [1, 2]), try i64([], [0, 2]), try i64([3, 4], [1, 2])], ["axis": .int(0)])
    #expect(rows.storage == .int64([1, 2, 3, 4]) && rows.shape == [2, 2])
    expectError("differ outside axis 1") { try evaluate1("Concat", [try f32([1, 2], [2, 1]), try f32([1, 2, 3], [3, 1])], ["axis": .int(1)]) }
    expectError("same element type") { try evaluate1("Concat", [try f32([1]), try i64([1])], ["axis": .int(0)]) }
    expectError("'axis' is required") { try evaluate1("Concat", [try f32([1])]) }
  }

  @Test("Shape with start/end (opset 15) and Expand")
  func shapeAndExpand() throws {
    #expect(try evaluate1("Shape", [x234]).storage == .int64([2, 3, 4]))
    #expect(try evaluate1("Shape", [x234], ["start": .int(1)], opset: 15).storage == .int64([3, 4]))
    #expect(try evaluate1("Shape", [x234], ["end": .int(-1)], opset: 15).storage == .int64([2, 3]))
    #expect(try evaluate1("Shape", [x234], ["start": .int(5)], opset: 15).shape == [0])
    #expect(try evaluate1("Shape", [x234], ["start": .int(1)], opset: 14).storage == .int64([2, 3, 4]))
    let e = try evaluate1("Expand", [try f32([1, 2, 3], [3, 1]), try i64([2, 1, 4])])
    #expect(e.shape == [2, 3, 4])
    #expect(Array(e.float32![0..<8]) == [1, 1, 1, 1, 2, 2, 2, 2])
    #expect(try evaluate1("Expand", [try f32([1, 2, 3], [3, 1]), try i64([1])]).shape == [3, 1])
    expectError("cannot broadcast [3, 1] to [2, 1]") { try evaluate1("Expand", [try f32([1, 2, 3], [3, 1]), try i64([2, 1])]) }
    #expect(try evaluate1("Expand", [try f32([1, 2, 3], [3, 1]), try i64([2])]).shape == [3, 2])
    expectError("more than 2^31") { try evaluate1("Expand", [try f32([1]), try i64([1 << 20, 1 << 20])]) }
  }

  @Test("Gather: negative indices, axis 1, scalar index, out of range")
  func gather() throws {
    let data = try f32([1, 2, 3, 4, 5, 6], [3, 2])
    expectClose(try evaluate1("Gather", [data, try i64([-1, 0])]), [5, 6, 1, 2], shape: [2, 2])
    expectClose(try evaluate1("Gather", [data, try i64([1], [1, 1])], ["axis": .int(1)]), [2, 4, 6], shape: [3, 1, 1])
    expectClose(try evaluate1("Gather", [data, try i64([1], [])]), [3, 4], shape: [2])
    expectClose(try evaluate1("Gather", [data, try tensor(.int32([2]))], ["axis": .int(-2)]), [5, 6], shape: [1, 2])
    expectError("index 3 is out of range for axis 0 of size 3") { try evaluate1("Gather", [data, try i64([3])]) }
    expectError("index -4") { try evaluate1("Gather", [data, try i64([-4])]) }
    expectError("axis 2 is out of range") { try evaluate1("Gather", [data, try i64([0])], ["axis": .int(2)]) }
    expectError("'indices' is float32") { try evaluate1("Gather", [data, try f32([0])]) }
  }
}
