import Foundation
import Tessera
@testable import TesseraNN

/// Paths and helpers shared by the TesseraNN tests.
enum TestSupport {
  /// The package root (three levels above this file).
  static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The bundled 5,000-digit CSV.
  static var bundledCSV: String { packageRoot + "/Models/data/mnist_5k.csv.gz" }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "tessera-nn-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes bytes to a file.
  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Gzip-compresses bytes with the system `gzip` tool.
  static func gzip(_ bytes: [UInt8], to path: String) throws {
    let raw = path + ".raw"
    try write(bytes, to: raw)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c '\(raw)' > '\(path)' && rm '\(raw)'"]
    try process.run()
    process.waitUntilExit()
  }

  /// Runs a shell command; returns (status, stdout).
  static func shell(_ command: String) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A small CNN with every layer kind, for model-file and training tests.
  static func smallCNN() -> Sequential {
    Sequential(name: "small", inputShape: [1, 8, 8], layers: [
      Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, name: "conv1"),
      BatchNorm(featureCount: 4, name: "bn1"), ReLU(name: "relu1"), MaxPool2D(kernelSize: 2, name: "pool1"),
      Conv2D(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1, bias: false, name: "conv2"),
      BatchNorm(featureCount: 6, name: "bn2"), ReLU(name: "relu2"), AvgPool2D(kernelSize: 2, name: "pool2"),
      Flatten(name: "flatten"), Dropout(rate: 0.1, name: "drop"),
      Dense(inputs: 6, outputs: 5, name: "fc1"), BatchNorm(featureCount: 5, name: "bn3"), ReLU(name: "relu3"),
      Dense(inputs: 5, outputs: 3, name: "fc2"),
    ])
  }

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
    return try Dataset(pixels: pixels, labels: labels, sampleShape: [1, 8, 8], classCount: 3)
  }
}
