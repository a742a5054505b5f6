import Foundation
import Testing
import Tessera
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

/// Per-layer weight widths: a mixed 8/6/4/2-bit network written to a model file (sub-8-bit layers
/// stored compactly), read back unchanged, and run by the int8 engine with results equal to the
/// independent simulator and to the scalar reference kernels.
@Suite("Mixed-precision int8 engine")
struct MixedPrecisionEngineTests {
  static let layerBits = ["c1": 8, "c2": 4, "fc1": 2, "fc2": 6]

  func mixed(_ net: FusedNetwork) throws -> QuantizedNetwork {
    let x = TestNetworks.inputs(net, count: 64, seed: 99)
    let calibration = try Calibration(network: net, samples: x, count: 64, batchSize: 16)
    let recipe = QuantizationRecipe(weightBits: 8, layerWeightBits: Self.layerBits)
    return try PostTrainingQuantizer(recipe: recipe).quantize(net, calibration: calibration).network
  }

  @Test func eachLayerUsesItsOwnGrid() throws {
    let q = try mixed(try TestNetworks.smallCNN(seed: 7))
    for l in q.linearLayers {
      let bits = Self.layerBits[l.name]!
      #expect(l.weights.grid.bits == bits)
      let qmax = Int8((1 << (bits - 1)) - 1)
      #expect(l.codes.allSatisfy { abs($0) <= qmax })
      // Round-to-nearest per channel reaches the grid's edge in every row (the largest |w|).
      #expect(l.codes.contains { abs($0) == qmax })
    }
  }

  @Test func modelFileRoundTripsAndEngineMatchesReference() throws {
    let net = try TestNetworks.smallCNN(seed: 7)
    let q = try mixed(net)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mixed-\(UUID().uuidString).safetensors").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try q.write(to: path, name: "mixed")
    let reread = try QuantizedNetwork(contentsOf: path)
    #expect(reread == q)
    #expect(reread.recipe.layerWeightBits == Self.layerBits)
    let file = try SafeTensorsFile(contentsOf: path)
    #expect(file["c1.weight"]?.dtype == .int8)  // 8-bit dense: the old layout
    #expect(file["c2.weight"]?.dtype == .uint8)  // 4-bit: compact
    let x = TestNetworks.inputs(net, count: 9, seed: 11)
    let engine = try Engine(contentsOf: path, configuration: EngineConfiguration(debugReference: true))
    let reference = try Engine(contentsOf: path, configuration: EngineConfiguration(referenceKernels: true, debugReference: false))
    let out = q.outputQuantization
    let simulated = try Int8Simulator.run(q, x, count: 9).map { out.dequantize(Int32($0)) }
    for count in [1, 9] {
      let input = Array(x[0..<(count * net.inputCount)])
      var diagnostics = RunDiagnostics()
      let got = try engine.run(input, count: count, profile: false, diagnostics: &diagnostics, observe: nil)
      #expect(got == Array(simulated[0..<(count * 10)]))
      #expect(got == (try reference.run(input, count: count)))
      #expect(diagnostics.mismatches.isEmpty)
    }
  }

  @Test func badOverridesNameTheLayer() throws {
    let net = try TestNetworks.smallCNN(seed: 7)
    let x = TestNetworks.inputs(net, count: 16, seed: 1)
    let calibration = try Calibration(network: net, samples: x, count: 16)
    let unknown = PostTrainingQuantizer(recipe: QuantizationRecipe(layerWeightBits: ["fc9": 4]))
    #expect(throws: QuantizationError.self) { _ = try unknown.quantize(net, calibration: calibration) }
    do { _ = try unknown.quantize(net, calibration: calibration) } catch {
      #expect("\(error)".contains("'fc9'") && "\(error)".contains("c1, c2, fc1, fc2"))
    }
    for bad in [1, 9] {
      let q = PostTrainingQuantizer(recipe: QuantizationRecipe(layerWeightBits: ["c2": bad]))
      do {
        _ = try q.quantize(net, calibration: calibration)
        Issue.record("\(bad)-bit override accepted")
      } catch {
        #expect("\(error)".contains("layer 'c2'") && "\(error)".contains("\(bad)-bit"))
      }
    }
  }

  @Test func recipeWithoutOverridesDecodesFromOldMetadata() throws {
    let old = #"{"method":"minmax","percentile":99.99,"weight_bits":8,"per_channel":true,"weight_calibration":"minmax","gptq":false,"qat_epochs":0,"calibration_samples":5}"#
    let recipe = try JSONDecoder().decode(QuantizationRecipe.self, from: Data(old.utf8))
    #expect(recipe.layerWeightBits.isEmpty)
    let encoded = String(decoding: try JSONEncoder().encode(recipe), as: UTF8.self)
    #expect(!encoded.contains("layer_weight_bits"))
    var mixed = recipe
    mixed.layerWeightBits = ["fc1": 4]
    let again = try JSONDecoder().decode(QuantizationRecipe.self, from: try JSONEncoder().encode(mixed))
    #expect(again == mixed)
  }
}
