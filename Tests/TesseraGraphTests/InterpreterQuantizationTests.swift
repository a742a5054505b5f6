import Testing

@testable import TesseraGraph

@Suite("Interpreter: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear")
struct InterpreterQuantizationTests: InterpreterTesting {
  @Test("QuantizeLinear rounds half to even and saturates (uint8 from the zero point)")
  func quantize() throws {
    let x = try f32([0, 0.5, 1.5, 2.5, -1, 1000, -1000, .nan])
    let y = try evaluate1("QuantizeLinear", [x, try f32([1], []), try tensor(.uint8([128]), [])])
    #expect(y.storage == .uint8([128, 128, 130, 130, 127, 255, 0, 128]))
    let halves = try evaluate1("QuantizeLinear", [try f32([1, 3, 5, -3]), try f32([2], []), try tensor(.uint8([10]), [])])
    #expect(halves.storage == .uint8([10, 12, 12, 8]))  // 0.5 → 0, 1.5 → 2, 2.5 → 2, −1.5 → −2
  }

  @Test("QuantizeLinear output type: zero point's, output_dtype (opset 21), default uint8")
  func quantizeTypes() throws {
    #expect(try evaluate1("QuantizeLinear", [try f32([-3, 3]), try f32([1], [])]).storage == .uint8([0, 3]))
    let s = try evaluate1("QuantizeLinear", [try f32([-200, 2.5, -2.5]), try f32([1], []), try tensor(.int8([0]), [])])
    #expect(s.storage == .int8([-128, 2, -2]))
    let o = try evaluate1("QuantizeLinear", [try f32([-200, 3]), try f32([1], [])], ["output_dtype": .int(3)], opset: 21)
    #expect(o.storage == .int8([-128, 3]))
    let i = try evaluate1("QuantizeLinear", [try tensor(.int32([10, -10])), try f32([4], []), try tensor(.int8([1]), [])])
    #expect(i.storage == .int8([3, -1]))  // 2.5 → 2, −2.5 → −2
    expectError("output_dtype int8 differs") {
      try evaluate1("QuantizeLinear", [try f32([1]), try f32([1], []), try tensor(.uint8([0]), [])], ["output_dtype": .int(3)], opset: 21)
    }
  }

  @Test("QuantizeLinear per axis (opset 13+) and blocked (opset 21)")
  func quantizePerAxis() throws {
    let x = try f32([1, 1, 2, 2], [2, 2])
    let y = try evaluate1("QuantizeLinear", [x, try f32([1, 0.5]), try tensor(.uint8([0, 10]))], ["axis": .int(1)], opset: 13)
    #expect(y.storage == .uint8([1, 12, 2, 14]))
    let rows = try evaluate1("QuantizeLinear", [x, try f32([1, 0.5]), try tensor(.uint8([0, 10]))], ["axis": .int(-2)], opset: 13)
    #expect(rows.storage == .uint8([1, 1, 14, 14]))
    let blocked = try evaluate1("QuantizeLinear", [try f32([1, 2, 3, 4], [1, 4]), try f32([1, 0.5], [1, 2])],
                                ["axis": .int(1), "block_size": .int(2)], opset: 21)
    #expect(blocked.storage == .uint8([1, 2, 6, 8]))
    expectError("'y_scale' [3] must be a scalar or [2]") {
      try evaluate1("QuantizeLinear", [x, try f32([1, 1, 1])], ["axis": .int(1)], opset: 13)
    }
    expectError("must be a scalar before opset 13") { try evaluate1("QuantizeLinear", [x, try f32([1, 0.5])], opset: 12) }
    expectError("axis 2 is out of range") { try evaluate1("QuantizeLinear", [x, try f32([1, 0.5])], ["axis": .int(2)], opset: 13) }
    expectError("'x' is float64") { try evaluate1("QuantizeLinear", [try tensor(.float64([1])), try f32([1], [])]) }
  }

  @Test("DequantizeLinear: uint8/int8/int32, per tensor and per axis")
  func dequantize() throws {
    let y = try evaluate1("DequantizeLinear", [try tensor(.uint8([0, 128, 255])), try f32([0.5], []), try tensor(.uint8([128]), [])])
    expectClose(y, [-64, 0, 63.5])
    #expect(y.elementType == .float32)
    expectClose(try evaluate1("DequantizeLinear", [try tensor(.int32([-4, 6])), try f32([0.25], [])]), [-1, 1.5])
    let axis = try evaluate1("DequantizeLinear", [try tensor(.int8([1, 2, 3, 4]), [2, 2]), try f32([1, 10]), try tensor(.int8([0, 1]))],
                             ["axis": .int(0)], opset: 13)
    expectClose(axis, [1, 2, 20, 30])
    expectError("x_zero_point and x") {
      try evaluate1("DequantizeLinear", [try tensor(.int8([1])), try f32([1], []), try tensor(.uint8([0]), [])])
    }
  }

  @Test("DynamicQuantizeLinear: the ONNX example, and an all-zero input")
  func dynamic() throws {
    let out = try evaluate("DynamicQuantizeLinear", [try f32([0, 2, -3, -2.5, 1.34, 0.5])], outputs: 3)
    #expect(out[0].storage == .uint8([153, 255, 0, 26, 221, 179]))
    #expect(out[1].shape == [] && out[1].float32 == [Float(5) / 255])
    #expect(out[2].shape == [] && out[2].storage == .uint8([153]))
    let zeros = try evaluate("DynamicQuantizeLinear", [try f32([0, 0])], outputs: 3)
    #expect(zeros[0].storage == .uint8([0, 0]) && zeros[1].float32 == [1] && zeros[2].storage == .uint8([0]))
    let positive = try evaluate("DynamicQuantizeLinear", [try f32([1, 2, 4])], outputs: 3)
    #expect(positive[2].storage == .uint8([0]) && positive[0].storage == .uint8([64, 127, 255]))  // float32: 2 / (4/255) = 127.49999
  }
}
