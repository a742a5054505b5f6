import Foundation
import Testing
@testable import TesseraQuantization

@Suite("Calibration observers")
struct ObserverTests {
  /// ReLU-like data: mostly small, a few large outliers.
  func heavyTailed(_ n: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix(seed: seed)
    return (0..<n).map { _ in
      let g = abs(rng.gaussian())
      return rng.next01() < 0.0005 ? g * 30 : g
    }
  }

  @Test func minMaxMatchesObservedRange() throws {
    var o = ActivationObserver(name: "x")
    try o.observe([-1, 2, 0.5])
    try o.observe([3, -0.25])
    let r = try o.range(CalibrationOptions(method: .minmax))
    #expect(r.lo == -1 && r.hi == 3)
  }

  @Test func histogramWideningKeepsCounts() throws {
    var h = MagnitudeHistogram(binCount: 64)
    try h.add([0.1, 0.2, -0.3])
    try h.add([50, -70])
    let total: Double = h.positive.reduce(0, +) + h.negative.reduce(0, +)
    #expect(total == 5)
    #expect(h.binWidth * Float(h.binCount) >= 70)
  }

  @Test(arguments: [CalibrationMethod.percentile, .entropy, .mse])
  func clippingMethodsClipOutliers(method: CalibrationMethod) throws {
    var o = ActivationObserver(name: "relu")
    try o.observe(heavyTailed(20_000, seed: 3))
    let full = try o.range(CalibrationOptions(method: .minmax))
    let clipped = try o.range(CalibrationOptions(method: method, percentile: 99.9))
    #expect(clipped.lo == full.lo)
    #expect(clipped.hi < full.hi)
    #expect(clipped.hi > 1)  // never clips the bulk (|g| has ~68% mass below 1)
  }

  @Test func mseChoiceHasLowerErrorThanMinMax() throws {
    let data = heavyTailed(20_000, seed: 11)
    var o = ActivationObserver(name: "relu")
    try o.observe(data)
    func error(_ m: CalibrationMethod) throws -> Double {
      let p = try o.quantization(CalibrationOptions(method: m))
      return QuantizationMetrics.meanSquaredError(data, data.map { p.fakeQuantize($0) })
    }
    #expect(try error(.mse) <= error(.minmax))
  }

  @Test func roundingErrorIntegralMatchesSampling() {
    // Uniform on [0.3, 1.7], grid step 0.4, clamp at 1.2.
    let exact = MagnitudeHistogram.meanSquaredRoundingError(lo: 0.3, hi: 1.7, delta: 0.4, top: 1.2)
    var sum = 0.0
    let n = 100_000
    for i in 0..<n {
      let x = 0.3 + 1.4 * (Double(i) + 0.5) / Double(n)
      let q = min((x / 0.4).rounded(.toNearestOrEven) * 0.4, 1.2)
      sum += (x - q) * (x - q)
    }
    #expect(abs(exact - sum / Double(n)) < 1e-6)
  }

  @Test func emptyAndNonFiniteAreErrors() {
    let o = ActivationObserver(name: "fc2")
    #expect(throws: QuantizationError.emptyObserver(what: "fc2")) {
      _ = try o.range(CalibrationOptions(method: .minmax))
    }
    var p = ActivationObserver(name: "fc3")
    #expect(throws: QuantizationError.nonFiniteValue(what: "fc3")) { try p.observe([1, .infinity]) }
    #expect(p.histogram.count == 0)
  }

  @Test func fakeQuantSTEMasksClippedValues() throws {
    let p = try AffineQuantization(scale: 0.1, zeroPoint: 0, grid: .activations)
    var mask = [Bool]()
    let y = FakeQuantization.forward([0.04, 0.06, 100, -100, 12.7], p, mask: &mask)
    #expect(y[0] == 0)
    #expect(abs(y[1] - 0.1) < 1e-7)
    #expect(mask == [true, true, false, false, true])
    #expect(FakeQuantization.backward([1, 1, 1, 1, 1], mask: mask) == [1, 1, 0, 0, 1])
  }

  @Test func sqnrAndCosine() {
    #expect(QuantizationMetrics.sqnr(reference: [1, 2], approximation: [1, 2]) == .infinity)
    let s = QuantizationMetrics.sqnr(reference: [3, 4], approximation: [3, 3])
    #expect(abs(s - 10 * log10(25.0)) < 1e-9)
    #expect(abs(QuantizationMetrics.cosine([1, 0], [0, 1])) < 1e-12)
  }
}
