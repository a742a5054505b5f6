import ArgumentParser
import Foundation
import Tessera
import TesseraCompression
import TesseraGraph
import TesseraNN
import TesseraRuntime

/// `tessera compress`: prunes and/or factorizes a float model, fine-tunes it with its masks held,
/// and writes a normal float model file (which `quantize`, `validate` and `run` take).
struct Compress: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compress",
    abstract: "Prune (magnitude, global, N:M, channel) and/or low-rank factorize a float model, then fine-tune it.",
    discussion: """
      --prune takes dense, magnitude:S (per layer), global:S (one threshold), N:M (e.g. 2:4) or
      channel:F (remove F of the filters of every Conv2D, or of the neurons of every hidden Dense,
      by L1 norm; the layers really shrink). The classifier (last layer) stays dense unless named
      in --layers.
      --low-rank energy:E|rank:R|params:F replaces Dense/Conv2D weights by two SVD factors
      (with --layers, only those layers). Fine-tuning uses the training part of --data (the fixed
      stratified split of `tessera train`); accuracies are on its test part. Magnitude and global
      pruning are gradual during fine-tuning (Zhu & Gupta 2017) unless --no-gradual. See
      docs/compression.md.

        tessera compress Models/mlp.safetensors --prune 2:4 --out mlp-24.safetensors
        tessera compress Models/lenet.safetensors --prune channel:0.5 --epochs 5 --out lenet-c50.safetensors
        tessera compress Models/mlp.safetensors --low-rank params:0.5 --layers fc1 --out mlp-lr.safetensors --json
      """)

  @Argument(help: "The float model (.safetensors written by `tessera train` or `tessera compress`).")
  var model: String

  @Option(help: "Pruning: dense, magnitude:S, global:S, N:M or channel:F.")
  var prune = "dense"

  @Option(name: .customLong("low-rank"), help: "Low-rank factorization first: energy:E, rank:R or params:F.")
  var lowRank: String?

  @Option(help: "Comma-separated Dense/Conv2D layer names to compress (default: every eligible layer).")
  var layers: String?

  @Option(parsing: .unconditional, help: "Fine-tuning epochs over the training split (0 = none).")
  var epochs = FineTuning().epochs

  @Option(parsing: .unconditional, help: "Peak fine-tuning learning rate (SGD, cosine decay).")
  var lr = FineTuning().learningRate

  @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Fine-tuning samples per mini-batch.")
  var batchSize = FineTuning().batchSize

  @Option(help: "Seed of the fine-tuning shuffles and augmentation.")
  var seed: UInt64 = FineTuning().seed

  @Flag(inversion: .prefixedNo, help: "Raise magnitude/global sparsity gradually while fine-tuning (default on).")
  var gradual = true

  @Flag(inversion: .prefixedNo, help: "Augment training images with the shifts/rotations of `tessera train` (default off).")
  var augment = false

  @Option(help: "Data: the bundled CSV[.gz] or an MNIST *-images-idx3-ubyte[.gz] file.")
  var data = "Models/data/mnist_5k.csv.gz"

  @Option(help: "Where to write the compressed float model (.safetensors).")
  var out: String?

  @Option(parsing: .unconditional, help: "BLAS threads for fine-tuning (default: all cores).")
  var threads: Int?

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard epochs >= 0 else { throw ValidationError("--epochs must be ≥ 0, got \(epochs)") }
    guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
    guard batchSize >= 2 else { throw ValidationError("--batch-size must be at least 2, got \(batchSize)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    if let out, URL(fileURLWithPath: out).standardizedFileURL == URL(fileURLWithPath: model).standardizedFileURL {
      throw ValidationError("--out must differ from the input model")
    }
  }

  func run() async throws {
    let progress = output.progress()
    let method = try PruningMethod(parsing: prune)
    let target = try lowRank.map(LowRankTarget.init(parsing:))
    let names = layers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    if let out { try AtomicFile.checkWritable(out) }
    if let threads { BLASInfo.setThreads(threads) }

    progress.step("loading \(model)")
    let file = try ModelFile(contentsOf: model)
    let original = try Sequential(modelFile: file, source: model)
    let inputCount = original.inputShape.reduce(1, *)
    let train = try DataSplit.train.load(data, inputCount: inputCount)
    let test = try DataSplit.test.load(data, inputCount: inputCount)
    progress.note("data: \(train.count) training and \(test.count) test samples from \(data)")
    let top1Before = try Trainer.evaluate(original, on: test).accuracy

    var working = try original.copy()
    var lowRankLayers = [LowRankLayerReport]()
    if let target {
      progress.step("factorizing (\(target))")
      (working, lowRankLayers) = try LowRank.factorize(working, target: target, layers: names)
      for r in lowRankLayers {
        progress.note("low-rank \(r.layer): rank \(r.rank) of \(r.fullRank), \(r.paramsBefore) → \(r.paramsAfter) parameters, "
          + "retained energy \(ReportNumber.format(r.retainedEnergy, significant: 4, maxDecimals: 4))")
      }
    }
    // With --low-rank, --layers names the layers to factorize; pruning then covers every eligible layer.
    let pruneNames = target == nil ? names : nil
    var settings = FineTuning(epochs: epochs, learningRate: lr, batchSize: batchSize, seed: seed, gradual: gradual)
    if augment { settings.augmentation = .standard }
    let gradualRun = settings.gradual && epochs > 0 && method.prunesGradually

    progress.step("pruning (\(method))")
    var masks: PruningMasks?
    let top1Pruned: Double
    if gradualRun {
      // The one-shot result is measured on a copy; fine-tuning then prunes gradually from dense.
      let trial = try working.copy()
      masks = try Pruner.prune(trial, method: method, layers: pruneNames).masks
      top1Pruned = try Trainer.evaluate(trial, on: test).accuracy
    } else {
      (working, masks) = try Pruner.prune(working, method: method, layers: pruneNames)
      top1Pruned = try Trainer.evaluate(working, on: test).accuracy
    }

    var bar = ProgressBar(progress: progress)
    let history = try FineTuner.fineTune(
      working, method: method, masks: masks, train: train, test: test, settings: settings,
      onEpoch: { bar.finishEpoch($0) }, onBatch: { bar.update($0) })

    var top1FineTuned = try Trainer.evaluate(working, on: test).accuracy
    var bytes = 0
    if let out {
      progress.step("writing \(out)")
      var record = file.training ?? [:]
      record["compression"] = .string(
        "prune=\(method)\(target.map { " low_rank=\($0)" } ?? "")\(names.map { " layers=\($0.joined(separator: ","))" } ?? "")"
          + " epochs=\(epochs) lr=\(lr) seed=\(seed)\(gradualRun ? " gradual" : "")")
      try working.modelFile(training: record).write(to: out)
      // Report what was written: the folded model read back from disk.
      let exported = try Sequential(modelFile: ModelFile(contentsOf: out), source: out)
      top1FineTuned = try Trainer.evaluate(exported, on: test).accuracy
      bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    }
    progress.finish()
    let finalMasks = masks.map { PruningMasks(nonZerosOf: working, layers: $0.layers.map(\.layer)) }
    try output.emit(CompressReport(
      model: model, out: out, prune: method.description, lowRank: target?.description,
      layers: CompressReport.layers(original: original, compressed: working, lowRank: lowRankLayers),
      lowRankLayers: lowRankLayers, paramsBefore: original.trainableParameterCount,
      paramsAfter: working.trainableParameterCount,
      nonzeroParamsAfter: working.parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } },
      density: finalMasks?.density ?? 1, top1Before: top1Before, top1Pruned: top1Pruned, top1FineTuned: top1FineTuned,
      epochs: history, bytes: bytes))
  }
}
