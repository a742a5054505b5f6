import Foundation
import TesseraEmbeddings
import TesseraGraph
import TesseraRuntime

/// Loads the bundled int8 models, prints their inputs and outputs, classifies a few bundled
/// digits (sync, async and profiled), checks top-1 against the labels, and embeds text when the
/// all-MiniLM-L6-v2 folder is given. Exits 1 on any failure.
///
///     swift run Consumer [REPOSITORY_ROOT]      # TESSERA_MINILM_DIR=… to embed text
@main
struct Consumer {
  /// Samples classified per model.
  static let samples = 50
  /// The least top-1 accuracy accepted on them (the bundled models reach 97–99 %).
  static let minimumAccuracy = 0.9

  static func main() async {
    do {
      try await run()
      print("consumer: OK")
    } catch {
      FileHandle.standardError.write(Data("consumer: FAILED: \(error)\n".utf8))
      exit(1)
    }
  }

  static func run() async throws {
    let root = CommandLine.arguments.dropFirst().first ?? defaultRoot()
    let data = "\(root)/Models/data/mnist_5k.csv.gz"
    for name in ["mlp-int8", "lenet-int8"] {
      try await classify(model: "\(root)/Models/\(name).safetensors", data: data)
    }
    try await embed()
  }

  /// The repository this package sits in (Examples/Consumer/Sources/Consumer/…).
  static func defaultRoot() -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url.path
  }

  static func classify(model path: String, data: String) async throws {
    let engine = try Engine(contentsOf: path)
    print("\((path as NSString).lastPathComponent): \(engine.engineKind.rawValue), int8 \(engine.isQuantized)")
    for input in engine.inputs { print("  input  \(input)") }
    for output in engine.outputs { print("  output \(output)") }
    guard let input = engine.inputs.first, let output = engine.outputs.first, let dims = input.shape else {
      throw ConsumerError("\(path): no input or output described")
    }
    let test = try DataSplit.test.load(data, inputCount: engine.inputCount)
    let sampleShape = dims.dropFirst().map { $0.value ?? 0 }
    let size = engine.inputCount
    var correct = 0
    for i in 0..<samples {
      let pixels = Array(test.pixels[(i * size)..<((i + 1) * size)])
      // Named tensors, synchronously…
      let x = try GraphTensor(float32: pixels, shape: [1] + sampleShape)
      guard let logits = try runSync(engine, [input.name: x])[output.name]?.float32 else {
        throw ConsumerError("\(path): no output \(output.name)")
      }
      // …named and flat from async code (off this task's executor) must agree.
      let named = try await engine.run([input.name: x])[output.name]?.float32
      let flat = try await engine.run(batch: pixels, count: 1)
      guard named == logits, flat == logits else { throw ConsumerError("\(path): sample \(i): async and sync runs differ") }
      let top1 = logits.indices.max { logits[$0] < logits[$1] } ?? -1
      if top1 == test.labels[i] { correct += 1 }
    }
    let accuracy = Double(correct) / Double(samples)
    print("  top-1 on \(samples) test digits: \(correct)/\(samples)")
    guard accuracy >= minimumAccuracy else {
      throw ConsumerError("\(path): top-1 \(accuracy) on \(samples) digits is below \(minimumAccuracy)")
    }
    // A profiled batch of 8, async.
    let batch = try GraphTensor(float32: Array(test.pixels[0..<(8 * size)]), shape: [8] + sampleShape)
    let result = try await engine.run([input.name: batch], options: RunOptions(profile: true))
    let micros = result.diagnostics.steps.reduce(0) { $0 + $1.nanoseconds } / 1000
    print("  profiled batch of 8: \(result.diagnostics.steps.count) steps, \(micros) µs")
    guard !result.diagnostics.steps.isEmpty else { throw ConsumerError("\(path): the profile has no steps") }
    // A wrong shape is an error naming the input, not a crash.
    do {
      _ = try await engine.run([input.name: try GraphTensor(float32: [0, 0, 0], shape: [1, 3])])
      throw ConsumerError("\(path): a [1, 3] input was accepted")
    } catch let error as EngineError {
      print("  wrong shape rejected: \(error)")
    }
  }

  /// The synchronous `run` (in `async` code the same call picks the `async` overload).
  static func runSync(_ engine: Engine, _ feeds: [String: GraphTensor]) throws -> [String: GraphTensor] {
    try engine.run(feeds)
  }

  static func embed() async throws {
    guard let folder = ProcessInfo.processInfo.environment["TESSERA_MINILM_DIR"], !folder.isEmpty else {
      print("SKIPPED: text embedding (set TESSERA_MINILM_DIR to an all-MiniLM-L6-v2 sentence-transformers folder)")
      return
    }
    let embedder = try TextEmbedder(folder: folder)
    let vectors = try await embedder.embed(["A man is eating food.", "A man is eating a meal.", "The sky is blue today."])
    func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map(*).reduce(0, +) }
    let close = cosine(vectors[0], vectors[1]), far = cosine(vectors[0], vectors[2])
    print("text embedding: dimension \(embedder.dimension), cosine(paraphrase) \(close), cosine(unrelated) \(far)")
    guard vectors.allSatisfy({ $0.count == embedder.dimension }), close > far else {
      throw ConsumerError("the paraphrase is not closer than the unrelated sentence")
    }
  }
}

/// A failed check, with its message.
struct ConsumerError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
