import Foundation
import Testing

/// ONNX Runtime (Python) as a reference for the comparison tests.
enum ONNXRuntime {
  /// True when python3 can import onnxruntime, onnx and scikit-learn (the model builder needs all).
  static let canBuildModels = Python.run("import onnx, onnxruntime, sklearn", arguments: []).status == 0

  /// The models of scripts/onnx/build_models.py, built once per test process into a temp folder.
  static let builtModels: Result<String, ModelBuildError> = {
    let folder = NSTemporaryDirectory() + "tessera-onnx-models-" + UUID().uuidString
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let result = Python.run(
      "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
      arguments: ["\(root)/scripts/onnx/build_models.py", folder, "--data", "\(root)/Models/data/mnist_5k.csv.gz"])
    return result.status == 0 ? .success(folder) : .failure(ModelBuildError(output: result.output))
  }()

  /// Why building the models failed.
  struct ModelBuildError: Error, CustomStringConvertible {
    let output: String
    var description: String { "scripts/onnx/build_models.py failed: \(output.suffix(2000))" }
  }

  /// ONNX Runtime's first output (1 thread) for `input`, a row-major batch whose leading
  /// dimension is inferred.
  static func outputs(model: String, input: [Float]) throws -> [Float] {
    let folder = NSTemporaryDirectory() + "tessera-ort-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let x = folder + "/x.bin", y = folder + "/y.bin"
    try input.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: URL(fileURLWithPath: x))
    let script = """
      import sys, numpy as np, onnxruntime as ort
      o = ort.SessionOptions(); o.intra_op_num_threads = 1
      s = ort.InferenceSession(sys.argv[1], o, providers=["CPUExecutionProvider"])
      i = s.get_inputs()[0]
      x = np.fromfile(sys.argv[2], dtype="<f4").reshape([-1] + list(i.shape[1:]))
      s.run(None, {i.name: x})[0].astype("<f4").tofile(sys.argv[3])
      """
    let result = Python.run(script, arguments: [model, x, y])
    try #require(result.status == 0, "\(result.output)")
    return try Data(contentsOf: URL(fileURLWithPath: y)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  /// Index of the largest of each row of `classes` values.
  static func top1(_ values: [Float], classes: Int) -> [Int] {
    (0..<(values.count / classes)).map { i in (0..<classes).max { values[i * classes + $0] < values[i * classes + $1] }! }
  }
}
