import Foundation
import Testing
import TesseraQuantization
import TesseraScheduler

@testable import TesseraCodesign

@Suite("Modeled cost of a quantized network")
struct ModeledCostTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func lenet() throws -> QuantizedNetwork {
    try QuantizedNetwork(contentsOf: root + "/Models/lenet-int8.safetensors")
  }

  /// The same network with every layer's codes clamped to a `bits`-bit grid.
  static func narrowed(_ network: QuantizedNetwork, bits: Int) throws -> QuantizedNetwork {
    var copy = network
    let grid = try QuantizationGrid.weights(bits: bits)
    copy.operations = try network.operations.map { op in
      guard case var .linear(l) = op else { return op }
      l.codes = l.codes.map { Int8(min(max(Int32($0), grid.qmin), grid.qmax)) }
      l.weights = try ChannelQuantization(scales: l.weights.scales, grid: grid)
      return .linear(l)
    }
    return copy
  }

  @Test("layers match the model file's schedule: names, shapes, MACs and bits")
  func layersMatchTheFile() throws {
    let network = try Self.lenet()
    let cost = try ModeledCost(network: network, hardware: try HardwareSpec.load("edge-npu"))
    #expect(cost.layers.map(\.name) == network.linearLayers.map(\.name))
    // LeNet: conv1 1→6 5×5 pad 2 on 28×28, conv2 6→16 5×5 on 14×14, fc 400→120→84→10.
    #expect(cost.layers.map(\.macs) == [6 * 28 * 28 * 25, 16 * 10 * 10 * 150, 400 * 120, 120 * 84, 84 * 10])
    #expect(cost.layers.allSatisfy { $0.weightBits == 8 })
    #expect(cost.energyPicojoules > 0 && cost.latencySeconds > 0)
    #expect(abs(cost.energyPicojoules - cost.layers.reduce(0) { $0 + $1.energyPicojoules }) < 1e-6 * cost.energyPicojoules)
    #expect(cost.areaSquareMillimeters == (try HardwareSpec.load("edge-npu")).areaMM2)
  }

  @Test("narrower weights cost less energy on the same hardware")
  func narrowWeightsCostLess() throws {
    let spec = try HardwareSpec.load("edge-npu")
    let eight = try ModeledCost(network: try Self.lenet(), hardware: spec)
    let four = try ModeledCost(network: try Self.narrowed(try Self.lenet(), bits: 4), hardware: spec)
    #expect(four.layers.allSatisfy { $0.weightBits == 4 })
    #expect(four.energyPicojoules < eight.energyPicojoules)
  }

  @Test("zero weights skip MACs only on hardware that declares it")
  func zeroSkipping() throws {
    var network = try Self.lenet()
    // Zero every other weight code of every layer: density 0.5 (or a little less where codes were 0).
    network.operations = network.operations.map { op in
      guard case var .linear(l) = op else { return op }
      for i in stride(from: 0, to: l.codes.count, by: 2) { l.codes[i] = 0 }
      return .linear(l)
    }
    let dense = try HardwareSpec.load("edge-npu")
    var skipping = dense
    skipping.sparsity = SparsitySupport(skipZeroWeights: true, compressedWeights: true, metadataBitsPerNonzero: 4)
    let plain = try ModeledCost(network: network, hardware: dense)
    let skipped = try ModeledCost(network: network, hardware: skipping)
    #expect(plain.layers.allSatisfy { $0.weightDensity <= 0.5 + 1e-9 })
    #expect(zip(plain.layers, skipped.layers).allSatisfy { $1.macs < $0.macs * 6 / 10 })
    #expect(skipped.energyPicojoules < plain.energyPicojoules)
  }
}
