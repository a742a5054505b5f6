import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

/// A fresh empty folder under the system temp folder; removed by `remove()`.
struct TempFolder {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "tessera-onnx-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// `path/name`.
  func file(_ name: String) -> String { path + "/" + name }

  /// Writes bytes to `path/name` and returns the full path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    return file(name)
  }

  /// The names in the folder, sorted.
  func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A small MLP, y = relu(x·W1ᵀ + b1) reshaped, with a `Constant`, every element type among its
/// initializers and every attribute kind.
func sampleGraph(opset: Int = 17) throws -> Graph {
  var g = Graph(name: "sample", opset: opset)
  g.inputs = [ValueInfo(name: "x", type: TensorType(.float32, ["batch", 4]))]
  g.outputs = [ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3, 1]))]
  g.initializers = [
    "w1": try GraphTensor(float32: (0..<12).map { Float($0) * 0.25 - 1.5 }, shape: [3, 4]),
    "b1": try GraphTensor(float32: [0.5, -0.0, .greatestFiniteMagnitude], shape: [3]),
    "d": try GraphTensor(.float64([1e-300, -2.5]), shape: [2]),
    "q": try GraphTensor(.int8([-128, 0, 127]), shape: [3]),
    "u": try GraphTensor(.uint8([0, 255]), shape: [1, 2]),
    "i32": try GraphTensor(.int32([Int32.min, 7]), shape: [2]),
    "flags": try GraphTensor(.bool([true, false, true]), shape: [3]),
    "empty": try GraphTensor(float32: [], shape: [0, 5]),
  ]
  g.nodes = [
    Node(name: "fc1", op: "Gemm", inputs: ["x", "w1", "b1"], outputs: ["h"], attributes: ["transB": .int(1), "alpha": .float(1)]),
    Node(name: "act", op: "Relu", inputs: ["h"], outputs: ["r"]),
    Node(
      name: "target", op: "Constant", inputs: [], outputs: ["shape"],
      attributes: ["value": .tensor(try GraphTensor(int64: [-1, 3, 1], shape: [3]))]),
    Node(
      name: "tagged", op: "Identity", inputs: ["r"], outputs: ["r2"],
      attributes: ["names": .strings(["a", "ü"]), "scales": .floats([0.5, 2]), "pads": .ints([0, 1]), "mode": .string("NOTSET")]),
    Node(name: "reshape", op: "Reshape", inputs: ["r2", "shape"], outputs: ["y"]),
  ]
  g.valueTypes = ["h": TensorType(.float32, ["batch", 3]), "r": TensorType(.float32, nil), "shape": TensorType(.int64, fixed: [3])]
  g.metadata = ["tessera.classes": "3", "note": "sample"]
  return g
}

/// Serializes `graph`, lets `edit` change the decoded `ModelProto`, and returns the new bytes.
func edited(_ graph: Graph, _ edit: (inout Onnx_ModelProto) throws -> Void) throws -> [UInt8] {
  var model = try Onnx_ModelProto(serializedBytes: try ONNXExporter.serialized(graph))
  try edit(&model)
  return try model.serializedBytes()
}

/// Runs `body`, expecting an error whose one-line message contains every fragment.
func expectFailure(
  _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected an error containing \(fragments)", sourceLocation: sourceLocation)
  } catch {
    let text = "\(error)"
    #expect(!text.contains("\n"), "message is not one line: \(text)", sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(text.contains(fragment), "'\(text)' does not contain '\(fragment)'", sourceLocation: sourceLocation)
    }
  }
}
