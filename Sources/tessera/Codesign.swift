import ArgumentParser
import Foundation
import Tessera
import TesseraCodesign
import TesseraCompression
import TesseraScheduler

/// `tessera codesign`: sweep weight bits × sparsity × hardware over a model and mark the Pareto frontier.
struct Codesign: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "codesign",
    abstract: "Sweep weight bits × sparsity × hardware over a model: measured accuracy, modeled cost, Pareto frontier.",
    subcommands: [CodesignSweepCommand.self, CodesignMerge.self],
    defaultSubcommand: CodesignSweepCommand.self)
}

/// `tessera codesign MODEL …` (the default subcommand).
struct CodesignSweepCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a co-design sweep (the default: `tessera codesign MODEL …`).",
    discussion: """
      For each sparsity setting the float model is pruned and fine-tuned once; for each weight bit
      width it is quantized (per-channel weights at that width, 8-bit activations) and measured on
      the test split of --data with the int8 engine (top-1, batch-1 host latency, file bytes); for
      each hardware it is scheduled (modeled latency, energy, area). One JSON line per design
      point goes to --out as soon as it is measured; a restarted run skips the points already
      there. At the end the file is rewritten (atomically) in canonical order with `pareto`
      recomputed. --shard i/n runs every n-th point from i; `tessera codesign merge` joins shards.

        tessera codesign Models/lenet.safetensors --bits 8,6,4 --sparsity dense,2:4,magnitude:0.5 \\
            --hardware edge-npu,eyeriss --out lenet-codesign.jsonl
        tessera codesign Models/lenet.safetensors --shard 0/2 --out shard0.jsonl
        tessera codesign merge shard0.jsonl shard1.jsonl --out all.jsonl

      Sparsity settings: dense, magnitude:S (per layer), global:S, N:M (e.g. 2:4), channel:F.
      """)

  @Argument(help: "A float model file (.safetensors, e.g. Models/lenet.safetensors).")
  var model: String

  @Option(help: "Labelled data: its fixed split trains (fine-tuning, calibration) and tests.")
  var data = "Models/data/mnist_5k.csv.gz"

  @Option(help: "Weight bit widths, comma-separated, each 2...8.")
  var bits = "8,6,4"

  @Option(help: "Sparsity settings, comma-separated: dense, magnitude:S, global:S, N:M, channel:F.")
  var sparsity = "dense,2:4,magnitude:0.8,channel:0.5"

  @Option(help: "Hardware presets or spec files, comma-separated.")
  var hardware = "edge-npu,edge-npu-sparse,eyeriss"

  @Option(help: "Run every n-th design point from i (0-based): i/n.")
  var shard = "0/1"

  @Option(help: "Fine-tuning epochs after pruning (default: the pruning method's default).")
  var epochs: Int?

  @Option(help: "Calibration samples (evenly spaced over the training split).")
  var samples = 512

  @Option(help: "Seed of pruning and fine-tuning.")
  var seed: UInt64 = 42

  @Option(name: .customLong("host-runs"), help: "Batch-1 runs timed per point for the host latency (median).")
  var hostRuns = 200

  @Option(help: "Append JSON lines here as points finish (resumable). Without it, the finished lines go to standard output.")
  var out: String?

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
    guard hostRuns >= 1 else { throw ValidationError("--host-runs must be at least 1, got \(hostRuns)") }
    if let epochs, epochs < 0 { throw ValidationError("--epochs must be at least 0, got \(epochs)") }
  }

  func run() async throws {
    let progress = output.progress()
    let grid = try CodesignGrid(
      weightBits: try CodesignGrid.bits(parsing: bits), sparsity: CodesignGrid.list(sparsity),
      hardware: CodesignGrid.list(hardware))
    for setting in grid.sparsity { _ = try PruningMethod(parsing: setting) }
    guard FileManager.default.fileExists(atPath: model) else { throw CLIError("\(model): no such file") }
    guard FileManager.default.fileExists(atPath: data) else { throw CLIError("\(data): no such file (--data)") }
    var sweep = CodesignSweep(modelPath: model, dataPath: data, grid: grid)
    sweep.shard = try ShardSpec(parsing: shard)
    sweep.calibrationSamples = samples
    sweep.fineTuneEpochs = epochs
    sweep.seed = seed
    sweep.hostRuns = hostRuns
    let existing = try out.map { try CodesignResults.read($0, missingIsEmpty: true) } ?? []
    let start = Date()
    let new = try sweep.run(existing: existing) { event in
      switch event {
      case let .step(message):
        progress.step(message)
      case let .point(point, done, total):
        if let out { try CodesignResults.append(point, to: out) }
        let elapsed = Date().timeIntervalSince(start)
        let eta = elapsed / Double(done) * Double(total - done)
        progress.note(
          "point \(done)/\(total): \(point.weightBits)-bit \(point.sparsity) on \(point.hardware): top-1 "
            + "\(ReportNumber.format(100 * point.top1)) %, \(ReportNumber.format(point.energyPicojoules / 1e6)) µJ"
            + (done < total ? " (ETA \(Self.duration(eta)))" : ""))
      }
    }
    progress.finish()
    let all = CodesignResults.finalized(existing + new)
    if let out {
      try CodesignResults.write(all, to: out)
      if new.isEmpty { progress.note("every point of shard \(sweep.shard) is already in \(out); nothing to run") }
      try output.emit(CodesignReport(points: all, out: out, measured: new.count))
    } else if output.resolvedFormat != .table {
      try output.emit(CodesignReport(points: all, out: nil, measured: new.count))
    } else {
      // Without --out the finished JSON lines (with their Pareto flags) are the output.
      FileHandle.standardOutput.write(Data(try all.map { try CodesignResults.line($0) + "\n" }.joined().utf8))
    }
  }

  static func duration(_ seconds: Double) -> String {
    seconds < 90 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds / 60).rounded())) min"
  }
}

/// `tessera codesign merge A.jsonl B.jsonl --out ALL.jsonl`.
struct CodesignMerge: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge co-design result files (shards) and recompute the Pareto flags.",
    discussion: """
      Every design point appears once in the output, in canonical order. The same point in two
      files must agree in everything but the measured host latency (the first file's is kept).

        tessera codesign merge shard0.jsonl shard1.jsonl --out all.jsonl
      """)

  @Argument(help: "Result files (JSON lines from `tessera codesign`).")
  var files: [String]

  @Option(help: "The merged file (written atomically).")
  var out: String

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one results file to merge") }
  }

  func run() async throws {
    let merged = try CodesignResults.merge(files)
    try CodesignResults.write(merged, to: out)
    try output.emit(CodesignReport(points: merged, out: out, measured: 0))
  }
}
