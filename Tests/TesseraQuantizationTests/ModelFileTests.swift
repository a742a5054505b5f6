import Foundation
import Testing
import Tessera
import TesseraNN
@testable import TesseraQuantization

@Suite("Quantized model files")
struct ModelFileTests {
  /// flatten → dense(12→6) + ReLU → dense(6→3) on [2, 2, 3] inputs.
  func network() throws -> FusedNetwork {
    var rng = SplitMix(seed: 21)
    func values(_ n: Int) -> [Float] { (0..<n).map { _ in rng.gaussian() * 0.5 } }
    return try FusedNetwork(inputShape: [3, 2, 2], operations: [
      .flatten(name: "flat"),
      .dense(DenseStage(name: "fc1", inputs: 12, outputs: 6, weight: values(72), bias: values(6), relu: true)),
      .dense(DenseStage(name: "fc2", inputs: 6, outputs: 3, weight: values(18), bias: values(3), relu: false)),
    ])
  }

  func quantized(gptq: Bool = false, method: CalibrationMethod = .minmax) throws -> QuantizedNetwork {
    let net = try network()
    var rng = SplitMix(seed: 3)
    let x = (0..<(32 * 12)).map { _ in rng.next01() }
    let calibration = try Calibration(network: net, samples: x, count: 32, collectHessians: gptq)
    let recipe = QuantizationRecipe(method: method, weightBits: gptq ? 4 : 8, gptq: gptq)
    return try PostTrainingQuantizer(recipe: recipe).quantize(net, calibration: calibration).network
  }

  func reread(_ file: SafeTensorsFile) throws -> QuantizedNetwork {
    let bytes = file.serialized()
    return try QuantizedNetwork(file: try SafeTensorsFile(bytes: bytes, source: "test.safetensors"), source: "test.safetensors")
  }

  @Test(arguments: [false, true])
  func roundTrip(gptq: Bool) throws {
    let q = try quantized(gptq: gptq, method: .entropy)
    let file = try q.modelFile(name: "tiny")
    // 8-bit dense codes stay int8; 4-bit (GPTQ) codes are stored bit-packed (CompactWeights).
    #expect(file["fc1.weight"]?.dtype == (gptq ? .uint8 : .int8))
    #expect(file["fc1.bias"]?.dtype == .int32)
    #expect(try reread(file) == q)
    #expect(q.linearLayers[0].relu)
    #expect(q.linearLayers[0].output.zeroPoint == -128)  // post-ReLU range starts at 0
  }

  @Test(arguments: [Float(0), -0.5, .nan, .infinity])
  func badScalesAreRejected(value: Float) throws {
    let q = try quantized()
    for tensor in ["fc1.weight_scale", "fc2.output_scale", "input.scale"] {
      var file = try q.modelFile(name: "tiny")
      var values = file[tensor]!.float32!.scalars
      values[0] = value
      file[tensor] = .float32(try Tensor(shape: [values.count], scalars: values))
      #expect(throws: QuantizationError.self) { _ = try reread(file) }
      do { _ = try reread(file) } catch {
        #expect("\(error)".contains("scale"))
        #expect("\(error)".contains("test.safetensors"))
      }
    }
  }

  @Test func graphTensorDisagreementsAreRejected() throws {
    let q = try quantized()
    var wrongShape = try q.modelFile(name: "tiny")
    wrongShape["fc1.weight"] = .int8(try Tensor(shape: [6, 11], scalars: [Int8](repeating: 1, count: 66)))
    #expect(throws: QuantizationError.self) { _ = try reread(wrongShape) }
    var missing = try q.modelFile(name: "tiny")
    missing["fc2.bias"] = nil
    #expect(throws: QuantizationError.self) { _ = try reread(missing) }
    var wrongType = try q.modelFile(name: "tiny")
    wrongType["fc2.bias"] = .float32(try Tensor(shape: [3], scalars: [1, 2, 3]))
    #expect(throws: QuantizationError.self) { _ = try reread(wrongType) }
    var offGrid = try q.modelFile(name: "tiny")
    var codes = offGrid["fc2.weight"]!.int8!.scalars
    codes[0] = -128
    offGrid["fc2.weight"] = .int8(try Tensor(shape: [3, 6], scalars: codes))
    #expect(throws: QuantizationError.self) { _ = try reread(offGrid) }
    var badZero = try q.modelFile(name: "tiny")
    badZero["fc1.output_zero_point"] = .int32(try Tensor(shape: [1], scalars: [300]))
    #expect(throws: QuantizationError.self) { _ = try reread(badZero) }
  }

  @Test func floatModelIsNotAQuantizedModel() throws {
    let file = SafeTensorsFile(metadata: ["tessera.graph": "{}"])
    #expect(throws: QuantizationError.self) { _ = try reread(file) }
  }

  @Test func calibrationDataOfTheWrongShapeIsAnError() throws {
    let net = try network()
    #expect(throws: QuantizationError.self) {
      _ = try Calibration(network: net, samples: [Float](repeating: 0, count: 4 * 13), count: 4)
    }
    #expect(throws: QuantizationError.self) {
      _ = try Calibration(network: net, samples: [1, 2, .nan] + [Float](repeating: 0, count: 9), count: 1)
    }
  }

  @Test func int8SimulationTracksTheFloatModel() throws {
    let net = try network()
    let q = try quantized()
    var rng = SplitMix(seed: 8)
    let x = (0..<(16 * 12)).map { _ in rng.next01() }
    let a = try net.forward(x, count: 16), b = try q.floatNetwork().forward(x, count: 16)
    #expect(QuantizationMetrics.cosine(a, b) > 0.999)
  }
}
