import ArgumentParser
import Foundation
import Tessera
import TesseraNN

/// `tessera bench train`: training samples/s of the MLP (or LeNet) per BLAS thread count,
/// beside the share of time spent in sgemm.
struct BenchTrain: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time training steps (samples/s) of the MLP at batch 64 on 1 and 2 threads, with the sgemm time share.",
    discussion: """
      Each step runs forward, loss, backward and an SGD update on fixed batches from --data.
      The sgemm share is the wall time inside the layers' cblas_sgemm calls over the step time.
      --threads takes a comma-separated list of BLAS thread counts (default 1,2).

        tessera bench train
        tessera bench train --model lenet --threads 1,2 --json
      """)

  @Option(help: "mlp or lenet.")
  var model = "mlp"

  @Option(name: .customLong("batch-size"), help: "Samples per step.")
  var batchSize = 64

  // `--threads` belongs to the parent `bench` command's shape options (ArgumentParser hands it
  // to the parent), so it is read through the same option group; without the flag, 1,2.
  @OptionGroup(visibility: .hidden) var shared: BenchShapeOptions

  @Option(help: "Timed steps per repeat.")
  var steps = 50

  @Option(help: "Timed repeats (the median is reported).")
  var repeats = 7

  @Option(help: "Data for the batches (bundled CSV or MNIST IDX).")
  var data = "Models/data/mnist_5k.csv.gz"

  @OptionGroup var output: OutputOptions

  func run() async throws {
    guard ModelZoo.names.contains(model) else { throw CLIError("--model \(model): expected \(ModelZoo.names.joined(separator: " or "))") }
    guard batchSize >= 2 else { throw CLIError("--batch-size must be at least 2, got \(batchSize)") }
    guard steps >= 1, repeats >= 1 else { throw CLIError("--steps and --repeats must be at least 1") }
    let threadsGiven = CommandLine.arguments.contains { $0 == "--threads" || $0.hasPrefix("--threads=") }
    let counts = threadsGiven ? try shared.resolvedThreads() : [1, 2]
    let progress = output.progress()
    let dataset = try Dataset.load(path: data)
    // The report states the batch and thread count measured, so refuse values that would be
    // silently clamped instead of reporting them.
    guard batchSize <= dataset.count else {
      throw CLIError("--batch-size \(batchSize) is larger than the \(dataset.count) samples in \(data)")
    }
    var rows = [BenchTrainReport.Row]()
    let before = BLASInfo.threads
    defer { BLASInfo.setThreads(before) }
    for count in counts {
      BLASInfo.setThreads(count)
      if BLASInfo.threads > 0, BLASInfo.threads != count {
        throw CLIError("--threads \(count): BLAS runs at most \(BLASInfo.threads) threads here")
      }
    }
    for (index, count) in counts.enumerated() {
      progress.step("\(model) batch \(batchSize) on \(count) thread(s)", index: index + 1, of: counts.count)
      BLASInfo.setThreads(count)
      let net = ModelZoo.model(named: model)!
      let result = try TrainingBenchmark.measure(model: net, batchSize: batchSize, data: dataset, steps: steps, repeats: repeats)
      rows.append(.init(model: model, batch: batchSize, threads: count, result: result))
    }
    progress.finish()
    try output.emit(BenchTrainReport(machine: try BenchMachine.current(peakSeconds: 0), results: rows))
  }
}
