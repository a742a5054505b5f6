import Foundation
import Testing
import Tessera
import TesseraNN
@testable import TesseraQuantization

/// Sub-8-bit int8 model files: compact weight tensors read back to the same network, shrink the
/// file, and corrupt compact tensors are errors naming the layer.
@Suite("Compact int8 model files")
struct CompactModelFileTests {
  func network() throws -> FusedNetwork {
    var rng = SplitMix(seed: 31)
    func values(_ n: Int) -> [Float] { (0..<n).map { _ in rng.gaussian() * 0.5 } }
    return try FusedNetwork(inputShape: [64], operations: [
      .dense(DenseStage(name: "fc1", inputs: 64, outputs: 32, weight: values(2048), bias: values(32), relu: true)),
      .dense(DenseStage(name: "fc2", inputs: 32, outputs: 10, weight: values(320), bias: values(10), relu: false)),
    ])
  }

  func quantized(_ bits: [String: Int]) throws -> QuantizedNetwork {
    let net = try network()
    var rng = SplitMix(seed: 4)
    let x = (0..<(32 * 64)).map { _ in rng.next01() }
    let calibration = try Calibration(network: net, samples: x, count: 32)
    return try PostTrainingQuantizer(recipe: QuantizationRecipe(layerWeightBits: bits)).quantize(net, calibration: calibration).network
  }

  func reread(_ file: SafeTensorsFile) throws -> QuantizedNetwork {
    try QuantizedNetwork(file: try SafeTensorsFile(bytes: file.serialized(), source: "c.safetensors"), source: "c.safetensors")
  }

  @Test func mixedFourAndEightBitRoundTripsAndShrinks() throws {
    let uniform = try quantized([:])
    let mixed = try quantized(["fc1": 4])
    let file = try mixed.modelFile(name: "m")
    #expect(file["fc1.weight"]?.dtype == .uint8)
    #expect(file["fc2.weight"]?.dtype == .int8)
    #expect(try reread(file) == mixed)
    // fc1: 2,048 codes → at most 1,024 bytes (bit-packed) instead of 2,048.
    let saved = try uniform.modelFile(name: "m").serialized().count - file.serialized().count
    #expect(saved >= 1024 - 64)  // the JSON metadata grows by a few dozen bytes
  }

  @Test func prunedCodesUseTheBitmask() throws {
    var q = try quantized(["fc1": 4])
    guard case var .linear(l) = q.operations[0] else { Issue.record("no linear layer"); return }
    for i in stride(from: 0, to: l.codes.count, by: 2) { l.codes[i] = 0 }  // 50 % sparse
    q.operations[0] = .linear(l)
    let file = try q.modelFile(name: "m")
    let stored = try #require(file["fc1.weight"])
    #expect(Double(stored.byteCount) < 0.40 * Double(l.codes.count))
    #expect(try reread(file) == q)
  }

  @Test func corruptCompactTensorsAreErrors() throws {
    let file = try quantized(["fc1": 4]).modelFile(name: "m")
    let bytes = try #require(file["fc1.weight"]?.uint8?.scalars)
    for bad in [Array(bytes.dropLast()), bytes + [0, 0], []] {
      var corrupt = file
      corrupt["fc1.weight"] = .uint8(try Tensor(shape: [bad.count], scalars: bad))
      do {
        _ = try reread(corrupt)
        Issue.record("corrupt fc1.weight of \(bad.count) bytes was accepted")
      } catch {
        #expect("\(error)".contains("fc1") && "\(error)".contains("c.safetensors"))
      }
    }
    var wrongType = file
    wrongType["fc1.weight"] = .int8(try Tensor(shape: [32, 64], scalars: [Int8](repeating: 1, count: 2048)))
    #expect(throws: QuantizationError.self) { _ = try reread(wrongType) }
  }
}
