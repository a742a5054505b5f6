import ArgumentParser
import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
import TesseraEmbeddings
import TesseraGraph
import TesseraRuntime

extension CalibrationMethod: ExpressibleByArgument {}
extension WeightCalibration: ExpressibleByArgument {}

/// `tessera quantize`: calibrate a float model on training samples and write an int8 model file
/// (post-training quantization, optionally GPTQ, optionally QAT first).
struct Quantize: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quantize",
    abstract: "Quantize a float model to int8 (PTQ with minmax/percentile/entropy/MSE calibration, GPTQ, QAT).",
    discussion: """
      Calibration samples come from the TRAINING part of --calibration-data (the fixed stratified
      split; the test part is never seen). Activations are int8 asymmetric per tensor; weights are
      symmetric, per output channel by default, 8 down to 2 bits. See docs/quantization.md.

      A graph that is not a chain (residual adds, concatenations, other operators; ONNX or graph
      files) is quantized to a QDQ graph instead: every Gemm/MatMul/Conv becomes int8, the other
      nodes run in float (listed as the float fallback), and the output is a graph model file
      (graph JSON v2) that runs on the reference interpreter. QAT is for chains only.

        tessera quantize Models/lenet.safetensors --calibration-data Models/data/mnist_5k.csv.gz \\
            --samples 512 --method entropy --per-channel --weight-bits 8 --out lenet-int8.safetensors
        tessera quantize mlp.safetensors --calibration-data Models/data/mnist_5k.csv.gz --weight-bits 4 --gptq --out mlp-w4.safetensors
        tessera quantize mlp.safetensors --calibration-data Models/data/mnist_5k.csv.gz --weight-bits 4 --qat --epochs 3 --out mlp-qat.safetensors
        tessera quantize mlp.safetensors --calibration-data Models/data/mnist_5k.csv.gz --layer-bits fc1=4,fc2=6 --out mlp-mixed.safetensors
        tessera quantize Models/lenet.safetensors --calibration-data Models/data/mnist_5k.csv.gz \\
            --mixed-precision --max-drop 0.5 --hardware edge-npu --bits 8,6,4 --sensitivity-out sens.json --out lenet-mixed.safetensors

      --mixed-precision measures top-1 on the TEST part of --calibration-data (the split validate
      uses): the search keeps per-layer widths while the real int8 engine stays within --max-drop
      points of float, and reports uniform and mixed side by side (docs/compression.md).
      """)

  @Argument(help: "The float model: .safetensors (version 1 or 2) or .onnx.")
  var model: String

  @Option(name: .customLong("calibration-data"), help: "Bundled CSV[.gz] or MNIST *-images-idx3-ubyte[.gz]; its training split is used (not needed for a sentence-transformers folder).")
  var calibrationData: String?

  @Option(name: .customLong("calibration-text"), help: "Sentence-transformers folder only: UTF-8 texts, one per line, for static (calibrated) activation quantization; without it activations are quantized per token at run time (dynamic).")
  var calibrationText: String?

  @Option(name: .customLong("smoothquant"), help: "With --calibration-text: SmoothQuant (outlier activation channels move into the weights): auto (per layer, the strength 0.3...0.9 or none whose output is closest to float on the calibration texts), off, or a strength alpha in 0...1.")
  var smoothQuant: SmoothQuant = .auto

  @Option(help: "Calibration samples (evenly spaced over the training split).")
  var samples = 512

  @Option(help: "Activation calibration: minmax, percentile, entropy or mse.")
  var method: CalibrationMethod = .minmax

  @Option(help: "Percentile for --method percentile (and --weight-method percentile).")
  var percentile = 99.99

  @Flag(name: .customLong("per-channel"), inversion: .prefixedNo, help: "One weight scale per output channel (default) or one per tensor.")
  var perChannel = true

  @Option(name: .customLong("weight-bits"), help: "Weight bit width, 2...8 (activations are always 8-bit).")
  var weightBits = 8

  @Option(name: .customLong("layer-bits"), help: ArgumentHelp("Per-layer weight bit widths overriding --weight-bits, e.g. fc1=4,fc2=6 (each 2...8; names are the model's dense/conv layers).", valueName: "name=bits,..."))
  var layerBits: String?

  @Option(name: .customLong("weight-method"), help: "Weight scales: minmax, mse, percentile or entropy (default: minmax at 8 bits, mse below).")
  var weightMethod: WeightCalibration?

  @Flag(name: .customLong("symmetric-activations"), help: "Hidden activations on a symmetric grid (zero point 0) instead of asymmetric.")
  var symmetricActivations = false

  @Flag(help: "GPTQ weight rounding (Hessian from the calibration activations) instead of round-to-nearest.")
  var gptq = false

  @Flag(help: "Quantization-aware training (fake-quant + straight-through estimator) from the float model first.")
  var qat = false

  @Option(help: "QAT epochs over the training split.")
  var epochs = 3

  @Option(help: "QAT learning rate (Adam).")
  var lr: Float = 1e-4

  @Option(help: "QAT seed (shuffling).")
  var seed: UInt64 = 7

  @Flag(name: .customLong("mixed-precision"), help: "Search per-layer weight widths (--bits) that keep top-1 on the test split of --calibration-data within --max-drop points of float at the least modeled energy on --hardware; writes that model and reports it beside uniform --bits max.")
  var mixedPrecision = false

  @Option(name: .customLong("max-drop"), help: "--mixed-precision: accuracy budget, top-1 points below the float model.")
  var maxDrop = 0.5

  @Option(help: "--mixed-precision: hardware preset or spec file the energy is modeled on.")
  var hardware = "edge-npu"

  @Option(help: ArgumentHelp("--mixed-precision / --sensitivity-out: candidate weight widths, e.g. 8,6,4 (default).", valueName: "b,b,..."))
  var bits: String?

  @Option(name: .customLong("sensitivity-out"), help: "Write per-layer sensitivity JSON (each layer alone at each --bits width, others float; top-1 and logit SQNR on the test split of --calibration-data) to this path.")
  var sensitivityOut: String?

  @Option(name: .customLong("sensitivity-sparsity"), parsing: .upToNextOption, help: "With --sensitivity-out: also prune each layer alone to these sparsities (e.g. 0.5 0.75).")
  var sensitivitySparsity: [Double] = []

  @Option(help: "Where to write the int8 model file.")
  var out: String

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard (2...8).contains(weightBits) else { throw ValidationError("--weight-bits must be in 2...8, got \(weightBits)") }
    guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
    guard percentile > 0 && percentile <= 100 else { throw ValidationError("--percentile must be in (0, 100], got \(percentile)") }
    guard (1...QATTrainer.maxEpochs).contains(epochs) else { throw ValidationError("--epochs must be in 1...\(QATTrainer.maxEpochs), got \(epochs)") }
    guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
    guard out != model else { throw ValidationError("--out must differ from the input model") }
    if let layerBits { _ = try LayerBits.parse(layerBits) }
    if let bits { _ = try BitList.parse(bits) }
    if layerBits != nil && qat { throw ValidationError("--layer-bits cannot be combined with --qat (QAT trains one weight bit width)") }
    if mixedPrecision && (qat || layerBits != nil) { throw ValidationError("--mixed-precision chooses per-layer widths itself; drop --qat and --layer-bits") }
    guard maxDrop >= 0 && maxDrop.isFinite else { throw ValidationError("--max-drop must be a non-negative number of points, got \(maxDrop)") }
    for s in sensitivitySparsity where !(s >= 0 && s < 1) { throw ValidationError("--sensitivity-sparsity \(s) is outside [0, 1)") }
    if let sensitivityOut, sensitivityOut == out { throw ValidationError("--sensitivity-out must differ from --out") }
  }

  func run() async throws {
    try AtomicFile.checkWritable(out)
    let progress = output.progress()
    if SentenceTransformerFolder.isFolder(model) {
      if layerBits != nil || mixedPrecision || sensitivityOut != nil { throw CLIError("\(model): --layer-bits, --mixed-precision and --sensitivity-out apply to image models (chains of dense/conv layers), not sentence-transformers folders") }
      try quantizeTextModel(progress: progress)
      return
    }
    if calibrationText != nil {
      throw CLIError("--calibration-text calibrates sentence-transformers folders; \(model) is not one (use --calibration-data)")
    }
    progress.step("loading \(model)")
    let loaded = try ModelSource.loaded(model)
    if case let .graph(graph, reason) = loaded {
      if mixedPrecision || sensitivityOut != nil { throw CLIError("\(model): --mixed-precision and --sensitivity-out need a chain of dense/conv/pool layers, and this graph is not one (\(reason))") }
      if layerBits != nil { throw CLIError("\(model): --layer-bits needs a chain of dense/conv/pool layers, and this graph is not one (\(reason))") }
      try quantizeGraph(graph, reason: reason, progress: progress)
      return
    }
    var network = try ModelSource.floatNetwork(model, loaded: loaded)
    let (train, calibrationSet) = try calibrationSplit(inputCount: network.inputCount, progress: progress)
    var recipe = self.recipe
    var overrides = [Int: AffineQuantization]()
    var qatAccuracy: Double?
    if qat {
      var trainer = QATTrainer(network: network, recipe: recipe, epochs: epochs, learningRate: lr, seed: seed)
      let result = try trainer.train(on: train, calibration: calibrationSet) { epoch, loss, accuracy in
        progress.note("QAT epoch \(epoch)/\(epochs): loss \(ReportNumber.format(loss)), fake-quant train top-1 \(ReportNumber.format(100 * accuracy)) %")
      }
      network = result.network
      overrides = result.activations
      qatAccuracy = result.trainAccuracy
      recipe.qatEpochs = epochs
    }
    progress.step("calibrating on \(calibrationSet.count) training samples (\(method.rawValue))")
    let calibration = try Calibration(
      network: network, samples: calibrationSet.pixels, count: calibrationSet.count, collectHessians: true)
    progress.step(gptq ? "quantizing weights with GPTQ" : "quantizing weights")
    if mixedPrecision || sensitivityOut != nil {
      let test = try DataSplit.test.load(calibrationData!, inputCount: network.inputCount)
      if mixedPrecision {
        try mixedPrecision(network, calibration: calibration, test: test, progress: progress)
        return
      }
      _ = try sensitivity(network, test: test, progress: progress)
    }
    let (quantized, layerReports) = try PostTrainingQuantizer(recipe: recipe).quantize(
      network, calibration: calibration, activationOverrides: overrides)
    // Compile once before writing, so a model the engine cannot run is never written.
    _ = try Engine(quantized: quantized)
    let name = ((model as NSString).lastPathComponent as NSString).deletingPathExtension + "-int8"
    try quantized.write(to: out, name: name)
    let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    progress.finish()
    var report = QuantizeReport(model: model, out: out, network: quantized, layerReports: layerReports, bytes: bytes)
    report.qatTrainAccuracy = qatAccuracy
    try output.emit(report)
  }

  /// The recipe the flags describe.
  var recipe: QuantizationRecipe {
    var recipe = QuantizationRecipe(
      method: method, percentile: percentile, weightBits: weightBits, perChannel: perChannel,
      weightCalibration: weightMethod, gptq: gptq, layerWeightBits: (try? layerBits.map(LayerBits.parse)) ?? [:])
    recipe.symmetricActivations = symmetricActivations
    return recipe
  }

  /// The training split of `--calibration-data` and `--samples` evenly spaced samples of it.
  func calibrationSplit(inputCount: Int, progress: ProgressReporter) throws -> (train: Dataset, calibration: Dataset) {
    guard let calibrationData else {
      throw CLIError("--calibration-data is required to quantize \(model) (image models calibrate on training samples)")
    }
    let train = try DataSplit.train.load(calibrationData, inputCount: inputCount)
    let calibrationSet = try DataSplit.evenlySpaced(train, count: samples)
    if calibrationSet.count < samples {
      progress.note("note: the training split has only \(calibrationSet.count) samples; using all of them")
    }
    return (train, calibrationSet)
  }

  /// Quantizes a graph the int8 engine cannot lower to a QDQ graph (``GraphQuantizer``) and writes
  /// it as a graph-JSON-v2 model file with the recipe in `tessera.quantization.recipe`.
  func quantizeGraph(_ graph: Graph, reason: String, progress: ProgressReporter) throws {
    guard !qat else { throw CLIError("\(model): --qat needs a chain of dense/conv/pool layers, and this graph is not one (\(reason))") }
    let sample = graph.inputs.first?.type.shape.map { $0.dropFirst().compactMap(\.value) } ?? []
    guard graph.inputs.count == 1, let dims = graph.inputs.first?.type.shape, sample.count == dims.count - 1 else {
      throw CLIError("\(model): the graph quantizer needs one float input [batch, …] with fixed per-sample dimensions")
    }
    progress.note("note: \(model) is not a chain the int8 engine runs (\(reason)); writing a QDQ graph with float fallback")
    let (_, calibrationSet) = try calibrationSplit(inputCount: sample.reduce(1, *), progress: progress)
    progress.step("calibrating on \(calibrationSet.count) training samples (\(method.rawValue), reference interpreter)")
    let (qdq, graphReport) = try GraphQuantizer(recipe: recipe).quantize(
      graph, samples: calibrationSet.pixels, count: calibrationSet.count)
    var report = graphReport
    // Prepare once before writing, so a graph the runtime cannot run is never written.
    _ = try Engine(graph: qdq)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let recipeJSON = String(decoding: try encoder.encode(report.recipe), as: UTF8.self)
    try GraphModelFile(graph: qdq, metadata: [GraphQuantizer.recipeMetadataKey: recipeJSON]).write(to: out)
    progress.finish()
    report.model = model
    report.out = out
    report.bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    try output.emit(report)
  }

  /// A sentence-transformers folder → a Tessera text model file with int8 Linear layers (weights
  /// per output channel; activations quantized per token at run time, or with calibrated static
  /// parameters and SmoothQuant when `--calibration-text` is given) that carries its tokenizer.
  func quantizeTextModel(progress: ProgressReporter) throws {
    progress.step("loading \(model)")
    let folder = try SentenceTransformerFolder(contentsOf: model)
    let graph: Graph
    if let calibrationText {
      let texts = try TextModelSource.texts(calibrationText)
      let float = try folder.graph()
      progress.step("calibrating on \(texts.count) texts from \(calibrationText)")
      let stats = try TextCalibration.statistics(
        graph: float, tokenizer: try folder.tokenizer(), texts: texts, maxSequenceLength: folder.maxSequenceLength
      ) { done, total in
        if done % 64 == 0 || done == total { progress.note("  \(done)/\(total) texts") }
      }
      progress.step("quantizing every Linear layer to int8 (static activations, SmoothQuant \(smoothQuant))")
      graph = try float.quantizingLinearStatically(statistics: stats, smoothQuant: smoothQuant)
    } else {
      progress.step("quantizing every Linear layer to int8 (dynamic activations)")
      graph = try folder.graph().quantizingLinearDynamically()
    }
    // Compile once before writing, so a model the engine cannot run is never written.
    _ = try DynamicGraphPlan(graph: graph)
    try TextModelSource.writeModelFile(graph, from: folder, to: out)
    try output.emit(try GraphSummaryReport(graph: graph, model: model, out: out))
  }
}

extension SmoothQuant: ExpressibleByArgument {
  /// `auto`, `off`, or a strength in 0...1.
  public init?(argument: String) {
    switch argument {
    case "auto": self = .auto
    case "off", "none": self = .off
    default:
      guard let alpha = Float(argument), (0...1).contains(alpha) else { return nil }
      self = .alpha(alpha)
    }
  }
}
