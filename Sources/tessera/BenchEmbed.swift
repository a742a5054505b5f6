import ArgumentParser
import Foundation
import Tessera
import TesseraEmbeddings

/// `tessera bench embed`: time a text model on inputs of exactly N tokens.
struct BenchEmbed: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embed",
    abstract: "Time a sentence-embedding model (tokens → embedding) at given sequence lengths and batch sizes.",
    discussion: """
      Inputs are [CLS], seq − 2 token ids drawn from the vocabulary with a fixed seed, [SEP]; \
      tokenization is not timed. ms is the median time per call. --threads takes a comma-separated \
      list of thread counts (BLAS and the int8 layers; default 1).

        tessera bench embed all-MiniLM-L6-v2/ --seq 16,128,256 --batch 1,8 --threads 1 --format json
        tessera bench embed all-MiniLM-L6-v2/ --quantization dynamic-int8 --seq 128 --profile
      """)

  @Argument(help: "A sentence-transformers folder, an .onnx encoder (with --tokenizer), or a Tessera text model file.")
  var model: String

  @Option(help: "tokenizer.json or vocab.txt (required for .onnx).")
  var tokenizer: String?

  @Option(help: "Linear layers: none (float32) or dynamic-int8.")
  var quantization: EmbeddingQuantization = .none

  @Option(help: "Comma-separated sequence lengths in tokens.")
  var seq = "16,128,256"

  @Option(help: "Comma-separated batch sizes.")
  var batch = "1"

  // `--threads` (a comma-separated list, default 1) belongs to the parent `bench` command's shape
  // options (ArgumentParser hands it to the parent), as for `bench train`.
  @OptionGroup(visibility: .hidden) var shared: BenchShapeOptions

  @Flag(help: "Print time per operator kind (first seq/batch/threads) on standard error.")
  var profile = false

  @OptionGroup var timing: BenchTimingOptions
  @OptionGroup var output: OutputOptions

  static func list(_ text: String, _ name: String, range: ClosedRange<Int>) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 != nil && range.contains($0!) }) else {
      throw ValidationError("--\(name) must be comma-separated integers in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
    }
    return values.map { $0! }
  }

  func validate() throws {
    _ = try Self.list(seq, "seq", range: 2...8192)
    _ = try Self.list(batch, "batch", range: 1...4096)
  }

  func run() async throws {
    let progress = output.progress()
    let seqs = try Self.list(seq, "seq", range: 2...8192)
    let batches = try Self.list(batch, "batch", range: 1...4096)
    let threadCounts = try shared.resolvedThreads()
    let settings = try timing.settings()
    var rows: [BenchEmbedReport.Row] = []
    var name = model, precision = "float32"
    for t in threadCounts {
      BLASInfo.setThreads(t)
      progress.step("loading \(model) (\(t) thread\(t == 1 ? "" : "s"))")
      let embedder = try TextModelSource.embedder(
        model, tokenizer: tokenizer, quantization: quantization, maxLength: seqs.max(), threads: t)
      (name, precision) = (embedder.name, embedder.precision)
      var rng = SplitMix64(seed: 17)
      let vocabulary = UInt64(embedder.tokenizer.vocabularySize)
      for s in seqs {
        for b in batches {
          let ids = (0..<b).map { _ in
            [embedder.tokenizer.clsId] + (0..<(s - 2)).map { _ in Int32(1000 + rng.next() % (vocabulary - 1000)) } + [embedder.tokenizer.sepId]
          }
          progress.step("seq \(s), batch \(b), \(t) thread\(t == 1 ? "" : "s")")
          var failure: (any Error)?
          let m = try BenchmarkHarness.measure(operationCount: 1, settings: settings) {
            do { _ = try embedder.embed(tokenIds: ids, batchSize: b) } catch { failure = error }
          }
          if let failure { throw failure }
          // operationCount 1 per call: GOP/s × 1e9 = calls per second.
          let ms = { (callsPerNs: Double) in 1e-6 / callsPerNs }
          rows.append(.init(seq: s, batch: b, threads: t, ms: ms(m.gops.median), msMin: ms(m.gops.max), msMax: ms(m.gops.min)))
          if profile && rows.count == 1 { try printProfile(embedder, ids: ids) }
        }
      }
    }
    var machine = try BenchMachine.current(peakSeconds: 0)
    // The Linear layers of a dynamic-int8 model run the qd8 kernels, whose ISA can differ (AMX).
    if precision != "float32", let isa = DynamicQuantizedLinear.selectedISA { machine.isa = isa.rawValue }
    try output.emit(BenchEmbedReport(machine: machine, model: name, precision: precision, results: rows))
  }

  /// Time per step kind over 20 calls, on standard error.
  func printProfile(_ embedder: TextEmbedder, ids: [[Int32]]) throws {
    var times: [UInt64] = []
    for _ in 0..<20 { _ = try embedder.profiledRun(ids, stepNanoseconds: &times) }
    var byKind: [String: UInt64] = [:]
    for (step, t) in zip(embedder.plan.stepKinds, times) { byKind[step.kind, default: 0] += t }
    let total = Double(times.reduce(0, +))
    var lines = ["profile (seq \(ids[0].count), batch \(ids.count)): ms per call by kernel"]
    for (kind, t) in byKind.sorted(by: { $0.value > $1.value }) {
      lines.append("  \(kind.padding(toLength: 24, withPad: " ", startingAt: 0)) \(ReportNumber.format(Double(t) / 20 / 1e6, significant: 3, maxDecimals: 3)) ms  \(ReportNumber.format(100 * Double(t) / total, significant: 3, maxDecimals: 1)) %")
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
  }
}
