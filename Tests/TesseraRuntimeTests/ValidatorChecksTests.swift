import Foundation
import Testing
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

/// The validator refuses comparisons that mean nothing (QA): two different networks matched
/// only by layer names, and a data split with no samples.
@Suite("Validator input checks")
struct ValidatorChecksTests {
  @Test func aFloatModelAndItsInt8ModelMatch() throws {
    let net = try TestNetworks.smallCNN()
    try Validator.checkSameGraph(try Engine(float: net), try Engine(quantized: try TestNetworks.quantized(net)))
  }

  @Test func differentNetworksAreRejectedNamingTheFirstDifference() throws {
    let net = try TestNetworks.smallCNN()
    var other = net
    var rng = TestRNG(seed: 5)
    other.operations[other.operations.count - 1] = .dense(DenseStage(
      name: "logits", inputs: 16, outputs: 10, weight: (0..<160).map { _ in rng.symmetric(0.4) },
      bias: [Float](repeating: 0, count: 10), relu: false))
    let float = try Engine(float: net), int8 = try Engine(quantized: try TestNetworks.quantized(other))
    #expect(throws: QuantizationError.invalidModel(
      "the models are not the same network: layer 6 is dense 'fc2' (10 outputs) in the float model but dense 'logits' (10 outputs) in the int8 model"
    )) {
      try Validator.checkSameGraph(float, int8)
    }
    // compare() checks too, before running anything.
    #expect(throws: QuantizationError.self) {
      try Validator(float: float, quantized: int8).compare(TestNetworks.inputs(net, count: 2, seed: 1), labels: [0, 1])
    }
    let strided = try Engine(quantized: try TestNetworks.quantized(try TestNetworks.stridedCNN()))
    #expect(throws: QuantizationError.self) { try Validator.checkSameGraph(float, strided) }
  }

  @Test func anEmptySplitSaysSo() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-two-\(getpid()).csv").path
    try "0,10,20,30,5\n40,50,60,70,3\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try DataSplit.all.load(path, inputCount: 4).count == 2)
    #expect(throws: DatasetError.mismatch(
      path: path, reason: "no test samples (2 samples in the file are too few to split; use --split all or more data)"
    )) {
      try DataSplit.test.load(path, inputCount: 4)
    }
  }
}
