import ArgumentParser
import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
import TesseraRuntime

/// `tessera run`: compile a model (float or int8) into an engine and classify one sample.
struct Run: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a float or int8 model on one sample and print the top-k classes (optionally per-layer profile).",
    discussion: """
      --input takes the bundled CSV[.gz] or an MNIST *-images-idx3-ubyte[.gz]; --index picks a
      sample of --split (default test). --batch N runs N consecutive samples per call (wrapping
      around) and --repeat times the calls; --profile prints time, GOP/s and bytes per layer.

        tessera run lenet-int8.safetensors --input Models/data/mnist_5k.csv.gz --index 3 --top-k 5
        tessera run lenet-int8.safetensors --input Models/data/mnist_5k.csv.gz --batch 64 --repeat 200 --profile
      """)

  @Argument(help: "A float or int8 model: .safetensors (Tessera) or .onnx.")
  var model: String

  @Option(help: "Bundled CSV[.gz] or MNIST *-images-idx3-ubyte[.gz].")
  var input: String

  @Option(help: "Sample index within --split.")
  var index = 0

  @Option(help: "Which part of --input: test (default), train or all.")
  var split: DataSplit = .test

  @Option(name: .customLong("top-k"), help: "How many classes to print.")
  var topK = 5

  @Option(help: "Samples per call.")
  var batch = 1

  @Option(help: "Timed calls (after one warm-up).")
  var `repeat` = 1

  @Flag(help: "Time every layer: µs per call, GOP/s, bytes.")
  var profile = false

  @Option(help: "Threads for the int8 GEMMs and for BLAS (float models), so both engines run alike.")
  var threads = 1

  @Option(help: "Force the int8 kernel ISA: scalar, avx2, avxvnni, avx512vnni, neondot, neoni8mm (default: best; TESSERA_ISA also works).")
  var isa: String?

  @Flag(name: .customLong("debug-reference"), help: "Re-run every int8 layer on the scalar reference and fail on any mismatch.")
  var debugReference = false

  @OptionGroup var output: OutputOptions

  /// Largest `--batch` (samples per call).
  static let maxBatch = 1 << 20
  /// Largest `--repeat` (timed calls).
  static let maxRepeat = 1 << 24
  /// Largest batch × input size per call (2^28 values, 1 GiB of float input).
  static let maxBatchValues = 1 << 28

  func validate() throws {
    guard index >= 0 else { throw ValidationError("--index must be non-negative, got \(index)") }
    guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
    guard batch >= 1, self.repeat >= 1, threads >= 1 else { throw ValidationError("--batch, --repeat and --threads must be at least 1") }
    guard batch <= Self.maxBatch else { throw ValidationError("--batch \(batch) is too large (at most \(Self.maxBatch) samples per call)") }
    guard self.repeat <= Self.maxRepeat else { throw ValidationError("--repeat \(self.repeat) is too large (at most \(Self.maxRepeat) timed calls)") }
  }

  func run() async throws {
    BLASInfo.setThreads(threads)
    var configuration = EngineConfiguration(threads: threads)
    if let isa { configuration.isa = try ISA(parsing: isa) }
    if debugReference { configuration.debugReference = true }
    let engine = try ModelSource.engine(model, configuration: configuration)
    let data = try split.load(input, inputCount: engine.inputCount)
    guard index < data.count else {
      throw CLIError("--index \(index) is out of range: the \(split.rawValue) split of \(input) has \(data.count) samples")
    }
    guard batch * engine.inputCount <= Self.maxBatchValues else {
      throw CLIError("--batch \(batch) × \(engine.inputCount) values per sample exceeds the limit of \(Self.maxBatchValues) input values per call")
    }
    let indices = (0..<batch).map { (index + $0) % data.count }
    let samples = try data.subset(indices)
    var diagnostics = RunDiagnostics()
    let logits = try engine.run(samples.pixels, count: batch, profile: false, diagnostics: &diagnostics, observe: nil)
    var times = [Double]()
    var profiled = RunDiagnostics()
    for _ in 0..<self.repeat {
      let t0 = DispatchTime.now().uptimeNanoseconds
      var call = RunDiagnostics()
      _ = try engine.run(samples.pixels, count: batch, profile: profile, diagnostics: &call, observe: nil)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
      profiled.accumulate(call)
    }
    if configuration.debugReference, !(diagnostics.mismatches.isEmpty && profiled.mismatches.isEmpty) {
      throw CLIError("int8 engine differs from the scalar reference in: \(diagnostics.mismatches.keys.sorted().joined(separator: ", "))")
    }
    var report = RunReport(
      model: model, engine: engine.isQuantized ? "int8" : "float", kernel: engine.kernelNames.gemm, index: index,
      label: samples.labels[0], logits: Array(logits[0..<engine.outputCount]), k: min(topK, engine.outputCount),
      batch: batch, times: times, steps: profile ? profiled.steps : [])
    report.engineKind = engine.engineKind.rawValue
    try output.emit(report)
  }
}
