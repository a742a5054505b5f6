import Foundation
import Testing

@testable import TesseraGraph

@Suite("Interpreter: transformer operators (math, comparisons, Where, Max/Min, Fill)")
struct InterpreterTransformerOpsTests: InterpreterTesting {
  @Test("unary math: Neg, Abs, Sqrt, Exp, Log, Reciprocal, Erf on float32; Neg/Abs wrap on integers")
  func unary() throws {
    let x = try f32([-2, 0.5, 4])
    #expect(try evaluate1("Neg", [x]).float32 == [2, -0.5, -4])
    #expect(try evaluate1("Abs", [x]).float32 == [2, 0.5, 4])
    let roots = try evaluate1("Sqrt", [x]).float32!
    #expect(roots[0].isNaN && roots[1] == Float(0.5).squareRoot() && roots[2] == 2)
    expectClose(try evaluate1("Exp", [x]), [exp(-2), exp(0.5), exp(4)])
    let logs = try evaluate1("Log", [try f32([0, 1, Float(M_E)])]).float32!
    #expect(logs[0] == -.infinity && logs[1] == 0 && abs(logs[2] - 1) < 1e-6)
    #expect(try evaluate1("Reciprocal", [x]).float32 == [-0.5, 2, 0.25])
    expectClose(try evaluate1("Erf", [try f32([0, 0.5, -1, 3])]), [0, 0.5204998778, -0.8427007929, 0.9999779095])
    #expect(try evaluate1("Neg", [try tensor(.int8([-128, 5]))]).storage == .int8([-128, -5]))
    #expect(try evaluate1("Abs", [try i64([-3, 4])]).storage == .int64([3, 4]))
    #expect(try evaluate1("Exp", [try tensor(.float64([1]))]).storage == .float64([M_E]))
    expectError("node 'n' (Sqrt)", "expected float32 or float64") { try evaluate1("Sqrt", [try i64([4])]) }
    expectError("node 'n' (Neg)") { try evaluate1("Neg", [try tensor(.bool([true]))]) }
  }

  @Test("Gelu: exact (erf) and tanh forms, opset 20 only")
  func gelu() throws {
    let values: [Float] = [-3, -1, -0.5, 0, 0.5, 1, 3]
    let exact = values.map { x in 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot())) }
    let tanhForm = values.map { x -> Double in
      let d = Double(x)
      return 0.5 * d * (1 + tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
    }
    expectClose(try evaluate1("Gelu", [try f32(values)], opset: 20), exact, tolerance: 1e-6)
    expectClose(try evaluate1("Gelu", [try f32(values)], ["approximate": .string("tanh")], opset: 20), tanhForm, tolerance: 1e-6)
    // The two forms differ by up to ~2e-4 near |x| = 2: not the same function.
    #expect(zip(exact, tanhForm).contains { abs($0 - $1) > 1e-5 })
    expectClose(try evaluate1("Gelu", [try f32([1])], opset: 20), [0.8413447461])
    expectError("approximate 'fast'") { try evaluate1("Gelu", [try f32([1])], ["approximate": .string("fast")], opset: 20) }
    expectError("Gelu", "opset 17") { try evaluate1("Gelu", [try f32([1])], opset: 17) }
  }

  @Test("Pow: broadcasting, mixed types, exact integer powers")
  func pow() throws {
    expectClose(try evaluate1("Pow", [try f32([1, 2, 3, 4], [2, 2]), try f32([2])]), [1, 4, 9, 16], shape: [2, 2])
    expectClose(try evaluate1("Pow", [try f32([4, 9]), try f32([0.5, -1], [2, 1])]), [2, 3, 0.25, 1.0 / 9], shape: [2, 2])
    #expect(try evaluate1("Pow", [try f32([2, 3]), try i64([3])]).float32 == [8, 27])
    #expect(try evaluate1("Pow", [try i64([3, -2]), try i64([3, 3])]).storage == .int64([27, -8]))
    #expect(try evaluate1("Pow", [try tensor(.int32([2, 10])), try f32([0.5, 2])]).storage == .int32([1, 100]))
    #expect(try evaluate1("Pow", [try i64([3]), try i64([39])]).storage == .int64([4_052_555_153_018_976_267]))
    expectError("'X' is bool") { try evaluate1("Pow", [try tensor(.bool([true])), try f32([1])]) }
  }

  @Test("Max, Min, Sum, Mean: variadic, broadcasting, NaN wins, integers")
  func extremes() throws {
    let a = try f32([1, 5, 3, 2], [2, 2]), b = try f32([4, 0]), c = try f32([2], [])
    expectClose(try evaluate1("Max", [a, b, c]), [4, 5, 4, 2], shape: [2, 2])
    expectClose(try evaluate1("Min", [a, b, c]), [1, 0, 2, 0], shape: [2, 2])
    expectClose(try evaluate1("Max", [a]), [1, 5, 3, 2], shape: [2, 2])
    #expect(try evaluate1("Min", [try f32([1, .nan]), try f32([.nan, 2])]).float32!.allSatisfy(\.isNaN))
    #expect(try evaluate1("Max", [try i64([-5, 7]), try i64([3], [1])]).storage == .int64([3, 7]))
    expectError("node 'n' (Max)", "cannot broadcast shapes [2, 2], [3] and []") { try evaluate1("Max", [a, try f32([1, 2, 3]), c]) }
    expectError("same element type") { try evaluate1("Min", [a, try i64([1])]) }
    expectClose(try evaluate1("Sum", [a, b, c]), [7, 7, 9, 4], shape: [2, 2])
    expectClose(try evaluate1("Mean", [a, b]), [2.5, 2.5, 3.5, 1], shape: [2, 2])
    #expect(try evaluate1("Sum", [try tensor(.int8([127])), try tensor(.int8([1, 2]))]).storage == .int8([-128, -127]))
    expectError("node 'n' (Mean)", "expected float32 or float64") { try evaluate1("Mean", [try i64([1])]) }
  }

  @Test("comparisons: bool outputs, broadcasting, NaN, integer and bool inputs")
  func comparisons() throws {
    let a = try f32([1, 2, 3, .nan], [2, 2]), b = try f32([2, 2], [2])
    #expect(try evaluate1("Equal", [a, b]).storage == .bool([false, true, false, false]))
    #expect(try evaluate1("Less", [a, b]).storage == .bool([true, false, false, false]))
    #expect(try evaluate1("Greater", [a, b]).storage == .bool([false, false, true, false]))
    #expect(try evaluate1("LessOrEqual", [a, b]).storage == .bool([true, true, false, false]))
    #expect(try evaluate1("GreaterOrEqual", [a, b]).storage == .bool([false, true, true, false]))
    let eq = try evaluate1("Equal", [try i64([1, -1, 3], [3, 1]), try i64([-1, 3], [1, 2])])
    #expect(eq.shape == [3, 2] && eq.storage == .bool([false, false, true, false, false, true]))
    #expect(try evaluate1("Equal", [try tensor(.bool([true, false])), try tensor(.bool([true]))]).storage == .bool([true, false]))
    expectError("'A' is bool") { try evaluate1("Less", [try tensor(.bool([true])), try tensor(.bool([true]))]) }
    expectError("same element type") { try evaluate1("Equal", [try f32([1]), try i64([1])]) }
    expectError("cannot broadcast shapes [3] and [2]") { try evaluate1("Greater", [try f32([1, 2, 3]), try f32([1, 2])]) }
  }

  @Test("logical: Not, And, Or, Xor with broadcasting; non-bool inputs are errors")
  func logical() throws {
    let a = try tensor(.bool([true, false, true, false]), [2, 2]), b = try tensor(.bool([true, false]), [2, 1])
    #expect(try evaluate1("And", [a, b]).storage == .bool([true, false, false, false]))
    #expect(try evaluate1("Or", [a, b]).storage == .bool([true, true, true, false]))
    #expect(try evaluate1("Xor", [a, b]).storage == .bool([false, true, true, false]))
    #expect(try evaluate1("Not", [a]).storage == .bool([false, true, false, true]))
    expectError("node 'n' (Not)", "expected bool") { try evaluate1("Not", [try f32([1])]) }
    expectError("must be bool") { try evaluate1("And", [a, try f32([1])]) }
  }

  @Test("Where: three-way broadcasting, any element type, a BERT-style mask fill")
  func whereSelect() throws {
    let condition = try tensor(.bool([true, false, false, true]), [2, 2])
    let y = try evaluate1("Where", [condition, try f32([1, 2, 3, 4], [2, 2]), try f32([-1], [])])
    expectClose(y, [1, -1, -1, 4], shape: [2, 2])
    // condition [1, 3] against X [2, 1] and Y [3]: output [2, 3].
    let z = try evaluate1(
      "Where", [try tensor(.bool([true, false, true]), [1, 3]), try i64([10, 20], [2, 1]), try i64([7, 8, 9])])
    #expect(z.shape == [2, 3] && z.storage == .int64([10, 8, 10, 20, 8, 20]))
    // Masked scores: keep the score where the mask holds, else the float32 minimum.
    let scores = try f32([0.5, 0.25, 0.125], [1, 3]), mask = try tensor(.bool([true, true, false]), [3])
    let filled = try evaluate1("Where", [mask, scores, try f32([-Float.greatestFiniteMagnitude], [])])
    #expect(filled.float32 == [0.5, 0.25, -Float.greatestFiniteMagnitude])
    expectError("'condition' is float32") { try evaluate1("Where", [try f32([1]), try f32([1]), try f32([1])]) }
    expectError("X and Y") { try evaluate1("Where", [condition, try f32([1]), try i64([1])]) }
  }

  @Test("ConstantOfShape: default float32 zero, typed value, scalar; Tile repeats per axis")
  func fill() throws {
    let zeros = try evaluate1("ConstantOfShape", [try i64([2, 3])])
    #expect(zeros.shape == [2, 3] && zeros.storage == .float32(Array(repeating: 0, count: 6)))
    let ones = try evaluate1("ConstantOfShape", [try i64([3])], ["value": .tensor(try i64([1], [1]))])
    #expect(ones.storage == .int64([1, 1, 1]))
    let scalar = try evaluate1("ConstantOfShape", [try i64([], [0])], ["value": .tensor(try f32([7], [1]))])
    #expect(scalar.shape == [] && scalar.float32 == [7])
    #expect(try evaluate1("ConstantOfShape", [try i64([2, 0])]).shape == [2, 0])
    expectError("negative dimension") { try evaluate1("ConstantOfShape", [try i64([2, -1])]) }
    let tiled = try evaluate1("Tile", [try f32([1, 2, 3, 4], [2, 2]), try i64([2, 3])])
    #expect(tiled.shape == [4, 6])
    #expect(tiled.float32 == [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
    #expect(try evaluate1("Tile", [try i64([5, 6]), try i64([0])]).shape == [0])
    expectError("one entry per axis") { try evaluate1("Tile", [try f32([1, 2]), try i64([1, 2])]) }
  }

  @Test("Size counts elements; CastLike casts to the second input's type")
  func sizeAndCastLike() throws {
    #expect(try evaluate1("Size", [try f32(Array(repeating: 0, count: 6), [2, 3])]) == (try i64([6], [])))
    #expect(try evaluate1("Size", [try f32([], [4, 0])]).storage == .int64([0]))
    #expect(try evaluate1("CastLike", [try f32([1.9, -1.9, 0]), try i64([0], [])]).storage == .int64([1, -1, 0]))
    #expect(try evaluate1("CastLike", [try i64([2, 0]), try tensor(.bool([true]))]).storage == .bool([true, false]))
    expectError("CastLike", "opset 13") { try evaluate1("CastLike", [try f32([1]), try f32([1])], opset: 13) }
  }

  @Test("a Gelu node below opset 20 is named when the interpreter is built")
  func geluOpset() throws {
    var g = Graph(name: "gelu", opset: 17)
    g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, [2]))]
    g.nodes = [Node(name: "act", op: "Gelu", inputs: ["x"], outputs: ["y"])]
    g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, [2]))]
    #expect(throws: GraphIRError.unsupportedOperator(node: "act", op: "Gelu", opset: 17)) { try ReferenceInterpreter(graph: g) }
    g.opset = 20
    expectClose(try ReferenceInterpreter(graph: g).run(["x": try f32([0, 1])])["y"]!, [0, 0.8413447461])
  }

  @Test("Gather: int32 and negative indices along a negative axis")
  func gather() throws {
    let table = try f32([0, 1, 2, 10, 11, 12], [2, 3])
    let rows = try evaluate1("Gather", [table, try tensor(.int32([1, -2, 1]), [1, 3])])
    #expect(rows.shape == [1, 3, 3] && rows.float32 == [10, 11, 12, 0, 1, 2, 10, 11, 12])
    let columns = try evaluate1("Gather", [table, try i64([-1])], ["axis": .int(-1)])
    #expect(columns.shape == [2, 1] && columns.float32 == [2, 12])
  }
}
