import Tessera

/// Measures training throughput: samples per second of full training steps (forward, loss,
/// backward, SGD update) on fixed batches, and the share of that time spent inside sgemm
/// (every BLAS call of the layers is timed with a ``GEMMTimer``).
///
/// For example:
/// ```swift
/// BLASInfo.setThreads(1)
/// let result = try TrainingBenchmark.measure(model: ModelZoo.mlp(), batchSize: 64, data: train)
/// result.samplesPerSecond      // median over the repeats
/// ```
public enum TrainingBenchmark {
  /// One measurement.
  public struct Result: Sendable, Equatable, Codable {
    /// Median samples per second over the repeats.
    public var samplesPerSecond: Double
    /// Slowest repeat's samples per second.
    public var samplesPerSecondMin: Double
    /// Fastest repeat's samples per second.
    public var samplesPerSecondMax: Double
    /// Fraction of the step time spent inside sgemm (median repeat), in [0, 1].
    public var sgemmShare: Double
    /// sgemm throughput inside those calls, GFLOP/s (2 flops per multiply-accumulate).
    public var sgemmGFLOPS: Double
    /// Median milliseconds per step.
    public var stepMilliseconds: Double

    enum CodingKeys: String, CodingKey {
      case samplesPerSecond = "samples_per_s", samplesPerSecondMin = "samples_per_s_min"
      case samplesPerSecondMax = "samples_per_s_max", sgemmShare = "sgemm_share", sgemmGFLOPS = "sgemm_gflops"
      case stepMilliseconds = "step_ms"
    }
  }

  /// Times `steps` training steps `repeats` times after `warmup` untimed steps.
  /// - Parameters:
  ///   - model: the model (trained in place; its weights change).
  ///   - batchSize: samples per step.
  ///   - data: where the batches come from (cycled in file order, no augmentation).
  ///   - steps: timed steps per repeat.
  ///   - repeats: number of timed repeats (the median is reported).
  ///   - warmup: untimed steps first.
  /// - Returns: the measurement.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` when the samples do not have the model's
  ///   shape or there are fewer than 2; `TesseraError` when the data does not fit the model.
  public static func measure(
    model: Sequential, batchSize: Int, data: Dataset, steps: Int = 50, repeats: Int = 5, warmup: Int = 10
  ) throws -> Result {
    guard data.sampleShape == model.inputShape else {
      throw DatasetError.mismatch(
        path: data.source, reason: "samples are \(data.sampleShape) but model \(model.name) takes \(model.inputShape)")
    }
    guard data.count >= 2 else {
      throw DatasetError.mismatch(path: data.source, reason: "\(data.count) sample(s); a training step needs at least 2")
    }
    let size = max(2, min(batchSize, data.count))
    let batchCount = max(1, min(8, data.count / size))
    let batches = try (0..<batchCount).map { b in try data.batch(Array((b * size)..<((b + 1) * size))) }
    let trainer = Trainer(
      model: model, optimizer: SGD(learningRate: 0.01, momentum: 0.9), schedule: .constant(0.01),
      configuration: TrainingConfiguration(batchSize: size, seed: 1))
    let timer = GEMMTimer()
    model.gemmTimer = timer
    defer { model.gemmTimer = nil }
    var step = 0
    func run(_ count: Int) throws {
      for _ in 0..<count {
        let (images, labels) = batches[step % batchCount]
        try trainer.trainStep(images: images, labels: labels)
        step += 1
      }
    }
    try run(warmup)
    var samples = [(rate: Double, share: Double, gflops: Double, ms: Double)]()
    for _ in 0..<max(repeats, 1) {
      timer.reset()
      let start = monotonicSeconds()
      try run(max(steps, 1))
      let seconds = monotonicSeconds() - start
      samples.append((
        Double(max(steps, 1)) * Double(size) / seconds, timer.seconds / seconds,
        2 * Double(timer.multiplyAccumulates) / max(timer.seconds, 1e-12) / 1e9, seconds * 1000 / Double(max(steps, 1))
      ))
    }
    samples.sort { $0.rate < $1.rate }
    let median = samples[samples.count / 2]
    return Result(
      samplesPerSecond: median.rate, samplesPerSecondMin: samples.first!.rate, samplesPerSecondMax: samples.last!.rate,
      sgemmShare: median.share, sgemmGFLOPS: median.gflops, stepMilliseconds: median.ms)
  }
}
