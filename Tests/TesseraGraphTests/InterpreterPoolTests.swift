import Testing

@testable import TesseraGraph

@Suite("Interpreter: MaxPool, AveragePool, GlobalAveragePool")
struct InterpreterPoolTests: InterpreterTesting {
  @Test("MaxPool 2×2 stride 2, with flat Indices")
  func maxPool() throws {
    let x = try f32((1...16).map(Float.init), [1, 1, 4, 4])
    let out = try evaluate("MaxPool", [x], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])], outputs: 2)
    expectClose(out[0], [6, 8, 14, 16], shape: [1, 1, 2, 2])
    #expect(out[1].storage == .int64([5, 7, 13, 15]))
    // Indices count whole planes: the second channel's first maximum is at 16 + 5.
    let two = try evaluate("MaxPool", [try f32((1...32).map(Float.init), [1, 2, 4, 4])], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])], outputs: 2)
    #expect(two[1].int64![4] == 21)
  }

  @Test("MaxPool ceil_mode adds a window only when it starts inside the input or leading padding")
  func maxPoolCeil() throws {
    let x = try f32([1, 3, 2, 5, 4], [1, 1, 5])
    let attrs: [String: Attribute] = ["kernel_shape": .ints([2]), "strides": .ints([2])]
    expectClose(try evaluate1("MaxPool", [x], attrs), [3, 5], shape: [1, 1, 2])
    expectClose(try evaluate1("MaxPool", [x], attrs.merging(["ceil_mode": .int(1)]) { $1 }), [3, 5, 4], shape: [1, 1, 3])
    // in 4, kernel 2, stride 2, end pad 1: the ceil window would start in the end padding.
    let y = try evaluate1("MaxPool", [try f32([1, 2, 3, 4], [1, 1, 4])],
                          attrs.merging(["ceil_mode": .int(1), "pads": .ints([0, 1])]) { $1 })
    expectClose(y, [2, 4], shape: [1, 1, 2])
  }

  @Test("MaxPool: padding never wins, dilations, NaN skipped, int8")
  func maxPoolDetails() throws {
    let padded = try evaluate1("MaxPool", [try f32([-5, -3], [1, 1, 2])], ["kernel_shape": .ints([2]), "pads": .ints([1, 1])])
    expectClose(padded, [-5, -3, -3], shape: [1, 1, 3])
    let dilated = try evaluate1("MaxPool", [try f32([1, 9, 2, 8, 3], [1, 1, 5])], ["kernel_shape": .ints([2]), "dilations": .ints([2])])
    expectClose(dilated, [2, 9, 3])
    let nan = try evaluate1("MaxPool", [try f32([.nan, 1, .nan, .nan], [1, 1, 4])], ["kernel_shape": .ints([2]), "strides": .ints([2])]).float32!
    #expect(nan[0] == 1 && nan[1].isNaN)
    let q = try evaluate1("MaxPool", [try tensor(.int8([-7, -2, 5, -128]), [1, 1, 4])], ["kernel_shape": .ints([2]), "strides": .ints([2])])
    #expect(q.storage == .int8([-2, 5]))
  }

  @Test("MaxPool Indices with storage_order 1 are column-major within the plane")
  func storageOrder() throws {
    // X [1,1,2,3] = [[1, 6, 2], [5, 3, 9]]; window (0,1) covers [[6, 2], [3, 9]], max 9 at (1, 2).
    let x = try f32([1, 6, 2, 5, 3, 9], [1, 1, 2, 3])
    let rowMajor = try evaluate("MaxPool", [x], ["kernel_shape": .ints([2, 2])], outputs: 2)
    #expect(rowMajor[1].storage == .int64([1, 5]))
    let columnMajor = try evaluate("MaxPool", [x], ["kernel_shape": .ints([2, 2]), "storage_order": .int(1)], outputs: 2)
    #expect(columnMajor[1].storage == .int64([2, 5]))
    expectClose(columnMajor[0], [6, 9])
    expectError("storage_order 2") { try evaluate("MaxPool", [x], ["kernel_shape": .ints([2, 2]), "storage_order": .int(2)], outputs: 2) }
  }

  @Test("AveragePool count_include_pad with explicit pads")
  func averageIncludePad() throws {
    let x = try f32([1, 2, 3], [1, 1, 3])
    let attrs: [String: Attribute] = ["kernel_shape": .ints([2]), "strides": .ints([2]), "pads": .ints([1, 1])]
    expectClose(try evaluate1("AveragePool", [x], attrs), [1, 2.5], shape: [1, 1, 2])
    expectClose(try evaluate1("AveragePool", [x], attrs.merging(["count_include_pad": .int(1)]) { $1 }), [0.5, 2.5])
  }

  @Test("AveragePool with ceil_mode counts padding but never the ceil overhang")
  func averageCeil() throws {
    // in 4, pads 1/1, kernel 3, stride 2, ceil → 3 windows: [pad,1,2], [2,3,4], [4,pad,overhang].
    let x = try f32([1, 2, 3, 4], [1, 1, 4])
    let attrs: [String: Attribute] = ["kernel_shape": .ints([3]), "strides": .ints([2]), "pads": .ints([1, 1]), "ceil_mode": .int(1)]
    expectClose(try evaluate1("AveragePool", [x], attrs.merging(["count_include_pad": .int(1)]) { $1 }), [1, 3, 2], shape: [1, 1, 3])
    expectClose(try evaluate1("AveragePool", [x], attrs), [1.5, 3, 4], shape: [1, 1, 3])
  }

  @Test("AveragePool dilations (opset 19), SAME_UPPER and 2-D windows")
  func averageMore() throws {
    let x = try f32([1, 2, 3, 4, 5], [1, 1, 5])
    expectClose(try evaluate1("AveragePool", [x], ["kernel_shape": .ints([2]), "dilations": .ints([2])], opset: 19), [2, 3, 4])
    expectClose(try evaluate1("AveragePool", [x], ["kernel_shape": .ints([2]), "auto_pad": .string("SAME_UPPER")]), [1.5, 2.5, 3.5, 4.5, 5])
    let y = try evaluate1("AveragePool", [try f32((1...9).map(Float.init), [1, 1, 3, 3])], ["kernel_shape": .ints([2, 2])])
    expectClose(y, [3, 4, 6, 7], shape: [1, 1, 2, 2])
  }

  @Test("GlobalAveragePool averages every spatial dimension")
  func global() throws {
    let y = try evaluate1("GlobalAveragePool", [try f32((1...8).map(Float.init), [1, 2, 2, 2])])
    expectClose(y, [2.5, 6.5], shape: [1, 2, 1, 1])
    expectClose(try evaluate1("GlobalAveragePool", [try f32([1, 2, 3, 5], [2, 1, 2])]), [1.5, 4], shape: [2, 1, 1])
  }

  @Test("malformed pools are node errors")
  func errors() throws {
    let x = try f32([1, 2, 3, 4], [1, 1, 2, 2])
    expectError("node 'n' (MaxPool)", "'kernel_shape' is required") { try evaluate1("MaxPool", [x]) }
    expectError("larger than the padded input") { try evaluate1("AveragePool", [x], ["kernel_shape": .ints([3, 3])]) }
    expectError("kernel_shape [2] does not match 2 spatial") { try evaluate1("MaxPool", [x], ["kernel_shape": .ints([2])]) }
    expectError("strides [0, 1]") { try evaluate1("MaxPool", [x], ["kernel_shape": .ints([1, 1]), "strides": .ints([0, 1])]) }
    expectError("more than 2^24 taps") {
      try evaluate1("MaxPool", [x], ["kernel_shape": .ints([5000, 5000]), "pads": .ints([5000, 5000, 5000, 5000])])
    }
    expectError("kernel_shape") { try evaluate1("AveragePool", [x], ["kernel_shape": .ints([0, 1])]) }
    expectError("'X' is int32") { try evaluate1("MaxPool", [try tensor(.int32([1, 2]), [1, 1, 2])], ["kernel_shape": .ints([1])]) }
    expectError("must be [N, C, spatial…]") { try evaluate1("GlobalAveragePool", [try f32([1, 2])]) }
  }
}
