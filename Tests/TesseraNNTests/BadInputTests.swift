import Foundation
import Tessera
import Testing
@testable import TesseraNN

/// Regression tests for hostile input found by the QA pass: each case used to trap (integer
/// overflow), or was accepted silently with a wrong result, and must now throw a one-line error.
struct BadInputTests {
  // MARK: - Data files

  func loadError(_ name: String, _ bytes: [UInt8], labels: [UInt8]? = nil) throws -> String {
    let directory = try TestSupport.temporaryDirectory()
    try TestSupport.write(bytes, to: directory + "/" + name)
    if let labels { try TestSupport.write(labels, to: directory + "/x-labels-idx1-ubyte") }
    do {
      let data = try Dataset.load(path: directory + "/" + name)
      return "loaded \(data.labels) \(data.pixels.map { Int(($0 * 255).rounded()) })"
    } catch {
      let text = "\(error)".replacingOccurrences(of: directory + "/", with: "")
      #expect(!text.contains("\n"))
      return text
    }
  }

  /// IDX bytes: magic, big-endian dims, data.
  func idx(_ magic: UInt8, _ dims: [Int], _ data: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = [0, 0, 8, magic]
    for d in dims { out += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
    return out + data
  }

  /// 2²² × 2²¹ × 2²¹ = 2⁶⁴ wrapped to 0 and matched an empty data section, then trapped.
  @Test func idxDimensionsThatOverflowAreAnError() throws {
    #expect(try loadError("x-images-idx3-ubyte", idx(3, [1 << 22, 1 << 21, 1 << 21]), labels: idx(1, [2], [0, 1]))
      == "x-images-idx3-ubyte: byte 4: dimensions [4194304, 2097152, 2097152] describe more data than can exist")
  }

  @Test func idxWithoutImagesOrPixelsIsAnError() throws {
    #expect(try loadError("x-images-idx3-ubyte", idx(3, [0, 28, 28]), labels: idx(1, [0]))
      == "x-images-idx3-ubyte: no samples (the header declares 0 images)")
    #expect(try loadError("x-images-idx3-ubyte", idx(3, [2, 0, 0]), labels: idx(1, [2], [0, 1]))
      == "x-images-idx3-ubyte: byte 8: images are 0×0; both sides must be positive")
    #expect(try loadError("x-images-idx3-ubyte", idx(3, [1, 1, 1], [7]))
      == "x-labels-idx1-ubyte: cannot open: no such file")
    #expect(try loadError("x-labels-idx1-ubyte", idx(1, [1], [7]))
      == "x-labels-idx1-ubyte: cannot open: is an IDX labels file; pass the images file (*-images-idx3-ubyte) beside it")
  }

  @Test func csvDoesNotGuessAroundBadNumbers() throws {
    // "1 2" was read as 12.
    #expect(try loadError("d.csv", Array("1,2,3,4,0\n5,1 2,7,8,1\n".utf8)) == "d.csv:2: a blank inside a number in column 2")
    // A first data line with a bad value was skipped as a "header".
    #expect(try loadError("d.csv", Array("1,2.5,3,4,0\n5,6,7,8,1\n".utf8)) == "d.csv:1: unexpected character '.' in column 2")
    #expect(try loadError("d.csv", [0xEF, 0xBB, 0xBF] + Array("a,b,c,d,label\n 1 , 2,3,4 ,0\n".utf8))
      == "loaded [0] [1, 2, 3, 4]")
    #expect(try loadError("d.csv", [1, 0, 0, 0]) == "d.csv:1: unexpected byte 0x1 in column 1")
  }

  @Test func directoriesAreNamedAsSuch() throws {
    let directory = try TestSupport.temporaryDirectory()
    #expect(throws: DatasetError.cannotOpen(path: directory, reason: "is a directory, not a data file")) {
      try Dataset.load(path: directory)
    }
    #expect(throws: SafeTensorsError.io(path: directory, reason: "is a directory, not a model file")) {
      try SafeTensorsFile(contentsOf: directory)
    }
  }

  /// A non-positive class count made `classCounts` trap on a negative array size.
  @Test func datasetShapeAndClassCountArePositive() {
    #expect(throws: DatasetError.mismatch(path: "m", reason: "class count 0 must be at least 1")) {
      try Dataset(pixels: [], labels: [], sampleShape: [1], classCount: 0, source: "m")
    }
    #expect(throws: DatasetError.mismatch(path: "m", reason: "sample shape [2, -2] must be non-empty and positive")) {
      try Dataset(pixels: [], labels: [], sampleShape: [2, -2], source: "m")
    }
    #expect(throws: DatasetError.self) { try Dataset(pixels: [], labels: [0], sampleShape: [1 << 40, 1 << 40], source: "m") }
  }

  /// `--data /dev/zero` read until the allocation failed (a trap); a gzip bomb would too.
  @Test func endlessInputIsBounded() throws {
    #expect(throws: DatasetError.cannotOpen(path: "/dev/zero", reason: "is a device, not a data file")) {
      try Dataset.load(path: "/dev/zero")
    }
    let path = try TestSupport.temporaryDirectory() + "/big.csv.gz"
    try TestSupport.gzip([UInt8](repeating: 48, count: 1 << 20), to: path)
    #expect(throws: DatasetError.mismatch(path: path, reason: "more than 1000 bytes (decompressed); data sets are loaded into memory")) {
      try GzipFile.read(path, limit: 1000)
    }
    #expect(try GzipFile.read(path).count == 1 << 20)
  }

  /// `train --out /proc/x` (or a directory) failed only after training, when the file was written.
  @Test func writabilityIsCheckedUpFront() throws {
    let directory = try TestSupport.temporaryDirectory()
    #expect(throws: SafeTensorsError.io(path: directory, reason: "is a directory; give a file name")) {
      try AtomicFile.checkWritable(directory)
    }
    #expect(throws: SafeTensorsError.io(path: directory + "/no/m.safetensors", reason: "cannot write: No such file or directory")) {
      try AtomicFile.checkWritable(directory + "/no/m.safetensors")
    }
    try AtomicFile.checkWritable(directory + "/m.safetensors")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "the probe file is removed")
  }

  // MARK: - Model graphs

  func graphError(_ json: String) -> String {
    do {
      _ = try Sequential(graph: try ModelGraph(json: Data(json.utf8), source: "g.json"), seed: 1, source: "g.json")
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  func graph(input: String = "[1, 4, 4]", normalization: String = "", classes: String = "", _ layers: String) -> String {
    """
    {"version": 1, "name": "g", \(classes) "input": {"shape": \(input), "dtype": "float32" \(normalization)},
     "layers": [\(layers)]}
    """
  }

  /// Each of these trapped on integer overflow while computing shapes.
  @Test func hugeShapesAreErrorsNotTraps() {
    let flatten = #"{"name": "f", "kind": "flatten"}"#
    #expect(graphError(graph(input: "[1099511627776, 1099511627776, 1099511627776]", flatten))
      == "g.json: model graph: input shape [1099511627776, 1099511627776, 1099511627776] has more than 268435456 elements per sample")
    let conv = #"{"name": "c", "kind": "conv2d", "attributes": {"in_channels": 1, "out_channels": 2, "kernel": 3, "padding": 4611686018427387904}}"#
    #expect(graphError(graph(conv + ", " + flatten))
      == "g.json: model graph: layer 'c' (conv2d): attribute 'padding' must be non-negative [y, x] at most 4096")
    let wide = #"{"name": "c", "kind": "conv2d", "attributes": {"in_channels": 1, "out_channels": 65536, "kernel": 1, "padding": 4096}}"#
    #expect(graphError(graph(wide + ", " + flatten))
      == "g.json: model graph: layer c output: invalid shape [65536, 8196, 8196]: has more than 268435456 elements per sample")
  }

  @Test func inconsistentGraphsAreRejected() {
    let dense = #"{"name": "f", "kind": "flatten"}, {"name": "fc", "kind": "dense", "attributes": {"inputs": 16, "outputs": 10}}"#
    #expect(graphError(graph(dense)) == "no error")
    #expect(graphError(graph(classes: #""classes": 3,"#, dense))
      == "g.json: model graph: classes is 3 but the last layer outputs shape [10]")
    #expect(graphError(graph(normalization: #", "normalization": {"mean": [0.1, 0.2], "std": [1, 1]}"#, dense))
      == "g.json: model graph: input normalization has 2 mean and 2 std values; needs 1 of each")
    #expect(graphError(graph(normalization: #", "normalization": {"mean": [0.1], "std": [0]}"#, dense))
      == "g.json: model graph: input normalization needs finite means and positive finite standard deviations, got mean [0.1] std [0.0]")
    #expect(graphError(graph(#"{"name": "bn", "kind": "batchnorm", "attributes": {"features": 1, "epsilon": -1}}, "# + dense))
      == "g.json: model graph: layer 'bn' (batchnorm): epsilon -1.0 must be a positive float32")
    #expect(graphError(graph(#"{"name": "bn", "kind": "batchnorm", "attributes": {"features": 1, "momentum": 5}}, "# + dense))
      == "g.json: model graph: layer 'bn' (batchnorm): momentum 5.0 must be in [0, 1]")
    #expect(graphError(graph(dense).replacingOccurrences(of: #""version": 1"#, with: #""version": 0"#))
      == "g.json: model graph: version 0 is not supported (this build reads 1...1)")
  }

  @Test func nonFiniteWeightsAreRejected() throws {
    let model = Sequential(name: "m", inputShape: [4], layers: [Dense(inputs: 4, outputs: 2, name: "fc")])
    var file = try model.modelFile()
    file.tensors["fc.weight"] = .float32(try Tensor(shape: [2, 4], scalars: [0, 1, 2, .nan, 4, 5, 6, 7]))
    #expect(throws: SafeTensorsError.graph(path: "m", reason: "tensor 'fc.weight' holds nan at element 3 (weights must be finite)")) {
      try file.validate(source: "m")
    }
    let normalized = Sequential(name: "b", inputShape: [2], layers: [BatchNorm(featureCount: 2, name: "bn")])
    var unfolded = try normalized.modelFile()
    unfolded.tensors["bn.running_var"] = .float32(try Tensor(shape: [2], scalars: [1, -0.5]))
    #expect(throws: SafeTensorsError.graph(path: "b", reason: "tensor 'bn.running_var' holds variance -0.5 (variances must be ≥ 0)")) {
      try unfolded.validate(source: "b")
    }
  }

  // MARK: - Training

  func fitError(model: Sequential, train: Dataset, test: Dataset, lr: Float = 0.05) -> String {
    let trainer = Trainer(
      model: model, optimizer: SGD(learningRate: lr), schedule: .constant(lr),
      configuration: TrainingConfiguration(epochs: 2, batchSize: 4, seed: 1))
    do {
      try trainer.fit(train: train, test: test)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  func data(_ count: Int, shape: [Int] = [1, 2, 2], label: Int = 0, source: String) throws -> Dataset {
    try Dataset(
      pixels: (0..<(count * shape.reduce(1, *))).map { Float($0 % 7) / 7 }, labels: (0..<count).map { label + $0 % 3 },
      sampleShape: shape, classCount: 10, source: source)
  }

  @Test func trainingRefusesDataItCannotUse() throws {
    let mlp = { Sequential(name: "m", inputShape: [1, 2, 2], layers: [Flatten(), Dense(inputs: 4, outputs: 3, name: "fc")]) }
    #expect(try fitError(model: mlp(), train: data(8, source: "a"), test: data(4, source: "b")) == "no error")
    // One training sample made zero batches: the "trained" model was written with exit 0.
    #expect(try fitError(model: mlp(), train: data(1, source: "a"), test: data(4, source: "b"))
      == "a: 1 training sample(s); a training batch needs at least 2")
    // An empty test set reported 0 % accuracy.
    #expect(try fitError(model: mlp(), train: data(8, source: "a"), test: data(0, source: "b")) == "b: no test samples to evaluate on")
    #expect(try fitError(model: mlp(), train: data(8, source: "a"), test: data(4, shape: [1, 1, 1], source: "b"))
      == "b: samples are [1, 1, 1] but model m takes [1, 2, 2]")
    #expect(try fitError(model: mlp(), train: data(8, label: 7, source: "a"), test: data(4, source: "b"))
      .hasPrefix("a: label 9 needs 10 class scores but model m outputs [3]"))
    #expect(try fitError(model: Sequential(name: "f", inputShape: [1, 2, 2], layers: [Flatten()]), train: data(8, source: "a"), test: data(4, source: "b"))
      == "model f has no trainable parameters")
  }

  /// A huge learning rate used to finish with NaN weights and exit 0.
  @Test func divergenceIsAnError() throws {
    let model = Sequential(name: "m", inputShape: [1, 2, 2], layers: [
      Flatten(), Dense(inputs: 4, outputs: 8, name: "fc1"), ReLU(), Dense(inputs: 8, outputs: 3, name: "fc2"),
    ])
    let message = try fitError(model: model, train: data(8, source: "a"), test: data(4, source: "b"), lr: 1e30)
    #expect(message.hasPrefix("training diverged"), "\(message)")
  }

  /// `--epochs 9223372036854775807` trapped on `epochs × stepsPerEpoch`.
  @Test func scheduleLengthSaturates() {
    var recipe = TrainingRecipe.defaults(for: "mlp")
    recipe.epochs = .max
    guard case let .cosine(_, total, warmup, _) = recipe.makeSchedule(stepsPerEpoch: 63) else {
      Issue.record("expected a cosine schedule")
      return
    }
    #expect(total == .max && warmup == 63)
  }

  @Test func benchmarkNeedsTwoSamplesOfTheModelShape() throws {
    let model = Sequential(name: "m", inputShape: [1, 2, 2], layers: [Flatten(), Dense(inputs: 4, outputs: 3, name: "fc")])
    #expect(throws: DatasetError.mismatch(path: "a", reason: "1 sample(s); a training step needs at least 2")) {
      try TrainingBenchmark.measure(model: model, batchSize: 64, data: try data(1, source: "a"), steps: 1, repeats: 1, warmup: 0)
    }
    #expect(throws: DatasetError.mismatch(path: "a", reason: "samples are [1, 1, 1] but model m takes [1, 2, 2]")) {
      try TrainingBenchmark.measure(model: model, batchSize: 64, data: try data(4, shape: [1, 1, 1], source: "a"), steps: 1, repeats: 1)
    }
  }
}
