import Testing

@testable import TesseraGraph

@Suite("Interpreter: Slice, Range, Pad")
struct InterpreterSliceTests: InterpreterTesting {
  var ten: GraphTensor { get throws { try f32((1...10).map(Float.init)) } }

  func slice(_ data: GraphTensor, _ starts: [Int64], _ ends: [Int64], axes: [Int64]? = nil, steps: [Int64]? = nil) throws -> GraphTensor {
    try evaluate1("Slice", [data, try i64(starts), try i64(ends), try axes.map { try i64($0) }, try steps.map { try i64($0) }])
  }

  @Test("Slice: positive steps, negative indices, clamping of INT_MAX")
  func forward() throws {
    expectClose(try slice(ten, [1], [.max], steps: [3]), [2, 5, 8])
    expectClose(try slice(ten, [-3], [-1]), [8, 9])
    expectClose(try slice(ten, [-100], [2]), [1, 2])
    #expect(try slice(ten, [5], [2]).shape == [0])
    let m = try f32((1...6).map(Float.init), [2, 3])
    expectClose(try slice(m, [0], [2], axes: [-1]), [1, 2, 4, 5], shape: [2, 2])
    expectClose(try evaluate1("Slice", [m, try tensor(.int32([1, 1])), try tensor(.int32([2, Int32.max]))]), [5, 6], shape: [1, 2])
  }

  @Test("Slice: negative steps clamp start to dim−1 and end to −1")
  func backward() throws {
    expectClose(try slice(ten, [.max], [.min], steps: [-1]), (1...10).reversed().map(Double.init))
    expectClose(try slice(ten, [8], [2], steps: [-2]), [9, 7, 5])
    expectClose(try slice(ten, [-1], [-4], steps: [-1]), [10, 9, 8])
    expectClose(try slice(ten, [2], [-100], steps: [-3]), [3])
    #expect(try slice(ten, [2], [5], steps: [-1]).shape == [0])
    expectClose(try slice(ten, [9], [0], steps: [-.max]), [10])
    expectClose(try slice(ten, [9], [-100], steps: [.min]), [10])
    #expect(try slice(ten, [0], [10], steps: [.min]).shape == [0])
  }

  @Test("Slice errors: zero step, repeated axis, length mismatch")
  func sliceErrors() throws {
    expectError("node 'n' (Slice)", "steps [0] contain 0") { try slice(ten, [0], [1], steps: [0]) }
    let m = try f32((1...6).map(Float.init), [2, 3])
    expectError("repeat axis 1") { try slice(m, [0, 0], [1, 1], axes: [1, -1]) }
    expectError("starts [0] and ends [1, 2] differ") { try slice(m, [0], [1, 2]) }
    expectError("axes 2 is out of range") { try slice(m, [0], [1], axes: [2]) }
  }

  @Test("Range: integer and float, empty, and a huge range is an error")
  func range() throws {
    func run(_ values: [Int64]) throws -> GraphTensor {
      try evaluate1("Range", values.map { try i64([$0], []) })
    }
    #expect(try run([0, 10, 3]).storage == .int64([0, 3, 6, 9]))
    #expect(try run([10, 0, -3]).storage == .int64([10, 7, 4, 1]))
    #expect(try run([5, 5, 1]).shape == [0])
    #expect(try run([-(1 << 62), 1 << 62, 1 << 61]).storage == .int64([-(1 << 62), -(1 << 61), 0, 1 << 61]))
    let f = try evaluate1("Range", [try f32([1], []), try f32([2], []), try f32([0.25], [])])
    #expect(f.float32 == [1, 1.25, 1.5, 1.75])
    let i = try evaluate1("Range", [try tensor(.int32([3]), []), try tensor(.int32([0]), []), try tensor(.int32([-1]), [])])
    #expect(i.storage == .int32([3, 2, 1]))
    expectError("delta is 0") { try run([0, 1, 0]) }
    expectError("exceeds 2^31") { try run([0, .max, 1]) }
    expectError("exceeds 2^31") { try run([.max, .min, -1]) }
    expectError("exceeds 2^31") { try evaluate1("Range", [try f32([0], []), try f32([1e30], []), try f32([1], [])]) }
    expectError("no finite range") { try evaluate1("Range", [try f32([0], []), try f32([.infinity], []), try f32([1], [])]) }
    expectError("'limit' must be a scalar") { try evaluate1("Range", [try i64([0], []), try i64([1, 2]), try i64([1], [])]) }
  }

  @Test("Pad: constant, reflect (numpy-style, also past the edge), edge, wrap")
  func padModes() throws {
    let x = try f32([1, 2, 3])
    func pad(_ mode: String, _ pads: [Int64], _ value: GraphTensor? = nil, opset: Int = 19) throws -> GraphTensor {
      try evaluate1("Pad", [x, try i64(pads), value], ["mode": .string(mode)], opset: opset)
    }
    expectClose(try pad("constant", [1, 2], try f32([9], [])), [9, 1, 2, 3, 9, 9])
    expectClose(try pad("constant", [1, 0]), [0, 1, 2, 3])
    expectClose(try pad("reflect", [2, 2]), [3, 2, 1, 2, 3, 2, 1])
    expectClose(try pad("reflect", [4, 0]), [1, 2, 3, 2, 1, 2, 3])
    expectClose(try pad("edge", [2, 1]), [1, 1, 1, 2, 3, 3])
    expectClose(try pad("wrap", [2, 1]), [2, 3, 1, 2, 3, 1])
    expectClose(try pad("constant", [-1, 0]), [2, 3])
    expectError("mode 'wrap' is not one of constant, reflect, edge") { try pad("wrap", [1, 1], opset: 18) }
  }

  @Test("Pad in 2-D, with axes (opset 18), and its errors")
  func pad2D() throws {
    let m = try f32([1, 2, 3, 4], [2, 2])
    let p = try evaluate1("Pad", [m, try i64([1, 0, 0, 1])], ["mode": .string("reflect")])
    expectClose(p, [3, 4, 3, 1, 2, 1, 3, 4, 3], shape: [3, 3])
    let axes = try evaluate1("Pad", [m, try i64([1, 1]), nil, try i64([-1])], opset: 18)
    expectClose(axes, [0, 1, 2, 0, 0, 3, 4, 0], shape: [2, 4])
    let ints = try evaluate1("Pad", [try i64([5]), try i64([1, 1]), try i64([7], [])])
    #expect(ints.storage == .int64([7, 5, 7]))
    expectError("pads [1] must have 4 values") { try evaluate1("Pad", [m, try i64([1])]) }
    expectError("cannot pad the empty axis 0") { try evaluate1("Pad", [try f32([]), try i64([1, 1])], ["mode": .string("edge")]) }
    expectError("negative or huge size") { try evaluate1("Pad", [m, try i64([-3, 0, 0, 0])]) }
    expectError("more than 2^31") { try evaluate1("Pad", [m, try i64([1 << 40, 0, 0, 0])]) }
    expectError("constant_value and data") { try evaluate1("Pad", [m, try i64([0, 0, 0, 0]), try i64([1], [])]) }
  }
}
