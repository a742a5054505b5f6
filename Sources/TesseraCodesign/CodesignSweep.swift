import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
import TesseraRuntime
import TesseraScheduler

/// A co-design sweep over one float model: for every sparsity setting the model is pruned and
/// fine-tuned once; for every weight bit width that model is quantized to int8 (per-channel
/// weights at that width, 8-bit activations) and measured for real on the test split (top-1 of
/// the int8 engine, batch-1 host latency, model file bytes); for every hardware the quantized
/// model is scheduled (``ModeledCost``).
///
/// For example:
/// ```swift
/// let grid = try CodesignGrid(weightBits: [8, 4], sparsity: ["dense", "2:4"], hardware: ["edge-npu"])
/// let sweep = CodesignSweep(modelPath: "Models/lenet.safetensors", dataPath: "Models/data/mnist_5k.csv.gz", grid: grid)
/// let points = try sweep.run { point in print(point) }
/// ```
public struct CodesignSweep: Sendable {
  /// The float model file.
  public var modelPath: String
  /// The labelled data (its fixed stratified split: train for fine-tuning and calibration, test for top-1).
  public var dataPath: String
  /// The grid.
  public var grid: CodesignGrid
  /// The part of the grid this process runs.
  public var shard: ShardSpec = .whole
  /// Calibration samples, evenly spaced over the training split.
  public var calibrationSamples = 512
  /// Fine-tuning epochs after pruning (0: prune without fine-tuning).
  public var fineTuneEpochs: Int?
  /// Seed of pruning order ties and fine-tuning.
  public var seed: UInt64 = 42
  /// Batch-1 runs timed per design point for the host latency (the median is reported).
  public var hostRuns = 200

  /// Makes a sweep.
  public init(modelPath: String, dataPath: String, grid: CodesignGrid) {
    self.modelPath = modelPath
    self.dataPath = dataPath
    self.grid = grid
  }

  /// The model's name in the results (the file's base name without extension).
  public var modelName: String { URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent }

  /// What the sweep reports while it works.
  public enum Event: Sendable {
    /// Starting a step (loading, pruning, fine-tuning, quantizing, …).
    case step(String)
    /// A design point is done (`done` of `total` in this shard, `skipped` already in the results).
    case point(CodesignPoint, done: Int, total: Int)
  }

  /// The points of this shard that `existing` does not already hold.
  /// - Parameters:
  ///   - existing: points already measured.
  ///   - hardwareNames: the name each grid hardware entry reports as (a spec file's `name`);
  ///     entries missing here stand for themselves.
  public func pending(existing: [CodesignPoint], hardwareNames: [String: String] = [:]) -> [CodesignGrid.Point] {
    let have = Set(existing.map(CodesignResults.key(of:)))
    return grid.points.filter {
      let key = CodesignResults.Key(
        model: modelName, weightBits: $0.weightBits, sparsity: $0.sparsity, hardware: hardwareNames[$0.hardware] ?? $0.hardware)
      return shard.contains($0.index) && !have.contains(key)
    }
  }

  /// Runs the pending points of this shard.
  /// - Parameters:
  ///   - existing: points already measured (skipped).
  ///   - onEvent: called for each step and each finished point (in grid order).
  /// - Returns: the new points (Pareto flags not yet set: see ``CodesignResults/finalized(_:)``).
  /// - Throws: errors of loading, pruning, quantizing or scheduling, naming the model and step.
  @discardableResult
  public func run(existing: [CodesignPoint] = [], onEvent: (Event) throws -> Void = { _ in }) throws -> [CodesignPoint] {
    var specs = [String: HardwareSpec]()
    for name in grid.hardware {
      guard name != "host" else {
        throw CodesignError.invalidGrid(
          "hardware 'host' is measured, not modeled: every point already reports host_latency_us; give accelerator presets or spec files")
      }
      specs[name] = try HardwareSpec.load(name)
    }
    let todo = pending(existing: existing, hardwareNames: specs.mapValues(\.name))
    guard !todo.isEmpty else { return [] }
    try onEvent(.step("loading \(modelPath) and \(dataPath)"))
    let context = try CodesignContext(sweep: self)
    var results = [CodesignPoint]()
    for sparsity in grid.sparsity where todo.contains(where: { $0.sparsity == sparsity }) {
      try onEvent(.step("preparing \(modelName) at sparsity \(sparsity)"))
      let variant = try context.variant(sparsity: sparsity) { try onEvent(.step($0)) }
      let calibration = try context.calibration(of: variant)
      for bits in grid.weightBits where todo.contains(where: { $0.sparsity == sparsity && $0.weightBits == bits }) {
        try onEvent(.step("quantizing \(sparsity) to \(bits)-bit weights and measuring it"))
        let measured = try context.measure(calibration, bits: bits, hostRuns: hostRuns)
        for point in todo where point.sparsity == sparsity && point.weightBits == bits {
          try onEvent(.step("scheduling \(bits)-bit \(sparsity) on \(point.hardware)"))
          let cost = try ModeledCost(network: measured.network, hardware: specs[point.hardware]!)
          let result = CodesignPoint(
            model: modelName, weightBits: bits, sparsity: sparsity, hardware: specs[point.hardware]!.name,
            top1: measured.top1, modelBytes: measured.modelBytes, latencySeconds: cost.latencySeconds,
            energyPicojoules: cost.energyPicojoules, areaSquareMillimeters: cost.areaSquareMillimeters,
            hostLatencyMicroseconds: measured.hostLatencyMicroseconds)
          results.append(result)
          try onEvent(.point(result, done: results.count, total: todo.count))
        }
      }
    }
    return results
  }
}
