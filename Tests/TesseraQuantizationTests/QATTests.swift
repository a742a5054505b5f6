import Foundation
import Testing
import Tessera
import TesseraNN
@testable import TesseraQuantization

@Suite("Quantization-aware training")
struct QATTests {
  /// Two Gaussian blobs per class in 8 dimensions; a dense 8→12→3 network.
  func problem() throws -> (FusedNetwork, Dataset) {
    var rng = SplitMix(seed: 31)
    var pixels = [Float](), labels = [Int]()
    let centers = (0..<3).map { _ in (0..<8).map { _ in rng.next01() } }
    for i in 0..<300 {
      let c = i % 3
      pixels += centers[c].map { min(max($0 + 0.15 * rng.gaussian(), 0), 1) }
      labels.append(c)
    }
    let data = try Dataset(pixels: pixels, labels: labels, sampleShape: [8], classCount: 3)
    let net = try FusedNetwork(inputShape: [8], operations: [
      .dense(DenseStage(name: "fc1", inputs: 8, outputs: 12, weight: (0..<96).map { _ in rng.gaussian() * 0.5 }, bias: [Float](repeating: 0, count: 12), relu: true)),
      .dense(DenseStage(name: "fc2", inputs: 12, outputs: 3, weight: (0..<36).map { _ in rng.gaussian() * 0.5 }, bias: [0, 0, 0], relu: false)),
    ])
    return (net, data)
  }

  /// `--epochs 9223372036854775807` trapped on epochs × steps per epoch (QA): out-of-range
  /// epoch counts are rejected before any work.
  @Test func absurdEpochCountsAreRejected() throws {
    let (net, data) = try problem()
    for epochs in [0, QATTrainer.maxEpochs + 1, Int.max] {
      var qat = QATTrainer(network: net, recipe: QuantizationRecipe(), epochs: epochs)
      #expect(throws: QuantizationError.invalidArgument("QAT epochs \(epochs) is outside 1...10000")) {
        try qat.train(on: data, calibration: data, onEpoch: nil)
      }
    }
  }

  @Test func qatProducesAQuantizableNetworkWithTrainedRanges() throws {
    let (net, data) = try problem()
    let recipe = QuantizationRecipe(weightBits: 3)
    var qat = QATTrainer(network: net, recipe: recipe, epochs: 3, learningRate: 1e-2, seed: 1, batchSize: 32)
    var epochs = [Int]()
    let result = try qat.train(on: data, calibration: data) { epoch, loss, _ in
      epochs.append(epoch)
      #expect(loss.isFinite)
    }
    #expect(epochs == [1, 2, 3])
    #expect(result.network.operations.count == 2)
    #expect(result.network != net)  // the weights moved
    #expect(Set(result.activations.keys) == [-1, 0, 1])
    let calibration = try Calibration(network: result.network, samples: data.pixels, count: data.count, collectHessians: true)
    var qRecipe = recipe
    qRecipe.qatEpochs = 3
    let (q, _) = try PostTrainingQuantizer(recipe: qRecipe).quantize(
      result.network, calibration: calibration, activationOverrides: result.activations)
    #expect(q.linearLayers[0].output == result.activations[0])
    #expect(q.input == result.activations[-1])
    #expect(q.linearLayers.allSatisfy { $0.codes.allSatisfy { abs(Int32($0)) <= 3 } })
  }

  @Test func fakeQuantizedLinearUsesQuantizedWeightsAndPassesGradientsStraightThrough() throws {
    let dense = Dense(inputs: 2, outputs: 1, bias: false, name: "d")
    dense.weight.value = [0.3, -1.0]
    let layer = FakeQuantizedLinear(dense, weight: dense.weight, channels: 1, recipe: QuantizationRecipe(weightBits: 2))
    let y = try layer(Tensor(shape: [1, 2], scalars: [1, 1]))
    // 2-bit grid ±1 with scale 1.0: 0.3 → 0, −1 → −1.
    #expect(y.scalars == [-1])
    #expect(dense.weight.value == [0.3, -1.0])  // the shadow weights are restored
    let dx = try layer.backward(Tensor(shape: [1, 1], scalars: [1]))
    #expect(dx.scalars == [0, -1])  // through the fake-quantized weights
    #expect(dense.weight.gradient == [1, 1])  // straight through
  }
}
