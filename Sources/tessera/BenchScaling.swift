import ArgumentParser
import Foundation
import Tessera
import TesseraRuntime

/// `tessera bench scaling`: Tessera's int8 GEMM/GEMV and whole models on one thread against
/// several, in alternating samples (``ThreadScaling``).
struct BenchScaling: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scaling",
    abstract: "Measure the multi-thread speedup of int8 GEMM/GEMV shapes and models (1 vs N threads, alternating samples).",
    discussion: """
      Each round times one sample on one thread and one on --threads threads back to back, so both sides \
      share the machine's background load; the speedup is the median of the rounds' ratios. Shapes run \
      Tessera's selected int8 kernel (m = 1 uses the GEMV kernel); --model runs a whole model at --batch \
      on inputs drawn uniformly from [0, 1) (timing does not depend on the values). Without --shapes, \
      --preset or --model: 64x128x256, 64x256x784, 512x512x512, 1024x1024x1024.

        tessera bench scaling
        tessera bench scaling --shapes 1x2048x2048,1x4096x4096 --iterations 30
        tessera bench scaling --model Models/mlp-int8.safetensors --model Models/lenet-int8.safetensors --batch 64
      """)

  // The shape options are `bench`'s own group: ArgumentParser hands `--shapes`, `--preset` and
  // `--threads` to the parent command's group, so a subcommand shares them by using the same one.
  @OptionGroup var shapes: BenchShapeOptions

  @Option(help: "A model file (any format `tessera run` takes) to time whole; repeat for several.")
  var model: [String] = []

  @Option(help: "Samples per model call.")
  var batch: Int = 64

  @OptionGroup var timing: BenchTimingOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
  }

  static let defaultShapes = "64x128x256,64x256x784,512x512x512,1024x1024x1024"

  func run() async throws {
    let progress = output.progress()
    let settings = try timing.settings()
    let threadCount = try multiThreadCount()
    var shapeList = shapes.preset?.shapes ?? []
    if let list = shapes.shapes { shapeList += try GEMMShape.parseList(list) }
    if shapes.m != nil || shapes.n != nil || shapes.k != nil {
      shapeList.append(try GEMMShape(m: shapes.m ?? 256, n: shapes.n ?? 256, k: shapes.k ?? 256))
    }
    if shapeList.isEmpty && model.isEmpty { shapeList = try GEMMShape.parseList(Self.defaultShapes) }
    let total = shapeList.count + model.count
    var results = [ScalingResult]()
    for (index, shape) in shapeList.enumerated() {
      let op = shape.naturalOperation
      progress.step("\(op.rawValue) \(shape), 1 vs \(threadCount) threads", index: index + 1, of: total)
      let kernel = try Int8Kernel.selected(for: op)
      let operands = try GEMMOperands(shape: shape)
      let single = try GEMMImplementation.tessera(kernel).prepare(operands: operands, threads: 1)
      let multi = try GEMMImplementation.tessera(kernel).prepare(operands: operands, threads: threadCount)
      results.append(
        try ThreadScaling.measure(
          label: "\(op.rawValue) \(shape)", threads: threadCount, operations: shape.operationCount,
          settings: settings, single: single.run, multi: multi.run))
    }
    for (offset, path) in model.enumerated() {
      progress.step("model \(path), batch \(batch), 1 vs \(threadCount) threads", index: shapeList.count + offset + 1, of: total)
      results.append(try measureModel(path, threads: threadCount, settings: settings))
    }
    progress.finish()
    try output.emit(ScalingReport(machine: try BenchMachine.current(peakSeconds: 0), results: results))
  }

  /// The multi-thread side: `--threads` when given (one value, at least 2), otherwise the cores
  /// this process may use (at least 2).
  private func multiThreadCount() throws -> Int {
    let list = try shapes.resolvedThreads()
    if list == [1] && !CommandLine.arguments.contains(where: { $0.hasPrefix("--threads") }) {
      return Swift.max(2, ThreadPool.defaultThreadCount)
    }
    guard list.count == 1, list[0] >= 2 else {
      throw CLIError("--threads for `bench scaling` is one thread count of at least 2 (the side compared with one thread), got '\(shapes.threads)'")
    }
    return list[0]
  }

  /// One model at `batch` on one thread and on `threads`: two engines from the same file.
  private func measureModel(_ path: String, threads: Int, settings: BenchmarkSettings) throws -> ScalingResult {
    let single = try ModelSource.engine(path, configuration: EngineConfiguration(threads: 1))
    let multi = try ModelSource.engine(path, configuration: EngineConfiguration(threads: threads))
    try Run.checkBatchValues(batch, inputCount: single.inputCount)
    var generator = SplitMix64(seed: 0x5CA1E)
    let input = (0..<(batch * single.inputCount)).map { _ in Float(generator.next() >> 40) / Float(1 << 24) }
    // Both engines must accept the input before timing (a failure inside the timed closure could only be ignored).
    BLASInfo.setThreads(1)
    _ = try single.run(input, count: batch)
    _ = try multi.run(input, count: batch)
    let count = batch
    return try ThreadScaling.measure(
      label: "model \((path as NSString).lastPathComponent), batch \(batch)", threads: threads, operations: nil,
      settings: settings,
      single: {
        BLASInfo.setThreads(1)  // float models' GEMMs run in the BLAS library, whose thread count is global
        _ = try? single.run(input, count: count)
      },
      multi: {
        BLASInfo.setThreads(threads)
        _ = try? multi.run(input, count: count)
      })
  }
}
