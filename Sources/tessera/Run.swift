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
        tessera run lenet-int8.safetensors --input Models/data/mnist_5k.csv.gz --pipeline auto --threads 2

      --pipeline runs --stream batch-1 requests on --threads cores, either data-parallel (each
      thread runs whole requests) or as a pipeline (the layers split into one stage per thread,
      balanced by measured step times); auto measures both and answers with the faster.
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

  @Option(help: "Force the int8 kernel ISA: scalar, avx2, avxvnni, avx512vnni, avx512amx, neondot, neoni8mm (default: best; TESSERA_ISA also works).")
  var isa: String?

  @Flag(name: .customLong("debug-reference"), help: "Re-run every int8 layer on the scalar reference and fail on any mismatch.")
  var debugReference = false

  @Option(help: "Run a stream of batch-1 requests on --threads cores: auto (measure both, keep the faster), pipeline (layer stages on different threads) or data-parallel.")
  var pipeline: String?

  @Option(help: "Requests in the --pipeline stream (consecutive samples of --split from --index, wrapping around).")
  var stream = 2000

  @OptionGroup var output: OutputOptions

  /// Largest `--batch` (samples per call).
  static let maxBatch = 1 << 20
  /// Largest `--repeat` (timed calls).
  static let maxRepeat = 1 << 24
  /// Largest batch × input size per call (2^28 values, 1 GiB of float input).
  static let maxBatchValues = 1 << 28

  /// Rejects a `--batch` whose input would exceed ``maxBatchValues`` values per call.
  /// - Throws: ``CLIError`` naming the batch, the values per sample and the limit.
  static func checkBatchValues(_ batch: Int, inputCount: Int) throws {
    guard batch * inputCount <= maxBatchValues else {
      throw CLIError("--batch \(batch) × \(inputCount) values per sample exceeds the limit of \(maxBatchValues) input values per call")
    }
  }

  func validate() throws {
    guard index >= 0 else { throw ValidationError("--index must be non-negative, got \(index)") }
    guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
    guard batch >= 1, self.repeat >= 1, threads >= 1 else { throw ValidationError("--batch, --repeat and --threads must be at least 1") }
    guard batch <= Self.maxBatch else { throw ValidationError("--batch \(batch) is too large (at most \(Self.maxBatch) samples per call)") }
    guard self.repeat <= Self.maxRepeat else { throw ValidationError("--repeat \(self.repeat) is too large (at most \(Self.maxRepeat) timed calls)") }
    if let pipeline, !["auto", "pipeline", "data-parallel"].contains(pipeline) {
      throw ValidationError("--pipeline must be auto, pipeline or data-parallel, got '\(pipeline)'")
    }
    guard (1...Self.maxRepeat).contains(stream) else { throw ValidationError("--stream must be in 1...\(Self.maxRepeat), got \(stream)") }
  }

  func run() async throws {
    if let pipeline {
      try runStream(pipeline)
      return
    }
    BLASInfo.setThreads(threads)
    var configuration = EngineConfiguration(threads: threads)
    if let isa { configuration.isa = try ISA(parsing: isa) }
    if debugReference { configuration.debugReference = true }
    let engine = try ModelSource.engine(model, configuration: configuration)
    let data = try split.load(input, inputCount: engine.inputCount)
    guard index < data.count else {
      throw CLIError("--index \(index) is out of range: the \(split.rawValue) split of \(input) has \(data.count) samples")
    }
    try Self.checkBatchValues(batch, inputCount: engine.inputCount)
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

  /// `--pipeline`: the stream on `--threads` cores, each worker or stage single-threaded.
  func runStream(_ requested: String) throws {
    let progress = output.progress()
    BLASInfo.setThreads(1)
    var configuration = EngineConfiguration(threads: 1)
    if let isa { configuration.isa = try ISA(parsing: isa) }
    let engine = try ModelSource.engine(model, configuration: configuration)
    let data = try split.load(input, inputCount: engine.inputCount)
    guard index < data.count else {
      throw CLIError("--index \(index) is out of range: the \(split.rawValue) split of \(input) has \(data.count) samples")
    }
    let samples = try data.subset((0..<stream).map { (index + $0) % data.count })
    let modes: [StreamMode] = requested == "auto" ? [.pipeline, .dataParallel] : [StreamMode(rawValue: requested)!]
    var measurements = [StreamMeasurement](), answers = [StreamMode: [Float]]()
    // One short warm-up stream per mode, then the measured one.
    for mode in modes {
      progress.step("\(mode.rawValue): \(stream) batch-1 requests on \(threads) thread\(threads == 1 ? "" : "s")")
      do {
        let warm = min(stream, 100)
        _ = try engine.runStream(Array(samples.pixels[0..<(warm * engine.inputCount)]), count: warm, mode: mode, workers: threads)
        let (outputs, measured) = try engine.runStream(samples.pixels, count: stream, mode: mode, workers: threads)
        measurements.append(measured)
        answers[mode] = outputs
      } catch let error as EngineError where requested == "auto" && mode == .pipeline {
        progress.note("note: \(error.description); measuring data-parallel only")
      }
    }
    progress.finish()
    let chosen = measurements.max { $0.requestsPerSecond < $1.requestsPerSecond }!.mode
    let outputs = answers[chosen]!
    let predicted = argmaxRows(try Tensor(shape: [stream, engine.outputCount], scalars: outputs))
    let correct = zip(predicted, samples.labels).filter { $0 == $1 }.count
    try output.emit(StreamReport(
      model: model, requested: requested, chosen: chosen, measurements: measurements, top1: Double(correct) / Double(stream)))
  }
}
