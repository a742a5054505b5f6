import Foundation
import Tessera
import TesseraNN

/// Models, data and comparisons shared by the compression tests.
enum CompressionTestSupport {
  /// The package root (three levels above this file).
  static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The bundled float MLP and digits, when present.
  static var bundledMLP: String { packageRoot + "/Models/mlp.safetensors" }
  /// The bundled 5,000-digit CSV.
  static var bundledCSV: String { packageRoot + "/Models/data/mnist_5k.csv.gz" }
  /// True when the bundled MLP and data are in the checkout.
  static var hasBundledFiles: Bool {
    FileManager.default.fileExists(atPath: bundledMLP) && FileManager.default.fileExists(atPath: bundledCSV)
  }

  /// Deterministic weights in [-1, 1] without exact ties or zeros, for every Dense/Conv2D/BatchNorm.
  static func randomize(_ model: Sequential, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for p in model.parameters {
      switch p.role {
      case "running_var": p.value = p.value.map { _ in 0.5 + rng.nextFloat() }
      case "weight" where p.shape.count == 1: p.value = p.value.map { _ in 0.5 + rng.nextFloat() }
      default: p.value = p.value.map { _ in (rng.nextFloat() * 2 - 1) * 0.9 + (rng.nextFloat() > 0.5 ? 0.05 : -0.05) }
      }
    }
  }

  /// A CNN without BatchNorm whose Flatten sees a 6×2×2 map (channel-major blocks of 4).
  static func plainCNN() -> Sequential {
    let model = Sequential(name: "plain", inputShape: [1, 8, 8], layers: [
      Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, name: "conv1"), ReLU(name: "relu1"),
      MaxPool2D(kernelSize: 2, name: "pool1"),
      Conv2D(inputChannels: 4, outputChannels: 6, kernelSize: 3, padding: 1, name: "conv2"), ReLU(name: "relu2"),
      AvgPool2D(kernelSize: 2, name: "pool2"), Flatten(name: "flatten"),
      Dense(inputs: 24, outputs: 5, name: "fc1"), ReLU(name: "relu3"), Dense(inputs: 5, outputs: 3, name: "fc2"),
    ])
    randomize(model, seed: 11)
    model.isTraining = false
    return model
  }

  /// A training-time CNN: BatchNorm after every conv and the hidden Dense, Dropout before the classifier.
  static func trainingCNN() -> Sequential {
    let model = Sequential(name: "train", inputShape: [1, 8, 8], layers: [
      Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, name: "conv1"),
      BatchNorm(featureCount: 4, name: "bn1"), ReLU(name: "relu1"), MaxPool2D(kernelSize: 2, name: "pool1"),
      Conv2D(inputChannels: 4, outputChannels: 6, kernelSize: 3, padding: 1, bias: false, name: "conv2"),
      BatchNorm(featureCount: 6, name: "bn2"), ReLU(name: "relu2"), MaxPool2D(kernelSize: 2, name: "pool2"),
      Flatten(name: "flatten"), Dense(inputs: 24, outputs: 8, name: "fc1"), BatchNorm(featureCount: 8, name: "bn3"),
      ReLU(name: "relu3"), Dropout(rate: 0.2, name: "drop"), Dense(inputs: 8, outputs: 3, name: "fc2"),
    ])
    randomize(model, seed: 12)
    return model
  }

  /// An MLP 16 → 8 → 6 → 3 without BatchNorm.
  static func plainMLP() -> Sequential {
    let model = Sequential(name: "mlp", inputShape: [16], layers: [
      Dense(inputs: 16, outputs: 8, name: "fc1"), ReLU(name: "relu1"), Dense(inputs: 8, outputs: 6, name: "fc2"),
      ReLU(name: "relu2"), Dense(inputs: 6, outputs: 3, name: "fc3"),
    ])
    randomize(model, seed: 13)
    model.isTraining = false
    return model
  }

  /// A random batch `[count] + shape` with values in [0, 1).
  static func batch(_ count: Int, shape: [Int], seed: UInt64) throws -> Tensor<Float> {
    var rng = SplitMix64(seed: seed)
    let n = count * shape.reduce(1, *)
    return try Tensor(shape: [count] + shape, scalars: (0..<n).map { _ in rng.nextFloat() })
  }

  /// Largest |a − b| relative to the largest |a|.
  static func relativeError(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
    let scale = max(a.scalars.map(abs).max() ?? 1, 1e-6)
    return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
  }

  /// The weight parameter of the Dense/Conv2D layer called `name`.
  static func weight(_ model: Sequential, _ name: String) -> Parameter {
    let layer = model.layers.first { $0.name == name }!
    return layer.parameters.first { $0.role == "weight" }!
  }

  /// Zero count of an array.
  static func zeros(_ values: [Float]) -> Int { values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }

  /// A synthetic 3-class dataset of 8×8 images (a bright row, column or diagonal plus noise).
  static func syntheticDataset(count: Int, seed: UInt64) throws -> Dataset {
    var rng = SplitMix64(seed: seed)
    var pixels = [Float](), labels = [Int]()
    for i in 0..<count {
      let label = i % 3
      let offset = Int(rng.nextInt(below: 8))
      for y in 0..<8 {
        for x in 0..<8 {
          let on = label == 0 ? y == offset : label == 1 ? x == offset : x == y
          pixels.append((on ? 0.8 : 0) + rng.nextFloat() * 0.2)
        }
      }
      labels.append(label)
    }
    return try Dataset(pixels: pixels, labels: labels, sampleShape: [1, 8, 8], classCount: 3, source: "synthetic")
  }
}
