import ArgumentParser
import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
import TesseraRuntime

extension DataSplit: ExpressibleByArgument {}

/// `tessera validate`: float vs int8 on held-out data, with a `--max-drop` gate (exit 2).
struct Validate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Compare a float model and its int8 model on held-out data (top-1, agreement, per-layer SQNR, latency).",
    discussion: """
      Uses the TEST part of --data (the fixed stratified split: 1,000 digits of the bundled file).
      Exit status 2 when the top-1 drop in points exceeds --max-drop. --debug-reference (or
      TESSERA_VALIDATE_REFERENCE=1) re-runs every int8 layer on the scalar reference kernel and
      fails (exit 1) on any differing byte.

        tessera validate --float Models/lenet.safetensors --quantized lenet-int8.safetensors \\
            --data Models/data/mnist_5k.csv.gz --max-drop 0.3 --format json
      """)

  @Option(name: .customLong("float"), help: "The float model: .safetensors (Tessera) or .onnx.")
  var floatModel: String

  @Option(help: "The int8 model: .safetensors (Tessera) or a QDQ .onnx (e.g. from ONNX Runtime's quantize_static).")
  var quantized: String

  @Option(help: "Bundled CSV[.gz] or MNIST *-images-idx3-ubyte[.gz].")
  var data = "Models/data/mnist_5k.csv.gz"

  @Option(help: "Which part of --data: test (default), train or all.")
  var split: DataSplit = .test

  @Option(name: .customLong("max-drop"), help: "Fail (exit 2) when float top-1 − int8 top-1 exceeds this many points.")
  var maxDrop: Double?

  @Option(name: .customLong("latency-samples"), help: "Samples timed one by one at batch 1 for the latency figures.")
  var latencySamples = 200

  @Option(help: "Force the int8 kernel ISA: scalar, avx2, avxvnni, avx512vnni, avx512amx, neondot, neoni8mm (default: best; TESSERA_ISA also works).")
  var isa: String?

  @Flag(name: .customLong("debug-reference"), help: "Re-run every int8 layer on the scalar reference and report mismatches.")
  var debugReference = false

  @Option(help: "Threads for the int8 GEMMs and for BLAS (both engines use the same number).")
  var threads = 1

  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let maxDrop, !(maxDrop >= 0 && maxDrop.isFinite) { throw ValidationError("--max-drop must be a non-negative number, got \(maxDrop)") }
    guard latencySamples >= 1 else { throw ValidationError("--latency-samples must be at least 1") }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
  }

  func run() async throws {
    let progress = output.progress()
    progress.step("loading models")
    var floatLoaded = try ModelSource.loaded(floatModel)
    guard !ModelSource.isQuantized(floatLoaded) else {
      throw CLIError("--float \(floatModel): is a quantized model; pass the float model")
    }
    let int8Loaded = try ModelSource.loaded(quantized)
    // Tessera's graph quantizer folds BatchNorm into the convolution or Gemm before it (ONNX
    // Runtime's quantize_static keeps it): when the int8 graph has no BatchNorm left, fold it in the
    // float graph too, so the per-layer comparison sees the same values under the same names.
    let int8KeepsBatchNorm = if case let .graph(q, _) = int8Loaded { q.nodes.contains { $0.op == "BatchNormalization" } } else { false }
    if case let .graph(g, reason) = floatLoaded, !int8KeepsBatchNorm {
      floatLoaded = .graph(g.fusingBatchNorm(), reason: reason)
    }
    guard ModelSource.isQuantized(int8Loaded) else {
      throw CLIError("--quantized \(quantized): is a float model (no quantization metadata or QDQ nodes); run tessera quantize first")
    }
    BLASInfo.setThreads(threads)
    var configuration = EngineConfiguration(threads: threads)
    if let isa { configuration.isa = try ISA(parsing: isa) }
    if debugReference { configuration.debugReference = true }
    let floatEngine = try Engine(floatLoaded, configuration: EngineConfiguration(threads: threads))
    let int8Engine = try Engine(int8Loaded, configuration: configuration)
    try Validator.checkSameGraph(floatEngine, int8Engine)
    let dataset = try split.load(data, inputCount: floatEngine.inputCount)
    progress.step("running \(dataset.count) \(split.rawValue) samples through both engines")
    var timingConfiguration = configuration
    timingConfiguration.debugReference = false
    let timingEngine = configuration.debugReference ? try Engine(int8Loaded, configuration: timingConfiguration) : int8Engine
    let result = try Validator(float: floatEngine, quantized: int8Engine, quantizedTiming: timingEngine).compare(
      dataset.pixels, labels: dataset.labels, latencySamples: latencySamples)
    var report = result.report
    report.bytes = .init(float: try fileSize(floatModel), quantized: try fileSize(quantized))
    if configuration.debugReference {
      let d = result.diagnostics
      report.referenceNote = d.mismatches.isEmpty
        ? "reference check: \(d.referenceChecks) int8 layer runs equal the scalar reference byte for byte"
        : "reference check: MISMATCH in " + d.mismatches.keys.sorted().map { "\($0) (\(d.mismatches[$0]!) bytes)" }.joined(separator: ", ")
    }
    progress.finish()
    try output.emit(report)
    if configuration.debugReference, !result.diagnostics.mismatches.isEmpty {
      throw CLIError("int8 engine differs from the scalar reference in: \(result.diagnostics.mismatches.keys.sorted().joined(separator: ", "))")
    }
    if let maxDrop, report.dropPoints > maxDrop + 1e-9 {
      FileHandle.standardError.write(Data("Error: top-1 drop \(ReportNumber.format(report.dropPoints)) points exceeds --max-drop \(maxDrop)\n".utf8))
      throw ExitCode(2)
    }
  }

  private func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }
}
