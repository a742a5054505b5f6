import Foundation
import Testing
@testable import TesseraQuantization

@Suite("Affine quantization")
struct AffineQuantizationTests {
  @Test func pixelRangeIsExact() throws {
    let p = try AffineQuantization(min: 0, max: 1, grid: .activations)
    #expect(p.zeroPoint == -128)
    #expect(p.scale == Float(1) / 255)
    for pixel in 0...255 {
      let x = Float(pixel) / 255
      #expect(p.quantize(x) == Int32(pixel) - 128)
    }
    #expect(p.dequantize(p.zeroPoint) == 0)
  }

  @Test func zeroIsExactlyRepresentable() throws {
    for (lo, hi) in [(-3.7, 1.2), (0.5, 9.0), (-8.0, -2.0), (-1e-3, 5e4)] as [(Float, Float)] {
      let p = try AffineQuantization(min: lo, max: hi, grid: .activations)
      #expect(p.dequantize(p.quantize(0)) == 0)
      #expect(p.representableRange.contains(0))
    }
  }

  @Test func roundsHalfToEven() throws {
    let p = try AffineQuantization(scale: 1, zeroPoint: 0, grid: .activations)
    #expect(p.quantize(0.5) == 0)
    #expect(p.quantize(1.5) == 2)
    #expect(p.quantize(2.5) == 2)
    #expect(p.quantize(-0.5) == 0)
    #expect(p.quantize(-1.5) == -2)
    #expect(p.quantize(1000) == 127)
    #expect(p.quantize(-1000) == -128)
  }

  @Test func symmetricHasZeroZeroPoint() throws {
    let p = try AffineQuantization(min: -2, max: 1, grid: .weights(bits: 8), symmetric: true)
    #expect(p.zeroPoint == 0)
    #expect(p.scale == Float(2) / 127)
  }

  @Test func rejectsBadScales() {
    for bad: Float in [0, -1, .nan, .infinity] {
      #expect(throws: QuantizationError.self) {
        _ = try AffineQuantization(scale: bad, zeroPoint: 0, grid: .activations)
      }
    }
    #expect(throws: QuantizationError.self) {
      _ = try AffineQuantization(scale: 1, zeroPoint: 200, grid: .activations)
    }
    #expect(throws: QuantizationError.self) { _ = try QuantizationGrid.weights(bits: 1) }
    #expect(throws: QuantizationError.self) { _ = try QuantizationGrid.weights(bits: 9) }
  }

  @Test(arguments: 2...8)
  func weightGridsAreRestrictedSymmetric(bits: Int) throws {
    let g = try QuantizationGrid.weights(bits: bits)
    #expect(g.qmax == (1 << (bits - 1)) - 1)
    #expect(g.qmin == -g.qmax)
  }

  @Test func perChannelRoundTrip() throws {
    let w: [Float] = [0.5, -1.0, 0.25, 4, -2, 1]
    let q = try WeightObserver.quantization(weights: w, channels: 2, bits: 8, perChannel: true, method: .minmax)
    #expect(q.scales == [Float(1) / 127, Float(4) / 127])
    let codes = try q.quantize(matrix: w, columns: 3)
    #expect(codes == [64, -127, 32, 127, -64, 32])
    let perTensor = try WeightObserver.quantization(weights: w, channels: 2, bits: 8, perChannel: false, method: .minmax)
    #expect(perTensor.scales == [Float(4) / 127, Float(4) / 127])
  }

  @Test func weightMSENeverWorseThanMinMax() throws {
    var rng = SplitMix(seed: 7)
    let w = (0..<(16 * 64)).map { _ in rng.gaussian() * (rng.next01() < 0.01 ? 8 : 1) }
    for bits in [2, 3, 4, 8] {
      let a = try WeightObserver.quantization(weights: w, channels: 16, bits: bits, perChannel: true, method: .minmax)
      let b = try WeightObserver.quantization(weights: w, channels: 16, bits: bits, perChannel: true, method: .mse)
      let ea = QuantizationMetrics.meanSquaredError(w, a.dequantize(matrix: try a.quantize(matrix: w, columns: 64), columns: 64))
      let eb = QuantizationMetrics.meanSquaredError(w, b.dequantize(matrix: try b.quantize(matrix: w, columns: 64), columns: 64))
      #expect(eb <= ea * (1 + 1e-6))  // the search includes the min-max threshold
    }
  }

  @Test func weightObserverRejectsNaN() {
    #expect(throws: QuantizationError.nonFiniteValue(what: "fc1")) {
      _ = try WeightObserver.quantization(weights: [1, .nan], channels: 1, bits: 8, perChannel: true, method: .minmax, name: "fc1")
    }
  }
}

/// A tiny deterministic generator for test data.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func next01() -> Float { Float(next() >> 40) / Float(1 << 24) }
  mutating func gaussian() -> Float {
    let u = max(next01(), 1e-7), v = next01()
    return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
  }
}
