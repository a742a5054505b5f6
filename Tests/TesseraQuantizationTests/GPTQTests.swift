import Foundation
import Testing
@testable import TesseraQuantization

@Suite("GPTQ")
struct GPTQTests {
  /// Correlated calibration inputs: X = Z · M with a random mixing matrix.
  func inputs(rows: Int, k: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix(seed: seed)
    let mixing = (0..<(k * k)).map { _ in rng.gaussian() / Float(k).squareRoot() }
    var x = [Float](repeating: 0, count: rows * k)
    for r in 0..<rows {
      let z = (0..<k).map { _ in rng.gaussian() }
      for j in 0..<k {
        var sum: Float = 0
        for i in 0..<k { sum += z[i] * mixing[i * k + j] }
        x[r * k + j] = sum + 0.5 * z[j]
      }
    }
    return x
  }

  @Test(arguments: [2, 3, 4, 8])
  func gptqBeatsRoundToNearestOnOutputError(bits: Int) throws {
    let n = 24, k = 96, rows = 512
    var rng = SplitMix(seed: 5)
    let w = (0..<(n * k)).map { _ in rng.gaussian() * 0.1 }
    let x = inputs(rows: rows, k: k, seed: 9)
    let q = try WeightObserver.quantization(weights: w, channels: n, bits: bits, perChannel: true, method: .mse)
    let rtn = q.dequantize(matrix: try q.quantize(matrix: w, columns: k), columns: k)
    let h = try GPTQ.hessian(inputs: x, rows: rows, columns: k)
    let result = try GPTQ(blockSize: 32).quantize(weights: w, channels: n, hessian: h, quantization: q)
    let eRTN = try GPTQ.outputError(inputs: x, rows: rows, weights: w, quantized: rtn, channels: n)
    let eGPTQ = try GPTQ.outputError(inputs: x, rows: rows, weights: w, quantized: result.dequantized, channels: n)
    #expect(eGPTQ < eRTN)
    // Codes stay on the grid.
    #expect(result.codes.allSatisfy { abs(Int32($0)) <= q.grid.qmax })
  }

  @Test func blockSizeDoesNotChangeTheMathMuch() throws {
    let n = 8, k = 40, rows = 256
    var rng = SplitMix(seed: 1)
    let w = (0..<(n * k)).map { _ in rng.gaussian() }
    let x = inputs(rows: rows, k: k, seed: 2)
    let q = try WeightObserver.quantization(weights: w, channels: n, bits: 4, perChannel: true, method: .minmax)
    let h = try GPTQ.hessian(inputs: x, rows: rows, columns: k)
    let a = try GPTQ(blockSize: 1).quantize(weights: w, channels: n, hessian: h, quantization: q)
    let b = try GPTQ(blockSize: 128).quantize(weights: w, channels: n, hessian: h, quantization: q)
    // Lazy batching is an exact reordering of the same updates (up to float rounding).
    let differing = zip(a.codes, b.codes).filter { $0 != $1 }.count
    #expect(differing <= n * k / 50)
  }

  @Test func deadInputsGetZeroWeights() throws {
    let n = 4, k = 6, rows = 32
    var x = inputs(rows: rows, k: k, seed: 3)
    for r in 0..<rows { x[r * k + 2] = 0 }
    let w = [Float](repeating: 0.3, count: n * k)
    let q = try WeightObserver.quantization(weights: w, channels: n, bits: 8, perChannel: true, method: .minmax)
    let h = try GPTQ.hessian(inputs: x, rows: rows, columns: k)
    let r = try GPTQ().quantize(weights: w, channels: n, hessian: h, quantization: q)
    for row in 0..<n { #expect(r.codes[row * k + 2] == 0) }
  }

  @Test func wrongShapesAreErrors() throws {
    #expect(throws: QuantizationError.self) { _ = try GPTQ.hessian(inputs: [1, 2, 3], rows: 2, columns: 2) }
    let q = try ChannelQuantization(scales: [1, 1], grid: .weights(bits: 8))
    #expect(throws: QuantizationError.self) {
      _ = try GPTQ().quantize(weights: [1, 2, 3, 4], channels: 2, hessian: [1], quantization: q)
    }
  }
}
