import Foundation
import Tessera
import Testing
@testable import TesseraNN

/// Python `safetensors` reads our files and we read its files. Needs python3 with the
/// `safetensors` and `numpy` packages (`pip install safetensors numpy`); skipped otherwise.
@Suite(.enabled(if: PythonSafetensors.available, "python3 with safetensors + numpy not installed"))
struct PythonInteropTests {
  @Test func pythonReadsOurFile() throws {
    let directory = try TestSupport.temporaryDirectory()
    let path = directory + "/ours.safetensors"
    var file = SafeTensorsFile(metadata: ["tessera.graph": "{\"layers\": []}"])
    file["fc.weight"] = .float32(try Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 3.25, 0, -7]))
    file["fc.weight_q"] = .int8(try Tensor(shape: [3], scalars: [-128, 1, 127]))
    file["fc.bias"] = .int32(try Tensor(shape: [2], scalars: [-5, 70_000]))
    file["pixels"] = .uint8(try Tensor(shape: [1, 2], scalars: [0, 255]))
    try file.write(to: path)
    let script = """
      import json, sys
      from safetensors import safe_open
      from safetensors.numpy import load_file
      t = load_file(sys.argv[1])
      with safe_open(sys.argv[1], framework="numpy") as f:
          meta = f.metadata()
      print(json.dumps({k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.flatten().tolist()} for k, v in t.items()} | {"__meta__": meta}, sort_keys=True))
      """
    let (status, output) = try TestSupport.shell("python3 -c '\(script)' '\(path)'")
    #expect(status == 0)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    let weight = try #require(json["fc.weight"] as? [String: Any])
    #expect(weight["dtype"] as? String == "float32")
    #expect(weight["shape"] as? [Int] == [2, 3])
    #expect(weight["values"] as? [Double] == [0.5, -1, 2, 3.25, 0, -7])
    #expect((json["fc.weight_q"] as? [String: Any])?["values"] as? [Int] == [-128, 1, 127])
    #expect((json["fc.weight_q"] as? [String: Any])?["dtype"] as? String == "int8")
    #expect((json["fc.bias"] as? [String: Any])?["values"] as? [Int] == [-5, 70_000])
    #expect((json["pixels"] as? [String: Any])?["dtype"] as? String == "uint8")
    #expect((json["__meta__"] as? [String: String])?["tessera.graph"] == "{\"layers\": []}")
  }

  @Test func weReadPythonFile() throws {
    let directory = try TestSupport.temporaryDirectory()
    let path = directory + "/theirs.safetensors"
    let script = """
      import sys, numpy as np
      from safetensors.numpy import save_file
      save_file({
          "a": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
          "b": np.array([-3, 4], dtype=np.int8),
          "c": np.array([[1000000, -2]], dtype=np.int32),
          "d": np.array([7, 200], dtype=np.uint8),
      }, sys.argv[1], metadata={"format": "np", "k": "v"})
      """
    let (status, _) = try TestSupport.shell("python3 -c '\(script)' '\(path)'")
    #expect(status == 0)
    let file = try SafeTensorsFile(contentsOf: path)
    #expect(file["a"]?.float32 == (try Tensor(shape: [2, 3], scalars: [0, 0.25, 0.5, 0.75, 1, 1.25])))
    #expect(file["b"]?.int8?.scalars == [-3, 4])
    #expect(file["c"]?.int32?.shape == [1, 2])
    #expect(file["c"]?.int32?.scalars == [1_000_000, -2])
    #expect(file["d"]?.uint8?.scalars == [7, 200])
    #expect(file.metadata == ["format": "np", "k": "v"])
  }

  @Test func pythonLoadsTrainedModelFile() throws {
    let directory = try TestSupport.temporaryDirectory()
    let path = directory + "/model.safetensors"
    let model = TestSupport.smallCNN()
    model.resetParameters(seed: 3)
    try model.modelFile().write(to: path)
    let script = """
      import json, sys
      from safetensors import safe_open
      with safe_open(sys.argv[1], framework="numpy") as f:
          graph = json.loads(f.metadata()["tessera.graph"])
          print(json.dumps({"layers": [l["name"] for l in graph["layers"]], "keys": sorted(f.keys())}))
      """
    let (status, output) = try TestSupport.shell("python3 -c '\(script)' '\(path)'")
    #expect(status == 0)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String]])
    #expect(json["layers"] == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"])
    #expect(json["keys"] == ["conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"])
  }
}

/// Whether python3 can import safetensors and numpy.
enum PythonSafetensors {
  static let available: Bool = {
    (try? TestSupport.shell("python3 -c 'import safetensors, numpy' 2>/dev/null").0) == 0
  }()
}
