import ArgumentParser
import Foundation
import Tessera
import TesseraNN

/// `tessera train`: trains a float model on the bundled digits (or MNIST IDX files) and writes
/// one `.safetensors` model file with the graph in its metadata.
struct Train: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a float model (mlp, lenet or a graph JSON) and write a .safetensors model file.",
    discussion: """
      Data: --data takes the bundled CSV (Models/data/mnist_5k.csv.gz) or an MNIST
      *-images-idx3-ubyte[.gz] file with its labels file beside it. Without --test-data the
      fixed stratified split is used: per class, the first 80 % in file order train and the
      rest test (4,000 / 1,000 on the bundled file). Defaults per model reach the documented
      accuracy (docs/training.md); flags override them.

        tessera train --model mlp --out mlp.safetensors --log mlp.jsonl --plot mlp.svg
        tessera train --model lenet --epochs 5 --out lenet.safetensors --json
      """)

  @Option(help: "mlp, lenet, or a graph JSON file (ModelGraph schema, see docs/training.md).")
  var model = "mlp"

  // `.unconditional` so that `--epochs -1` reaches validate() (a clear message) instead of
  // being read as an unknown flag.
  @Option(parsing: .unconditional, help: "Passes over the training set (default per model).")
  var epochs: Int?

  @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Samples per mini-batch.")
  var batchSize: Int?

  @Option(parsing: .unconditional, help: "Peak learning rate (default per model).")
  var lr: Float?

  @Option(help: "sgd or adam (default per model).")
  var optimizer: String?

  @Option(parsing: .unconditional, help: "SGD momentum, in [0, 1).")
  var momentum: Float?

  @Option(
    name: .customLong("weight-decay"), parsing: .unconditional,
    help: "Weight decay on weights (L2 for SGD, decoupled for Adam), ≥ 0.")
  var weightDecay: Float?

  @Option(help: "Learning-rate schedule: cosine, step or constant.")
  var schedule: String?

  @Option(help: "Seed of the weights, shuffles, augmentation and dropout.")
  var seed: UInt64 = 42

  @Option(help: "Training data: the bundled CSV[.gz] or an MNIST *-images-idx3-ubyte[.gz] file.")
  var data = "Models/data/mnist_5k.csv.gz"

  @Option(name: .customLong("test-data"), help: "Separate test data (then all of --data trains).")
  var testData: String?

  @Option(help: "Where to write the model file (.safetensors).")
  var out: String

  @Option(help: "Append per-epoch metrics to this JSON-lines file.")
  var log: String?

  @Option(help: "Write loss and accuracy curves to this SVG file.")
  var plot: String?

  @Flag(
    inversion: .prefixedNo,
    help: "Random ±2 px shifts, ±10° rotations and ±8 % scale of training images (default: on for the bundled digits, off for other data).")
  var augment: Bool?

  /// Whether augmentation runs: `--augment`/`--no-augment`, else on only for the bundled
  /// handwritten digits. The transforms are tuned for centred digits; on other 28×28 data such as
  /// Fashion-MNIST they can cost accuracy, so other data trains without them unless asked.
  var augmentationEnabled: Bool { augment ?? Self.isBundledDigits(data) }

  /// True for the bundled digits file (Models/data/mnist_5k.csv[.gz]).
  static func isBundledDigits(_ path: String) -> Bool {
    let name = (path as NSString).lastPathComponent
    return name == "mnist_5k.csv.gz" || name == "mnist_5k.csv"
  }

  @Option(parsing: .unconditional, help: "BLAS threads (default: all cores).")
  var threads: Int?

  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    if let batchSize, batchSize < 2 { throw ValidationError("--batch-size must be at least 2, got \(batchSize)") }
    if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be positive, got \(lr)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    if let momentum, !(momentum >= 0 && momentum < 1) { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
    if let weightDecay, !(weightDecay >= 0 && weightDecay.isFinite) {
      throw ValidationError("--weight-decay must be a finite number ≥ 0, got \(weightDecay)")
    }
  }

  func run() async throws {
    let progress = output.progress()
    try checkOutputs()
    if let threads { BLASInfo.setThreads(threads) }
    let (net, recipe) = try makeModelAndRecipe()
    let (train, test) = try loadData()
    progress.note("data: \(train.count) training and \(test.count) test samples from \(data)")
    progress.note(
      augmentationEnabled
        ? "augmentation: shifts, rotations, scaling (\(augment == nil ? "default for the bundled digits; " : "")--no-augment turns it off)"
        : "augmentation: off (\(augment == nil ? "default for data other than the bundled digits; " : "")--augment turns it on)")
    let configuration = recipe.configuration(seed: seed)
    let trainer = Trainer(
      model: net, optimizer: recipe.makeOptimizer(),
      schedule: recipe.makeSchedule(stepsPerEpoch: max(batchesPerEpoch(train.count, recipe.batchSize), 1)),
      configuration: configuration)
    var bar = ProgressBar(progress: progress)
    var history = [EpochMetrics]()
    try trainer.fit(train: train, test: test, onBatch: { bar.update($0) }) { metrics in
      history.append(metrics)
      bar.finishEpoch(metrics)
      if let log { try appendLog(metrics, to: log) }
      if let plot { try AtomicFile.write(TrainingCurves.svg(history, title: "\(net.name) — \(data)"), to: plot) }
    }
    let record = trainingRecord(recipe, train: train, test: test, history: history)
    let file = try net.modelFile(training: record)
    try file.write(to: out)
    // Evaluate what was written: the folded model read back from disk.
    let exported = try Sequential(modelFile: ModelFile(contentsOf: out), source: out)
    let (testLoss, testAccuracy) = try Trainer.evaluate(exported, on: test)
    progress.finish()
    try output.emit(TrainReport(
      model: net.name, out: out, parameters: net.trainableParameterCount, seed: seed,
      optimizer: recipe.optimizer.rawValue, learningRate: Double("\(recipe.learningRate)") ?? 0, batchSize: recipe.batchSize,
      augment: recipe.augmentation != nil, trainSamples: train.count, testSamples: test.count, epochs: history,
      testAccuracy: testAccuracy, testLoss: testLoss))
  }

  private func batchesPerEpoch(_ count: Int, _ size: Int) -> Int { count / size + (count % size >= 2 ? 1 : 0) }

  /// The model and its recipe with the command-line overrides applied.
  private func makeModelAndRecipe() throws -> (Sequential, TrainingRecipe) {
    let net: Sequential
    var recipe: TrainingRecipe
    if let zoo = ModelZoo.model(named: model) {
      net = zoo
      recipe = .defaults(for: model)
    } else if model.hasSuffix(".json") || FileManager.default.fileExists(atPath: model) {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), !isDirectory.boolValue,
        let text = FileManager.default.contents(atPath: model)
      else {
        let what = isDirectory.boolValue ? "is a directory" : "no such file"
        throw CLIError("--model \(model): \(what) (expected mlp, lenet or a graph .json file)")
      }
      let graph = try ModelGraph(json: text, source: model)
      net = try Sequential(graph: graph, seed: seed, source: model)
      recipe = .defaults(for: "graph")
    } else {
      throw CLIError("--model \(model): unknown model (expected mlp, lenet or a graph .json file)")
    }
    if let epochs { recipe.epochs = epochs }
    if let batchSize { recipe.batchSize = batchSize }
    if let optimizer {
      guard let kind = OptimizerKind(rawValue: optimizer) else {
        throw CLIError("--optimizer \(optimizer): expected sgd or adam")
      }
      if kind != recipe.optimizer && lr == nil { recipe.learningRate = kind == .adam ? 2e-3 : 0.05 }
      recipe.optimizer = kind
    }
    if let lr { recipe.learningRate = lr }
    if let momentum { recipe.momentum = momentum }
    if let weightDecay { recipe.weightDecay = weightDecay }
    if let schedule {
      guard let kind = ScheduleKind(rawValue: schedule) else {
        throw CLIError("--schedule \(schedule): expected cosine, step or constant")
      }
      recipe.schedule = kind
    }
    if !augmentationEnabled { recipe.augmentation = nil }
    return (net, recipe)
  }

  private func loadData() throws -> (Dataset, Dataset) {
    let all = try Dataset.load(path: data)
    guard all.sampleShape == [1, 28, 28] || testData != nil || model.hasSuffix(".json") else {
      throw CLIError("\(data): samples are \(all.sampleShape), the \(model) model takes [1, 28, 28]")
    }
    if let testData { return (all, try Dataset.load(path: testData)) }
    return try all.stratifiedSplit()
  }

  private func trainingRecord(
    _ recipe: TrainingRecipe, train: Dataset, test: Dataset, history: [EpochMetrics]
  ) -> [String: GraphValue] {
    var record: [String: GraphValue] = [
      "epochs": .int(recipe.epochs), "batch_size": .int(recipe.batchSize), "optimizer": .string(recipe.optimizer.rawValue),
      "lr": .double(Double("\(recipe.learningRate)") ?? 0), "momentum": .double(Double("\(recipe.momentum)") ?? 0),
      "weight_decay": .double(Double("\(recipe.weightDecay)") ?? 0), "schedule": .string(recipe.schedule.rawValue),
      "seed": .string(String(seed)), "augment": .bool(recipe.augmentation != nil), "data": .string(data),
      "train_samples": .int(train.count), "test_samples": .int(test.count),
      "train_seconds": .double(history.reduce(0) { $0 + $1.seconds }),
    ]
    if let last = history.last {
      record["final_train_acc"] = .double(last.trainAccuracy)
      record["final_test_acc"] = .double(last.testAccuracy)
    }
    return record
  }

  /// Fails before training when an output file could not be written, is a directory, or would
  /// overwrite an input or another output.
  private func checkOutputs() throws {
    func key(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
    var inputs = [(flag: "--data", path: data)]
    if let testData { inputs.append(("--test-data", testData)) }
    if ModelZoo.model(named: model) == nil { inputs.append(("--model", model)) }
    var seen = [String: String]()
    for (flag, path) in [("--out", out), ("--log", log), ("--plot", plot)] {
      guard let path else { continue }
      try checkDirectory(of: path, flag: flag)
      if let input = inputs.first(where: { key($0.path) == key(path) }) {
        throw CLIError("\(flag) \(path): would overwrite the \(input.flag) input")
      }
      if let other = seen[key(path)] { throw CLIError("\(flag) \(path): same file as \(other)") }
      seen[key(path)] = flag
    }
  }

  /// Fails before training when `path` cannot be created: missing, read-only or special
  /// directory, or an existing directory at `path` itself.
  private func checkDirectory(of path: String, flag: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let resolved = directory.isEmpty ? "." : directory
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("\(flag) \(path): directory \(resolved) does not exist")
    }
    do {
      try AtomicFile.checkWritable(path)
    } catch let error as SafeTensorsError {
      guard case let .io(_, reason) = error else { throw error }
      throw CLIError("\(flag) \(path): \(reason)")
    }
  }

  private func appendLog(_ metrics: EpochMetrics, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var line = try encoder.encode(metrics)
    line.append(0x0A)
    guard let handle = fopen(path, "a") else {
      throw CLIError("--log \(path): cannot open for appending: \(String(cString: strerror(errno)))")
    }
    let written = line.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    let closed = fclose(handle) == 0
    guard written == line.count, closed else {
      throw CLIError("--log \(path): write failed: \(String(cString: strerror(errno)))")
    }
  }
}

/// The per-batch progress bar on standard error (epoch, batch, loss, samples/s), redrawn at
/// most ten times a second on a terminal; one line per epoch otherwise.
struct ProgressBar {
  let progress: ProgressReporter
  private var lastDraw = 0.0

  init(progress: ProgressReporter) { self.progress = progress }

  mutating func update(_ p: BatchProgress) {
    guard progress.interactive else { return }
    let now = Date().timeIntervalSince1970
    guard now - lastDraw >= 0.1 || p.batch == p.batches else { return }
    lastDraw = now
    let width = 24, filled = width * p.batch / max(p.batches, 1)
    let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
    progress.step(
      "epoch \(p.epoch)/\(p.epochs) [\(bar)] \(p.batch)/\(p.batches) "
        + String(format: "loss %.4f %.0f samples/s", p.loss, p.samplesPerSecond))
  }

  mutating func finishEpoch(_ m: EpochMetrics) {
    progress.note(String(
      format: "epoch %d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s, %.0f samples/s", m.epoch,
      m.trainLoss, m.trainAccuracy * 100, m.testLoss, m.testAccuracy * 100, m.seconds, m.samplesPerSecond))
  }
}
