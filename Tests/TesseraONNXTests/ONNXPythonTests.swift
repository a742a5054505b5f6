import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

/// A Gemm → Relu → Gemm model built with onnx.helper; W and W2 are external data in
/// weights.bin, B stays inline in float_data.
private let gemmReluScript = """
  import sys, numpy as np, onnx
  from onnx import helper, TensorProto, numpy_helper
  W = (np.arange(12, dtype=np.float32).reshape(3, 4) - 6) / 4
  W2 = np.arange(6, dtype=np.float32).reshape(2, 3) / 8
  x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
  y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])
  inits = [numpy_helper.from_array(W, "W"), helper.make_tensor("B", TensorProto.FLOAT, [3], [0.5, -1.0, 2.0]),
           numpy_helper.from_array(W2, "W2")]
  nodes = [helper.make_node("Gemm", ["x", "W", "B"], ["h"], name="fc", transB=1, alpha=1.0),
           helper.make_node("Relu", ["h"], ["r"]),
           helper.make_node("Gemm", ["r", "W2"], ["y"], name="fc2", transB=1)]
  model = helper.make_model(helper.make_graph(nodes, "gemm_relu", [x], [y], inits),
                            opset_imports=[helper.make_opsetid("", 17)], producer_name="python")
  model.ir_version = 8
  onnx.save_model(model, sys.argv[1], save_as_external_data=True, all_tensors_to_one_file=True,
                  location="weights.bin", size_threshold=16)
  onnx.checker.check_model(sys.argv[1], full_check=True)
  """

/// Checks a Tessera-written model with onnx.checker (full check) and runs it with onnxruntime
/// on x = [[1, 2, 3, 4], [-1, 0, 1, 2]]; prints the flattened output.
private let checkAndRunScript = """
  import sys, numpy as np, onnx, onnxruntime as ort
  onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)
  session = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
  x = np.array([[1, 2, 3, 4], [-1, 0, 1, 2]], dtype=np.float32)
  (y,) = session.run(None, {"x": x})
  print(y.shape, " ".join(repr(float(v)) for v in y.reshape(-1)))
  """

/// Writes numpy_helper tensors of several types as backend-test `.pb` files into argv[1].
private let tensorScript = """
  import sys, os, numpy as np, onnx
  from onnx import numpy_helper, helper, TensorProto
  d = sys.argv[1]
  arrays = {"i64": np.array([[1, -2, 3], [4, 5, -(2**40)]], dtype=np.int64), "b": np.array([True, False, True, True]),
            "f64": np.array([1e-300, -2.5]), "i8": np.array([-128, 0, 127], dtype=np.int8),
            "u8": np.array([[0, 255]], dtype=np.uint8), "i32": np.array([-7, 2**31 - 1], dtype=np.int32),
            "scalar": np.array(3.5, dtype=np.float32)}
  for name, a in arrays.items():
      open(os.path.join(d, name + ".pb"), "wb").write(numpy_helper.from_array(a, name).SerializeToString())
  typed = helper.make_tensor("typed", TensorProto.INT64, [2], [7, -8])
  open(os.path.join(d, "typed.pb"), "wb").write(typed.SerializeToString())
  """

/// The model the onnxruntime test exports: y = reshape(relu(x·W1ᵀ + b1), [-1, 3, 1]).
private func exportableGraph() throws -> Graph {
  var g = try sampleGraph()
  g.nodes.removeAll { $0.name == "tagged" }
  g.nodes[g.nodes.firstIndex { $0.name == "reshape" }!].inputs[0] = "r"
  g.initializers["b1"] = try GraphTensor(float32: [0.5, -0.25, 1], shape: [3])
  return g
}

@Suite("ONNX models from and for Python onnx / onnxruntime")
struct ONNXPythonTests {
  @Test(
    "a Gemm+Relu model made with onnx.helper, with external data, imports",
    .enabled(if: Python.hasONNX, "python3 with the onnx package is not installed"))
  func importsPythonModel() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.file("gemm_relu.onnx")
    let run = Python.run(gemmReluScript, arguments: [path])
    try #require(run.status == 0, "python failed: \(run.output)")
    #expect(try folder.listing() == ["gemm_relu.onnx", "weights.bin"])
    let model = try Onnx_ModelProto(serializedBytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(model.graph.initializer.map(\.dataLocation) == [.external, .default, .external])
    #expect(model.graph.initializer[1].floatData == [0.5, -1, 2])

    let graph = try ONNXImporter.graph(contentsOf: path)
    #expect(graph.name == "gemm_relu" && graph.opset == 17)
    #expect(graph.inputs == [ValueInfo(name: "x", type: TensorType(.float32, ["N", 4]))])
    #expect(graph.outputs == [ValueInfo(name: "y", type: TensorType(.float32, ["N", 2]))])
    #expect(graph.nodes.map(\.name) == ["fc", "Relu_1", "fc2"])
    #expect(graph.nodes[0].attributes == ["transB": .int(1), "alpha": .float(1)])
    #expect(graph.initializers["W"] == (try GraphTensor(float32: (0..<12).map { (Float($0) - 6) / 4 }, shape: [3, 4])))
    #expect(graph.initializers["B"] == (try GraphTensor(float32: [0.5, -1, 2], shape: [3])))
    #expect(graph.initializers["W2"] == (try GraphTensor(float32: (0..<6).map { Float($0) / 8 }, shape: [2, 3])))
  }

  @Test(
    "a Tessera-written model passes onnx.checker and onnxruntime computes relu(x·Wᵀ + b) from it",
    .enabled(if: Python.hasONNXRuntime, "python3 with onnx and onnxruntime is not installed"))
  func pythonReadsExport() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let graph = try exportableGraph()
    let path = folder.file("tessera.onnx")
    try ONNXExporter.write(graph, to: path)
    let run = Python.run(checkAndRunScript, arguments: [path])
    try #require(run.status == 0, "python failed: \(run.output)")
    let line = run.output.split(separator: "\n").last.map(String.init) ?? ""
    #expect(line.hasPrefix("(2, 3, 1) "), "\(line)")
    let values = line.split(separator: " ").dropFirst(3).compactMap { Double($0) }
    let w = graph.initializers["w1"]!.float32!
    let b = graph.initializers["b1"]!.float32!
    let x: [[Float]] = [[1, 2, 3, 4], [-1, 0, 1, 2]]
    var expected = [Double]()
    for row in x {
      for j in 0..<3 {
        var sum = b[j]
        for k in 0..<4 { sum += row[k] * w[j * 4 + k] }
        expected.append(Double(max(0, sum)))
      }
    }
    #expect(values.count == 6)
    for (v, e) in zip(values, expected) { #expect(abs(v - e) <= 1e-5, "\(values) vs \(expected)") }
  }

  @Test(
    "TensorProto .pb files written by numpy_helper are read",
    .enabled(if: Python.hasONNX, "python3 with the onnx package is not installed"))
  func readsPythonTensors() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let run = Python.run(tensorScript, arguments: [folder.path])
    try #require(run.status == 0, "python failed: \(run.output)")
    func read(_ name: String) throws -> GraphTensor {
      let (readName, tensor) = try ONNXImporter.namedTensor(contentsOf: folder.file("\(name).pb"))
      #expect(readName == name)
      return tensor
    }
    #expect(try read("i64") == GraphTensor(int64: [1, -2, 3, 4, 5, -(1 << 40)], shape: [2, 3]))
    #expect(try read("b") == GraphTensor(.bool([true, false, true, true]), shape: [4]))
    #expect(try read("f64") == GraphTensor(.float64([1e-300, -2.5]), shape: [2]))
    #expect(try read("i8") == GraphTensor(.int8([-128, 0, 127]), shape: [3]))
    #expect(try read("u8") == GraphTensor(.uint8([0, 255]), shape: [1, 2]))
    #expect(try read("i32") == GraphTensor(.int32([-7, Int32.max]), shape: [2]))
    #expect(try read("scalar") == GraphTensor(float32: [3.5], shape: []))
    #expect(try read("typed") == GraphTensor(int64: [7, -8], shape: [2]))
  }
}
