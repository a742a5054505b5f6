import Testing

@testable import TesseraGraph

@Suite("Interpreter: Conv and QLinearConv")
struct InterpreterConvTests: InterpreterTesting {
  /// X = 1…9 as [1, 1, 3, 3].
  var x: GraphTensor { get throws { try f32((1...9).map(Float.init), [1, 1, 3, 3]) } }

  @Test("a 2×2 kernel, with and without bias")
  func basic() throws {
    let w = try f32([1, 0, 0, 1], [1, 1, 2, 2])
    expectClose(try evaluate1("Conv", [x, w]), [6, 8, 12, 14], shape: [1, 1, 2, 2])
    expectClose(try evaluate1("Conv", [x, w, try f32([1])]), [7, 9, 13, 15])
  }

  @Test("pads, strides and dilations")
  func geometry() throws {
    let ones3 = try f32(Array(repeating: 1, count: 9), [1, 1, 3, 3])
    let padded = try evaluate1("Conv", [ones3, ones3], ["pads": .ints([1, 1, 1, 1])])
    expectClose(padded, [4, 6, 4, 6, 9, 6, 4, 6, 4], shape: [1, 1, 3, 3])
    let strided = try evaluate1("Conv", [x, ones3], ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])])
    expectClose(strided, [12, 16, 24, 28], shape: [1, 1, 2, 2])
    let dilated = try evaluate1("Conv", [x, try f32([1, 1, 1, 1], [1, 1, 2, 2])], ["dilations": .ints([2, 2])])
    expectClose(dilated, [20], shape: [1, 1, 1, 1])
    let asymmetric = try evaluate1("Conv", [x, try f32([1], [1, 1, 1, 1])], ["pads": .ints([0, 1, 0, 0])])
    expectClose(asymmetric, [0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9], shape: [1, 1, 3, 4])
  }

  @Test("groups and depthwise convolution")
  func groups() throws {
    let y = try evaluate1("Conv", [try f32([3, 5], [1, 2, 1, 1]), try f32([2, 10], [2, 1, 1, 1])], ["group": .int(2)])
    expectClose(y, [6, 50], shape: [1, 2, 1, 1])
    // Two groups of (2 in → 1 out): out0 = 1·a + 1·b, out1 = 2·c − d.
    let z = try evaluate1("Conv", [try f32([1, 2, 3, 4], [1, 4, 1, 1]), try f32([1, 1, 2, -1], [2, 2, 1, 1])], ["group": .int(2)])
    expectClose(z, [3, 2])
  }

  @Test("1-D convolution and auto_pad SAME_UPPER / SAME_LOWER / VALID")
  func autoPad() throws {
    expectClose(try evaluate1("Conv", [try f32([1, 2, 3, 4, 5], [1, 1, 5]), try f32([1, 1, 1], [1, 1, 3])]), [6, 9, 12], shape: [1, 1, 3])
    let v = try f32([1, 2, 3, 4], [1, 1, 4]), w = try f32([1, 1], [1, 1, 2])
    expectClose(try evaluate1("Conv", [v, w], ["auto_pad": .string("SAME_UPPER")]), [3, 5, 7, 4], shape: [1, 1, 4])
    expectClose(try evaluate1("Conv", [v, w], ["auto_pad": .string("SAME_LOWER")]), [1, 3, 5, 7], shape: [1, 1, 4])
    expectClose(try evaluate1("Conv", [v, w], ["auto_pad": .string("VALID"), "pads": .ints([5, 5])]), [3, 5, 7], shape: [1, 1, 3])
    let strided = try evaluate1("Conv", [v, w], ["auto_pad": .string("SAME_UPPER"), "strides": .ints([3])])
    expectClose(strided, [3, 4], shape: [1, 1, 2])
  }

  @Test("a 3-D convolution")
  func threeD() throws {
    let y = try evaluate1("Conv", [try f32((1...8).map(Float.init), [1, 1, 2, 2, 2]), try f32(Array(repeating: 1, count: 8), [1, 1, 2, 2, 2])])
    expectClose(y, [36], shape: [1, 1, 1, 1, 1])
  }

  @Test("malformed convolutions are node errors, never traps")
  func errors() throws {
    let w = try f32([1, 0, 0, 1], [1, 1, 2, 2])
    expectError("node 'n' (Conv)", "channel mismatch") { try evaluate1("Conv", [try f32(Array(repeating: 1, count: 18), [1, 2, 3, 3]), w]) }
    expectError("strides [-1, 1]") { try evaluate1("Conv", [x, w], ["strides": .ints([-1, 1])]) }
    expectError("strides [0, 1]") { try evaluate1("Conv", [x, w], ["strides": .ints([0, 1])]) }
    expectError("dilations") { try evaluate1("Conv", [x, w], ["dilations": .ints([0, 1])]) }
    expectError("larger than the padded input") { try evaluate1("Conv", [try f32([1, 2, 3, 4], [1, 1, 2, 2]), try f32(Array(repeating: 1, count: 9), [1, 1, 3, 3])]) }
    expectError("pads [1, 1] must have 4 values") { try evaluate1("Conv", [x, w], ["pads": .ints([1, 1])]) }
    expectError("pads") { try evaluate1("Conv", [x, w], ["pads": .ints([-1, 0, 0, 0])]) }
    expectError("auto_pad 'SAME'") { try evaluate1("Conv", [x, w], ["auto_pad": .string("SAME")]) }
    expectError("group 0") { try evaluate1("Conv", [x, w], ["group": .int(0)]) }
    expectError("channel mismatch") { try evaluate1("Conv", [x, w], ["group": .int(Int.max)]) }
    expectError("kernel_shape [3, 3] differs") { try evaluate1("Conv", [x, w], ["kernel_shape": .ints([3, 3])]) }
    expectError("B [2] must be [1]") { try evaluate1("Conv", [x, w, try f32([1, 2])]) }
    expectError("must be [N, C, spatial…]") { try evaluate1("Conv", [try f32([1, 2]), try f32([1, 2])]) }
    expectError("dilated kernel") { try evaluate1("Conv", [x, w], ["dilations": .ints([1 << 31, 1 << 31])]) }
  }

  @Test("QLinearConv: per-tensor and per-channel weights, bias, saturation")
  func qLinearConv() throws {
    // x = [10, 20, 30, 40] − 10, w = 4 (scale 0.25), x_scale 0.5, y_scale 1: y = acc · 0.125 + 100.
    let qx = try tensor(.uint8([10, 20, 30, 40]), [1, 1, 2, 2])
    func run(_ w: GraphTensor, _ wScale: GraphTensor, _ wZero: GraphTensor, _ yZero: GraphTensor, bias: GraphTensor? = nil) throws -> GraphTensor {
      try evaluate1("QLinearConv", [qx, try f32([0.5], []), try tensor(.uint8([10]), []), w, wScale, wZero, try f32([1], []), yZero, bias])
    }
    let y = try run(try tensor(.int8([4]), [1, 1, 1, 1]), try f32([0.25], []), try tensor(.int8([0]), []), try tensor(.uint8([100]), []))
    #expect(y.storage == .uint8([100, 105, 110, 115]) && y.shape == [1, 1, 2, 2])
    let biased = try run(try tensor(.int8([4]), [1, 1, 1, 1]), try f32([0.25], []), try tensor(.int8([0]), []), try tensor(.uint8([100]), []),
                         bias: try tensor(.int32([8])))
    #expect(biased.storage == .uint8([101, 106, 111, 116]))
    let perChannel = try run(try tensor(.int8([4, -4]), [2, 1, 1, 1]), try f32([0.25, 0.5]), try tensor(.int8([0, 0])), try tensor(.uint8([100]), []))
    #expect(perChannel.storage == .uint8([100, 105, 110, 115, 100, 90, 80, 70]))
    let signed = try run(try tensor(.int8([127]), [1, 1, 1, 1]), try f32([1]), try tensor(.int8([0])), try tensor(.int8([0]), []))
    #expect(signed.storage == .int8([0, 127, 127, 127]))  // 0, 635, 1270, 1905 saturate
    expectError("'w_scale' must be a scalar or a per-output-channel vector of 1") {
      try run(try tensor(.int8([4]), [1, 1, 1, 1]), try f32([0.25, 0.5]), try tensor(.int8([0]), []), try tensor(.uint8([100]), []))
    }
  }
}
