import Testing

@testable import TesseraGraph

/// GatherElements and IsNaN (both appear in PyTorch 2.x exports of BERT models).
@Suite("Interpreter: GatherElements and IsNaN")
struct InterpreterGatherElementsTests: InterpreterTesting {
  @Test("GatherElements on axis 0 and 1 (the ONNX examples), negative indices, smaller index shapes")
  func gatherElements() throws {
    let data = try f32([1, 2, 3, 4], [2, 2])
    #expect(try evaluate1("GatherElements", [data, try i64([0, 0, 1, 0], [2, 2])], ["axis": .int(1)]).float32 == [1, 1, 4, 3])
    let d3 = try f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])
    let axis0 = try evaluate1("GatherElements", [d3, try i64([1, 2, 0, 2, 0, 0], [2, 3])], ["axis": .int(0)])
    #expect(axis0.shape == [2, 3] && axis0.float32 == [4, 8, 3, 7, 2, 3])
    #expect(try evaluate1("GatherElements", [d3, try i64([-1, -3], [1, 2])], ["axis": .int(1)]).float32 == [3, 1])
    #expect(throws: GraphIRError.self) { try evaluate1("GatherElements", [data, try i64([2, 0], [1, 2])], ["axis": .int(1)]) }
    #expect(throws: GraphIRError.self) { try evaluate1("GatherElements", [data, try i64([0, 0])], ["axis": .int(0)]) }
  }

  @Test("IsNaN marks NaN only (not infinities)")
  func isNaN() throws {
    let x = try f32([1, .nan, .infinity, -.infinity, 0])
    #expect(try evaluate1("IsNaN", [x]).storage == .bool([false, true, false, false, false]))
  }
}
