import Foundation
import Testing

@testable import TesseraGraph

@Suite("Interpreter: Softmax, BatchNormalization, Dropout, Identity, Constant, Cast")
struct InterpreterNormalizationTests: InterpreterTesting {
  var m: GraphTensor { get throws { try f32([1, 2, 3, 3], [2, 2]) } }

  @Test("Softmax from opset 13 normalizes one axis")
  func softmax13() throws {
    expectClose(try evaluate1("Softmax", [m], opset: 13), [0.2689414213699951, 0.7310585786300049, 0.5, 0.5], shape: [2, 2])
    expectClose(try evaluate1("Softmax", [m], ["axis": .int(0)], opset: 13),
                [0.11920292202211755, 0.2689414213699951, 0.8807970779778823, 0.7310585786300049])
    expectClose(try evaluate1("Softmax", [try f32([1000, 1000, -1000])], opset: 13), [0.5, 0.5, 0])
    expectError("axis 2 is out of range") { try evaluate1("Softmax", [m], ["axis": .int(2)], opset: 13) }
  }

  @Test("Softmax before opset 13 coerces the input to 2-D at axis")
  func softmax11() throws {
    let all = [0.05406459, 0.1469628, 0.3994863, 0.3994863]
    expectClose(try evaluate1("Softmax", [m], ["axis": .int(0)], opset: 11), all)
    expectClose(try evaluate1("Softmax", [try f32([1, 2, 3, 3], [1, 2, 2])], opset: 11), all, shape: [1, 2, 2])
    expectClose(try evaluate1("Softmax", [m], opset: 12), [0.2689414213699951, 0.7310585786300049, 0.5, 0.5])
    let nan = try evaluate1("Softmax", [try f32([1, .nan, 2, 3], [2, 2])], opset: 13).float32!
    #expect(nan[0].isNaN && nan[1].isNaN && abs(nan[3] - 0.7310586) < 1e-6)
  }

  @Test("BatchNormalization in inference mode")
  func batchNorm() throws {
    // channel 0: (x − 1) / 2; channel 1: 2 · (x − 3) / 1 + 1.
    let x = try f32([1, 2, 3, 4], [1, 2, 1, 2])
    let params = [try f32([1, 2]), try f32([0, 1]), try f32([1, 3]), try f32([4, 1])]
    expectClose(try evaluate1("BatchNormalization", [x] + params, ["epsilon": .float(0)]), [0, 0.5, 1, 3], shape: [1, 2, 1, 2])
    let eps = try evaluate1("BatchNormalization", [x] + params)
    expectClose(eps, [0, 1 / sqrt(4.00001), 1, 2 / sqrt(1.00001) + 1], tolerance: 1e-6)
    expectError("'input_var' [3] must be [2]") { try evaluate1("BatchNormalization", [x] + params.dropLast() + [try f32([1, 2, 3])]) }
  }

  @Test("BatchNormalization training_mode (opset 14+) uses batch statistics and updates the running ones")
  func batchNormTraining() throws {
    let inputs = [try f32([1, 3], [2, 1, 1]), try f32([1]), try f32([0]), try f32([0]), try f32([1])]
    let out = try evaluate("BatchNormalization", inputs, ["training_mode": .int(1), "epsilon": .float(0)], opset: 15, outputs: 3)
    expectClose(out[0], [-1, 1])
    expectClose(out[1], [0.2])  // 0.9 · 0 + 0.1 · 2
    expectClose(out[2], [1])  // 0.9 · 1 + 0.1 · 1
    expectError("training-mode outputs") { try evaluate("BatchNormalization", inputs, [:], opset: 13, outputs: 5) }
  }

  @Test("Dropout is the identity in inference, with an all-true mask; random training is rejected")
  func dropout() throws {
    let x = try f32([1, 2, 3])
    let out = try evaluate("Dropout", [x, try f32([0.7], [])], outputs: 2)
    #expect(out[0] == x && out[1].storage == .bool([true, true, true]) && out[1].shape == [3])
    #expect(try evaluate("Dropout", [x]).count == 1)
    let zero = try evaluate1("Dropout", [x, try f32([0], []), try tensor(.bool([true]), [])])
    #expect(zero == x)
    expectError("training-mode dropout") { try evaluate1("Dropout", [x, nil, try tensor(.bool([true]), [])]) }
    expectError("ratio 1.0 must be in [0, 1)") { try evaluate1("Dropout", [x, try f32([1], [])]) }
    #expect(try evaluate1("Dropout", [x], ["ratio": .float(0.2)], opset: 11) == x)
  }

  @Test("Identity and Constant")
  func identityConstant() throws {
    let x = try i64([4, 5])
    #expect(try evaluate1("Identity", [x]) == x)
    #expect(try evaluate1("Constant", [], ["value": .tensor(x)]) == x)
    let f = try evaluate1("Constant", [], ["value_float": .float(2.5)])
    #expect(f.shape == [] && f.float32 == [2.5])
    #expect(try evaluate1("Constant", [], ["value_floats": .floats([1, 2])]).float32 == [1, 2])
    let i = try evaluate1("Constant", [], ["value_int": .int(7)])
    #expect(i.shape == [] && i.int64 == [7])
    #expect(try evaluate1("Constant", [], ["value_ints": .ints([1, -1])]).int64 == [1, -1])
    expectError("exactly one value attribute") { try evaluate1("Constant", []) }
    expectError("'value_string'") { try evaluate1("Constant", [], ["value_string": .string("a")]) }
  }

  @Test("Cast: float→int truncates toward zero and wraps, NaN → 0, bool, unsupported targets")
  func cast() throws {
    let x = try f32([1.7, -1.7, 300, .nan])
    #expect(try evaluate1("Cast", [x], ["to": .int(3)]).storage == .int8([1, -1, 44, 0]))
    #expect(try evaluate1("Cast", [x], ["to": .int(2)]).storage == .uint8([1, 255, 44, 0]))
    #expect(try evaluate1("Cast", [x], ["to": .int(7)]).storage == .int64([1, -1, 300, 0]))
    #expect(try evaluate1("Cast", [x], ["to": .int(9)]).storage == .bool([true, true, true, true]))
    #expect(try evaluate1("Cast", [try f32([1e20, -1e20])], ["to": .int(7)]).storage == .int64([.max, .min]))
    #expect(try evaluate1("Cast", [try i64([300, -1, 0])], ["to": .int(6)]).storage == .int32([300, -1, 0]))
    #expect(try evaluate1("Cast", [try i64([16_777_217])], ["to": .int(1)]).storage == .float32([16_777_216]))
    #expect(try evaluate1("Cast", [try tensor(.bool([true, false]))], ["to": .int(11)]).storage == .float64([1, 0]))
    #expect(try evaluate1("Cast", [try tensor(.float64([0.1]))], ["to": .int(1)]).storage == .float32([0.1]))
    #expect(try evaluate1("Cast", [x], ["to": .int(1), "saturate": .int(0)], opset: 19) == x)
    expectError("cast to ONNX data type 10 is not supported") { try evaluate1("Cast", [x], ["to": .int(10)]) }
    expectError("'to' is required") { try evaluate1("Cast", [x]) }
  }
}
