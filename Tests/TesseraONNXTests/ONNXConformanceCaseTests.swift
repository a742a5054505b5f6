import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

/// Writes a backend-test case folder: `model.onnx` (y = op(x), x and y float32 [2, 2]) and one
/// `test_data_set_<n>` per (input, expected output) pair.
@discardableResult
private func writeCase(
  _ folder: TempFolder, name: String, op: String = "Relu", attributes: [String: Attribute] = [:],
  sets: [([Float], [Float])]
) throws -> String {
  var g = Graph(name: name, opset: 17)
  g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, fixed: [2, 2]))]
  g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, fixed: [2, 2]))]
  g.nodes = [Node(name: "n", op: op, inputs: ["x"], outputs: ["y"], attributes: attributes)]
  let dir = folder.file(name)
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  try ONNXExporter.write(g, to: dir + "/model.onnx")
  for (n, (x, y)) in sets.enumerated() {
    let set = dir + "/test_data_set_\(n)"
    try FileManager.default.createDirectory(atPath: set, withIntermediateDirectories: true)
    try ONNXExporter.write(try GraphTensor(float32: x, shape: [2, 2]), name: "x", to: set + "/input_0.pb")
    try ONNXExporter.write(try GraphTensor(float32: y, shape: [2, 2]), name: "y", to: set + "/output_0.pb")
  }
  return dir
}

@Suite("ONNX conformance runner")
struct ONNXConformanceCaseTests {
  @Test("a matching case passes; a wrong output in a later data set fails naming the set, output and element")
  func passAndFail() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let good = try writeCase(folder, name: "test_relu_ok", sets: [([-1, 2, -3, 4], [0, 2, 0, 4])])
    #expect(
      ONNXConformance.run(caseDirectory: good)
        == .init(name: "test_relu_ok", ops: ["Relu"], opset: 17, status: .passed))
    let bad = try writeCase(
      folder, name: "test_relu_bad", sets: [([-1, 2, -3, 4], [0, 2, 0, 4]), ([1, 1, 1, 1], [1, 1, 1.5, 1])])
    let result = ONNXConformance.run(caseDirectory: bad + "/")
    #expect(result.name == "test_relu_bad")
    #expect(result.status == .failed)
    #expect(
      result.reason
        == "test_data_set_1: output 'y': 1 of 4 elements off; max abs error 0.5 at [1, 0] (got 1, expected 1.5), "
        + "max rel error 0.333 at [1, 0] (got 1, expected 1.5)")
  }

  @Test("unsupported operators and opsets are unsupported; errors and missing data sets are failures")
  func classification() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let sin = try writeCase(folder, name: "test_sin", op: "Sin", sets: [([0, 0, 0, 0], [0, 0, 0, 0])])
    #expect(
      ONNXConformance.run(caseDirectory: sin)
        == .init(
          name: "test_sin", ops: ["Sin"], opset: 17, status: .unsupported,
          reason: "operator not in OperatorSet.supported: Sin"))
    // Softmax on a rank-2 input with axis 5 is rejected by the interpreter: a failure.
    let softmax = try writeCase(
      folder, name: "test_softmax_axis", op: "Softmax", attributes: ["axis": .int(5)], sets: [([0, 0, 0, 0], [0, 0, 0, 0])])
    let thrown = ONNXConformance.run(caseDirectory: softmax)
    #expect(thrown.status == .failed)
    #expect(thrown.reason?.contains("Softmax") == true)
    let empty = try writeCase(folder, name: "test_relu_nodata", sets: [])
    #expect(ONNXConformance.run(caseDirectory: empty).reason == "no test_data_set_* folder")
    let missing = ONNXConformance.run(caseDirectory: folder.file("test_missing"))
    #expect(missing.status == .failed && missing.ops.isEmpty)

    // An opset the importer rejects, with the model named relative to the node folder.
    var model = try Onnx_ModelProto(serializedBytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: sin + "/model.onnx"))))
    model.opsetImport[0].version = 9
    model.graph.node[0].opType = "Relu"
    try folder.write("test_sin/model.onnx", try model.serializedBytes())
    let old = ONNXConformance.run(caseDirectory: sin)
    #expect(old.status == .unsupported && old.opset == 9)
    #expect(old.reason?.hasPrefix("test_sin/model.onnx: opset 9 of the default domain is not supported") == true)
  }

  @Test("training-mode Dropout with a nonzero ratio is random, hence unsupported")
  func randomDropout() throws {
    var g = Graph(name: "dropout", opset: 13)
    g.nodes = [Node(name: "d", op: "Dropout", inputs: ["x", "r", "t"], outputs: ["y"])]
    let x = try GraphTensor(float32: [1], shape: [1])
    let on = try GraphTensor(.bool([true]), shape: [])
    let off = try GraphTensor(.bool([false]), shape: [])
    let zero = try GraphTensor(float32: [0], shape: [])
    #expect(ONNXConformance.randomOutputs(g, feeds: ["x": x, "t": on])?.contains("ratio 0.5") == true)
    #expect(ONNXConformance.randomOutputs(g, feeds: ["x": x, "t": on, "r": zero]) == nil)
    #expect(ONNXConformance.randomOutputs(g, feeds: ["x": x, "t": off]) == nil)
    #expect(ONNXConformance.isUnsupported(RandomOutputs(description: "")))
  }

  @Test("runAll runs the folders holding model.onnx in name order and reports progress")
  func runAll() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    try writeCase(folder, name: "test_b", sets: [([1, 1, 1, 1], [1, 1, 1, 1])])
    try writeCase(folder, name: "test_a", sets: [([1, 1, 1, 1], [0, 1, 1, 1])])
    try FileManager.default.createDirectory(atPath: folder.file("not_a_case"), withIntermediateDirectories: true)
    var seen = [String]()
    let results = ONNXConformance.runAll(nodeDirectory: folder.path) { done, total, result in
      seen.append("\(done)/\(total) \(result.name)")
    }
    #expect(results.map(\.name) == ["test_a", "test_b"])
    #expect(results.map(\.status) == [.failed, .passed])
    #expect(seen == ["1/2 test_a", "2/2 test_b"])
    let report = ONNXConformance.Report(cases: results.reversed())
    #expect(report.cases == results && report.supportedOpsets == [11, 21] && report.supportedOperators.contains("Relu"))
    let decoded = try JSONDecoder().decode(ONNXConformance.Report.self, from: try JSONEncoder().encode(report))
    #expect(decoded == report)
  }

  @Test("mismatch: floats within rtol/atol match, NaN matches NaN, the worst errors are located")
  func floatComparison() throws {
    let want = try GraphTensor(float32: [1, .nan, 100, 0, .infinity], shape: [5])
    let near = try GraphTensor(float32: [1.00005, .nan, 100.009, 0.000009, .infinity], shape: [5])
    #expect(ONNXConformance.mismatch(near, want) == nil)
    let off = try GraphTensor(float32: [1, 2, 100.5, 0, .infinity], shape: [5])
    #expect(
      ONNXConformance.mismatch(off, want)
        == "2 of 5 elements off; max abs error inf at [1] (got 2, expected nan), max rel error inf at [1] (got 2, expected nan)")
    let wrongInfinity = try GraphTensor(float32: [1, .nan, 100, 0, -.infinity], shape: [5])
    #expect(ONNXConformance.mismatch(wrongInfinity, want)?.hasPrefix("1 of 5 elements off") == true)
    let tooFar = try GraphTensor(float32: [1.0002, .nan, 100, 0, .infinity], shape: [5])
    #expect(ONNXConformance.mismatch(tooFar, want)?.hasPrefix("1 of 5 elements off; max abs error 0.0002") == true)
  }

  @Test("mismatch: integers are exact; shapes and element types must be equal")
  func exactComparison() throws {
    let want = try GraphTensor(int64: [1, 2, 3, 4], shape: [2, 2])
    #expect(ONNXConformance.mismatch(want, want) == nil)
    let off = try GraphTensor(int64: [1, 2, 3, 5], shape: [2, 2])
    #expect(ONNXConformance.mismatch(off, want) == "1 of 4 elements differ; first at [1, 1] (got 5, expected 4)")
    #expect(ONNXConformance.mismatch(try want.reshaped([4]), want) == "shape [4], expected [2, 2]")
    let floats = try GraphTensor(float32: [1, 2, 3, 4], shape: [2, 2])
    #expect(ONNXConformance.mismatch(floats, want) == "element type float32, expected int64")
  }
}
