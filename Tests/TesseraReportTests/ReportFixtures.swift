import Foundation
@testable import TesseraReport

/// Inputs shaped exactly like the commands' JSON (trimmed from real runs of the bundled models).
enum ReportFixtures {
  static let train = """
    {"augment": true, "batch_size": 64, "epochs": [
      {"epoch": 1, "lr": 0.05, "samples_per_s": 8230.8, "seconds": 0.48, "test_acc": 0.859, "test_loss": 0.436, "train_acc": 0.529, "train_loss": 1.42},
      {"epoch": 2, "lr": 0.0499, "samples_per_s": 9176.0, "seconds": 0.43, "test_acc": 0.907, "test_loss": 0.283, "train_acc": 0.782, "train_loss": 0.682},
      {"epoch": 3, "lr": 0.0497, "samples_per_s": 9895.1, "seconds": 0.40, "test_acc": 0.921, "test_loss": 0.259, "train_acc": 0.835, "train_loss": 0.528}],
     "lr": 0.05, "model": "mlp", "optimizer": "sgd", "out": "mlp.safetensors", "parameters": 235914, "seconds": 1.31, "seed": 42,
     "test_acc": 0.921, "test_loss": 0.259, "test_samples": 1000, "train_samples": 4000}
    """
  static let validate = """
    {"agreement": 1, "bytes": {"float": 250232, "quantized": 68822}, "drop_points": 0,
     "float": {"latency_us": 49.473, "top1": 0.985},
     "layers": [{"cosine": 0.999985, "name": "conv1", "sqnr_db": 45.168}, {"cosine": 0.999951, "name": "conv2", "sqnr_db": 39.861},
                {"cosine": 0.999932, "name": "fc3", "sqnr_db": 38.616}],
     "quantized": {"latency_us": 14.741, "top1": 0.985}}
    """
  static let quantize = """
    {"bytes": 68822, "layers": [
      {"name": "conv1", "output_scale": 0.0193, "output_zero_point": -128, "rtn_output_mse": 4.1e-05, "weight_bits": 8, "weight_sqnr_db": 46.817},
      {"name": "fc3", "output_scale": 0.152, "output_zero_point": -32, "rtn_output_mse": 0.00038, "weight_bits": 8, "weight_sqnr_db": 43.39}],
     "model": "Models/lenet.safetensors", "out": "lenet-int8.safetensors",
     "recipe": {"calibration_samples": 512, "gptq": false, "method": "mse", "per_channel": true, "percentile": 99.99, "qat_epochs": 0,
                "symmetric_activations": false, "weight_bits": 8, "weight_calibration": "minmax"}}
    """
  static let schedule = """
    [{"hardware": "edge-npu", "layers": [
       {"name": "conv2", "m": 100, "n": 16, "k": 150, "dataflow": "ws", "mapping": "m", "cycles": 1260, "utilization": 0.744048, "energy_pj": 3925096.8,
        "levels": [{"name": "DRAM", "reads": 17400, "writes": 1600, "energy_pj": 3087500}, {"name": "Buffer", "reads": 33400, "writes": 19000, "energy_pj": 252960},
                   {"name": "PEReg", "reads": 721600, "writes": 720000, "energy_pj": 539756.8}]},
       {"name": "fc3", "m": 1, "n": 10, "k": 84, "dataflow": "ws", "mapping": "m", "cycles": 114, "utilization": 0.028783, "energy_pj": 161690.76,
        "levels": [{"name": "DRAM", "reads": 924, "writes": 10, "energy_pj": 151775}, {"name": "Buffer", "reads": 934, "writes": 934, "energy_pj": 7866.24},
                   {"name": "PEReg", "reads": 2530, "writes": 2520, "energy_pj": 1892.44}]}],
      "total": {"cycles": 1374, "energy_pj": 4086787.56, "latency_s": 2.748e-06}},
     {"hardware": "eyeriss", "layers": [
       {"name": "conv2", "m": 100, "n": 16, "k": 150, "dataflow": "rs", "mapping": "m", "cycles": 3200, "utilization": 0.446429, "energy_pj": 2837482.08,
        "levels": [{"name": "DRAM", "reads": 3576, "writes": 1600, "energy_pj": 1076496}, {"name": "NoC", "reads": 0, "writes": 55600, "energy_pj": 136776}]}],
      "total": {"cycles": 3200, "energy_pj": 2837482.08, "latency_s": 1.6e-05}}]
    """
  static let sensitivity = """
    {"model": "lenet", "baseline_top1": 0.985, "layers": [
      {"layer": "conv1", "setting": "4-bit", "top1": 0.98, "top1_drop": 0.005, "sqnr_db": 21.3},
      {"layer": "conv1", "setting": "2:4", "top1": 0.97, "top1_drop": 0.015, "sqnr_db": 12.0},
      {"layer": "fc1", "setting": "4-bit", "top1": 0.984, "top1_drop": 0.001, "sqnr_db": 22.5}]}
    """
  static let designPoints = [
    DesignPoint(model: "lenet", weightBits: 8, sparsity: "dense", hardware: "edge-npu", top1: 0.985, modelBytes: 68822, latencySeconds: 1.7e-5,
                energyPicojoules: 1.9e7, areaSquareMillimeters: 2.1, hostLatencyMicroseconds: 15, pareto: true),
    DesignPoint(model: "lenet", weightBits: 4, sparsity: "2:4", hardware: "edge-npu", top1: 0.97, modelBytes: 30000, latencySeconds: 1.2e-5,
                energyPicojoules: 9e6, areaSquareMillimeters: 2.1, hostLatencyMicroseconds: 14, pareto: true),
    DesignPoint(model: "lenet", weightBits: 4, sparsity: "dense", hardware: "eyeriss", top1: 0.96, modelBytes: 40000, latencySeconds: 1e-4,
                energyPicojoules: 2e7, areaSquareMillimeters: 5, hostLatencyMicroseconds: 15, pareto: false),
  ]

  static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try ReportInputDecoder.decode(type, from: Data(text.utf8), file: "fixture.json", expected: "fixture")
  }

  static func allInputs() throws -> ReportInputs {
    ReportInputs(
      title: "All <inputs>",
      training: Sourced(source: "train.json", value: try decode(TrainingRun.self, train)),
      validation: Sourced(source: "validate.json", value: try decode(ValidationRun.self, validate)),
      quantization: Sourced(source: "quantize.json", value: try decode(QuantizationRun.self, quantize)),
      schedules: try ReportInputDecoder.schedules(from: Data(schedule.utf8), file: "schedule.json").map { Sourced(source: "schedule.json", value: $0) },
      designPoints: designPoints, designSources: ["points.jsonl"],
      sensitivity: Sourced(source: "sens.json", value: try decode(SensitivityRun.self, sensitivity)))
  }
}
