import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
import TesseraRuntime

/// The loaded model and data of a sweep, and the steps that turn them into measured int8 models.
struct CodesignContext {
  let sweep: CodesignSweep
  let model: Sequential
  let train: Dataset
  let test: Dataset
  let calibrationSet: Dataset

  /// What one quantized variant measured.
  struct Measurement {
    var network: QuantizedNetwork
    var top1: Double
    var modelBytes: Int
    var hostLatencyMicroseconds: Double
  }

  init(sweep: CodesignSweep) throws {
    self.sweep = sweep
    let file = try ModelFile(contentsOf: sweep.modelPath)
    model = try Sequential(modelFile: file, source: sweep.modelPath)
    let inputCount = model.inputShape.reduce(1, *)
    train = try DataSplit.train.load(sweep.dataPath, inputCount: inputCount)
    test = try DataSplit.test.load(sweep.dataPath, inputCount: inputCount)
    calibrationSet = try DataSplit.evenlySpaced(train, count: sweep.calibrationSamples)
  }

  /// A fresh copy of the loaded float model (pruning changes weights in place).
  func freshModel() throws -> Sequential {
    try Sequential(modelFile: try ModelFile(contentsOf: sweep.modelPath), source: sweep.modelPath)
  }

  /// The folded float network of `model` and its calibration statistics.
  func calibration(of model: Sequential) throws -> (network: FusedNetwork, calibration: Calibration) {
    let file = try model.modelFile()
    let network = try FusedNetwork(graph: file.graph, tensors: file.tensors, source: sweep.modelName)
    let calibration = try Calibration(network: network, samples: calibrationSet.pixels, count: calibrationSet.count)
    return (network, calibration)
  }

  /// Quantizes at `bits` and measures top-1, file bytes and host latency.
  func measure(
    _ prepared: (network: FusedNetwork, calibration: Calibration), bits: Int, hostRuns: Int
  ) throws -> Measurement {
    let recipe = QuantizationRecipe(
      method: .minmax, weightBits: bits, weightCalibration: WeightCalibration.defaultMethod(bits: bits))
    let (quantized, _) = try PostTrainingQuantizer(recipe: recipe).quantize(prepared.network, calibration: prepared.calibration)
    let engine = try Engine(quantized: quantized)
    let logits = try engine.run(test.pixels, count: test.count)
    let predicted = argmaxRows(try Tensor(shape: [test.count, engine.outputCount], scalars: logits))
    let correct = zip(predicted, test.labels).filter { $0 == $1 }.count
    let bytes = try Self.fileBytes(of: quantized, name: "\(sweep.modelName)-w\(bits)")
    let latency = try Self.hostLatency(engine, sample: Array(test.pixels[0..<(test.pixels.count / max(test.count, 1))]), runs: hostRuns)
    return Measurement(
      network: quantized, top1: Double(correct) / Double(max(test.count, 1)), modelBytes: bytes,
      hostLatencyMicroseconds: latency)
  }

  /// Bytes of the int8 model file `network` writes.
  static func fileBytes(of network: QuantizedNetwork, name: String) throws -> Int {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-codesign-\(getpid())-\(name).safetensors").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try network.write(to: path, name: name)
    return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }

  /// Median batch-1 latency in µs over `runs` timed calls after a warm-up.
  static func hostLatency(_ engine: Engine, sample: [Float], runs: Int) throws -> Double {
    for _ in 0..<max(runs / 10, 3) { _ = try engine.run(sample, count: 1) }
    var times = [Double]()
    times.reserveCapacity(max(runs, 1))
    for _ in 0..<max(runs, 1) {
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try engine.run(sample, count: 1)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
    }
    times.sort()
    return times[times.count / 2]
  }
}
