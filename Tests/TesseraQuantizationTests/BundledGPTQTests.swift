import Foundation
import Testing
import TesseraNN
@testable import TesseraQuantization

/// GPTQ against round-to-nearest on the bundled LeNet at 4 bits: lower output MSE on every layer.
@Suite("GPTQ on the bundled LeNet")
struct BundledGPTQTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static var available: Bool {
    FileManager.default.fileExists(atPath: "\(root)/Models/lenet.safetensors")
      && FileManager.default.fileExists(atPath: "\(root)/Models/data/mnist_5k.csv.gz")
  }

  @Test(.enabled(if: available))
  func gptqHasLowerOutputErrorOnEveryLayer() throws {
    let net = try FusedNetwork(contentsOf: "\(Self.root)/Models/lenet.safetensors")
    let train = try Dataset.load(path: "\(Self.root)/Models/data/mnist_5k.csv.gz").stratifiedSplit().train
    let samples = try train.subset((0..<128).map { $0 * train.count / 128 })
    let calibration = try Calibration(network: net, samples: samples.pixels, count: samples.count, collectHessians: true)
    let (_, report) = try PostTrainingQuantizer(recipe: QuantizationRecipe(method: .mse, weightBits: 4, gptq: true))
      .quantize(net, calibration: calibration)
    #expect(report.map(\.name) == ["conv1", "conv2", "fc1", "fc2", "fc3"])
    for layer in report {
      let rtn = try #require(layer.roundToNearestMSE), gptq = try #require(layer.gptqMSE)
      #expect(gptq < rtn, "\(layer.name): GPTQ \(gptq) vs RTN \(rtn)")
    }
  }
}
