import Testing
import Tessera
import TesseraNN
@testable import TesseraCompression

/// Channel (filter / neuron) pruning: shapes shrink through BatchNorm, pooling and Flatten, and
/// removing zeroed filters changes no output.
@Suite struct ChannelPruningTests {
  typealias S = CompressionTestSupport

  /// Zeros the weights and bias of outputs `rows` of a Dense/Conv2D layer.
  func zeroOutputs(_ model: Sequential, _ name: String, _ rows: [Int]) {
    let layer = model.layers.first { $0.name == name }!
    let weight = layer.parameters.first { $0.role == "weight" }!
    let width = weight.count / weight.shape[0]
    for r in rows {
      for i in (r * width)..<((r + 1) * width) { weight.value[i] = 0 }
      if let bias = layer.parameters.first(where: { $0.role == "bias" }) { bias.value[r] = 0 }
    }
  }

  @Test func removingZeroedFiltersKeepsOutputsOfACNN() throws {
    let model = S.plainCNN()
    zeroOutputs(model, "conv1", [1, 3])
    zeroOutputs(model, "conv2", [0, 2, 5])
    let x = try S.batch(5, shape: [1, 8, 8], seed: 3)
    let expected = try model(x)
    let (pruned, masks) = try Pruner.prune(model, method: .channel(fraction: 0.5))
    #expect(masks == nil && pruned !== model)
    let conv1 = try #require(pruned.layers[0] as? Conv2D), conv2 = try #require(pruned.layers[3] as? Conv2D)
    let fc1 = try #require(pruned.layers[7] as? Dense)
    #expect(conv1.outputChannels == 2 && conv2.inputChannels == 2 && conv2.outputChannels == 3)
    #expect(fc1.inputs == 12, "Flatten: 3 channels × 2×2 positions")
    #expect((pruned.layers[9] as? Dense)?.inputs == 5, "Dense layers of a CNN keep their neurons")
    let actual = try pruned(x)
    #expect(actual.shape == expected.shape)
    // Same sums without the zero terms; only the summation order may differ.
    #expect(S.relativeError(expected, actual) < 1e-5)
    // The original is untouched.
    #expect((model.layers[0] as? Conv2D)?.outputChannels == 4)
    #expect(S.relativeError(expected, try model(x)) == 0)
  }

  @Test func removingZeroedNeuronsKeepsOutputsOfAnMLP() throws {
    let model = S.plainMLP()
    zeroOutputs(model, "fc1", [1, 4, 6, 7])
    zeroOutputs(model, "fc2", [0, 3, 5])
    let x = try S.batch(4, shape: [16], seed: 5)
    let expected = try model(x)
    let (pruned, _) = try Pruner.prune(model, method: .channel(fraction: 0.5))
    let dense = pruned.layers.compactMap { $0 as? Dense }
    #expect(dense.map(\.outputs) == [4, 3, 3])
    #expect(dense.map(\.inputs) == [16, 4, 3])
    #expect(S.relativeError(expected, try pruned(x)) < 1e-5)
  }

  @Test func prunedFiltersAreTheSmallestByL1Norm() throws {
    let model = S.plainCNN()
    let conv1 = model.layers[0] as! Conv2D
    let norms = (0..<4).map { o in conv1.weight.value[(o * 9)..<((o + 1) * 9)].reduce(Float(0)) { $0 + abs($1) } }
    let (pruned, _) = try Pruner.prune(model, method: .channel(fraction: 0.5))
    let kept = (pruned.layers[0] as! Conv2D).weight.value
    let expectedKeep = norms.indices.sorted { norms[$0] > norms[$1] }.prefix(2).sorted()
    #expect(kept == expectedKeep.flatMap { Array(conv1.weight.value[($0 * 9)..<(($0 + 1) * 9)]) })
  }

  @Test func batchNormShrinksWithItsLayerInATrainingModel() throws {
    let model = S.trainingCNN()
    let (pruned, _) = try Pruner.prune(model, method: .channel(fraction: 0.5))
    let bn = pruned.layers.compactMap { $0 as? BatchNorm }
    #expect(bn.map(\.featureCount) == [2, 3, 8])
    for layer in bn {
      for p in layer.parameters { #expect(p.count == layer.featureCount && p.shape == [layer.featureCount]) }
    }
    #expect((pruned.layers[9] as? Dense)?.inputs == 12)
    #expect(pruned.layers.contains { $0 is Dropout }, "Dropout survives")
    // It trains (BatchNorm in training mode) and exports with BatchNorm folded.
    pruned.isTraining = true
    let x = try S.batch(6, shape: [1, 8, 8], seed: 9)
    let y = try pruned(x)
    #expect(y.shape == [6, 3])
    _ = try pruned.backward(y)
    let file = try pruned.modelFile()
    let reloaded = try Sequential(modelFile: file)
    pruned.isTraining = false
    #expect(S.relativeError(try pruned(x), try reloaded(x)) < 1e-4)
    #expect(!reloaded.layers.contains { $0 is BatchNorm })
  }

  @Test func denseNeuronsOfAModelWithoutConvolutions() throws {
    let model = Sequential(name: "bn-mlp", inputShape: [1, 4, 4], layers: [
      Flatten(name: "flatten"), Dense(inputs: 16, outputs: 10, name: "fc1"), BatchNorm(featureCount: 10, name: "bn1"),
      ReLU(name: "relu1"), Dropout(rate: 0.2, name: "drop1"), Dense(inputs: 10, outputs: 3, name: "fc2"),
    ])
    S.randomize(model, seed: 4)
    let (pruned, _) = try Pruner.prune(model, method: .channel(fraction: 0.3))
    #expect((pruned.layers[1] as? Dense)?.outputs == 7)
    #expect((pruned.layers[2] as? BatchNorm)?.featureCount == 7)
    #expect((pruned.layers[5] as? Dense)?.inputs == 7)
    #expect((pruned.layers[5] as? Dense)?.outputs == 3, "the classifier keeps its outputs")
  }

  @Test func namingTheClassifierOrAnUnknownLayerFails() {
    let model = S.plainMLP()
    #expect(throws: CompressionError.self) { try Pruner.prune(model, method: .channel(fraction: 0.5), layers: ["fc3"]) }
    #expect(throws: CompressionError.self) { try Pruner.prune(model, method: .channel(fraction: 0.5), layers: ["relu1"]) }
    #expect(throws: CompressionError.invalidSparsity(1)) { try Pruner.prune(model, method: .channel(fraction: 1)) }
  }

  @Test func aLayerKeepsAtLeastOneOutput() throws {
    let model = S.plainMLP()
    let (pruned, _) = try Pruner.prune(model, method: .channel(fraction: 0.99))
    #expect(pruned.layers.compactMap { ($0 as? Dense)?.outputs } == [1, 1, 3])
    _ = try pruned(try S.batch(2, shape: [16], seed: 1))
  }
}
