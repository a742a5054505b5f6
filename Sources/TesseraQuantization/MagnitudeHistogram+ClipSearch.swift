import Foundation

/// Clipping-threshold searches over a ``MagnitudeHistogram`` (percentile, KL entropy, MSE).
///
/// Each returns a magnitude threshold `T`; values beyond ±T are clipped. `steps` is the number of
/// quantization steps that cover `[0, T]` (255 for non-negative int8 activations, 127.5 for signed
/// ones, `qmax` for symmetric weights), so one step is `Δ = T / steps`.
extension MagnitudeHistogram {
  /// The clipping threshold chosen by `options.method` (the observed largest magnitude for `minmax`).
  /// - Throws: ``QuantizationError/emptyObserver(what:)`` when nothing was observed,
  ///   ``QuantizationError/invalidArgument(_:)`` for a percentile outside (0, 100].
  public func clipThreshold(_ options: CalibrationOptions, steps: Double, what: String = "activations") throws -> Float {
    guard count > 0 else { throw QuantizationError.emptyObserver(what: what) }
    let largest = Swift.max(-minimum, maximum, 0)
    guard binWidth > 0, largest > 0 else { return largest }
    let h = magnitudes
    let used = (h.lastIndex(where: { $0 > 0 }) ?? 0) + 1
    let bins: Int
    switch options.method {
    case .minmax:
      return largest
    case .percentile:
      guard options.percentile > 0, options.percentile <= 100 else {
        throw QuantizationError.invalidArgument("percentile \(options.percentile) is outside (0, 100]")
      }
      bins = percentileBins(h, used: used, fraction: options.percentile / 100)
    case .entropy:
      bins = entropyBins(h, used: used, levels: Swift.max(Int(steps.rounded()), 1))
    case .mse:
      bins = mseBins(h, used: used, steps: steps)
    }
    return Swift.min(Float(bins) * binWidth, largest)
  }

  /// Smallest bin count whose cumulative share reaches `fraction`.
  func percentileBins(_ h: [Double], used: Int, fraction: Double) -> Int {
    let total = h.reduce(0, +)
    var running = 0.0
    for i in 0..<used {
      running += h[i]
      if running >= fraction * total { return i + 1 }
    }
    return used
  }

  /// TensorRT's entropy calibration: for each candidate of `i` bins, the reference distribution
  /// P = h[0..<i] with the clipped tail added to its last bin; Q = the same bins merged into
  /// `levels` groups (bin `b` in group `⌊b · levels / i⌋`) and spread back evenly over each group's
  /// non-empty bins; pick the `i` with the smallest KL(P ‖ Q). Candidates start at `levels` bins.
  /// As in NVIDIA's pytorch-quantization calibrator, the first bin takes its neighbour's count:
  /// after a ReLU it holds the exact zeros, a spike that would otherwise make every merged first
  /// group look bad and push the threshold down to `levels` bins.
  func entropyBins(_ histogram: [Double], used: Int, levels: Int) -> Int {
    guard used > levels else { return used }
    var h = histogram
    if h.count > 1 { h[0] = h[1] }
    var tail = h[levels...].reduce(0, +)
    var best = used, bestKL = Double.infinity
    var p = [Double](repeating: 0, count: used), q = p
    var sums = [Double](repeating: 0, count: levels), counts = [Int](repeating: 0, count: levels)
    for i in levels...used {
      if i > levels { tail -= h[i - 1] }
      for j in 0..<i { p[j] = h[j] }
      p[i - 1] += tail
      for g in 0..<levels {
        sums[g] = 0
        counts[g] = 0
      }
      for j in 0..<i where h[j] > 0 {
        let g = j * levels / i
        sums[g] += h[j]
        counts[g] += 1
      }
      for j in 0..<i {
        let g = j * levels / i
        q[j] = h[j] > 0 ? sums[g] / Double(counts[g]) : 0
      }
      let kl = Self.klDivergence(p[0..<i], q[0..<i])
      if kl < bestKL {
        bestKL = kl
        best = i
      }
    }
    return best
  }

  /// KL(P ‖ Q) of two count vectors after normalising; bins where P > 0 but Q = 0 are smoothed with
  /// a small epsilon taken from the non-empty bins (as MXNet/TensorRT do).
  static func klDivergence(_ p: ArraySlice<Double>, _ q: ArraySlice<Double>) -> Double {
    let pSum = p.reduce(0, +), qSum = q.reduce(0, +)
    guard pSum > 0, qSum > 0 else { return .infinity }
    let eps = 1e-4
    let qZeros = Double(q.filter { $0 == 0 }.count), qNonZeros = Double(q.count) - qZeros
    let take = qNonZeros > 0 ? eps * qZeros / qNonZeros : 0
    var kl = 0.0
    for (pi, qi) in zip(p, q) where pi > 0 {
      let pn = pi / pSum
      let qn = qi > 0 ? qi / qSum - take : eps
      kl += pn * log(pn / Swift.max(qn, 1e-12))
    }
    return kl
  }

  /// The bin count `i` (threshold T = i · binWidth) minimising the expected squared error of
  /// clamping to T and rounding to steps of T / steps, assuming values spread evenly within a bin.
  func mseBins(_ h: [Double], used: Int, steps: Double) -> Int {
    var best = used, bestError = Double.infinity
    let w = Double(binWidth)
    for i in 1...used {
      let t = Double(i) * w
      let delta = t / steps
      var error = 0.0
      for b in 0..<used where h[b] > 0 {
        error += h[b] * Self.meanSquaredRoundingError(lo: Double(b) * w, hi: Double(b + 1) * w, delta: delta, top: t)
      }
      if error < bestError {
        bestError = error
        best = i
      }
    }
    return best
  }

  /// Mean of (x − Q(x))² for x uniform on [lo, hi] (0 ≤ lo < hi), where Q rounds to the nearest
  /// multiple of `delta` and clamps at `top` (a multiple of delta).
  static func meanSquaredRoundingError(lo: Double, hi: Double, delta: Double, top: Double) -> Double {
    // ∫ (x − c)² dx over [a, b] = ((b − c)³ − (a − c)³) / 3
    func integral(_ a: Double, _ b: Double, _ c: Double) -> Double {
      let u = b - c, v = a - c
      return (u * u * u - v * v * v) / 3
    }
    var total = 0.0
    let lastCellStart = top - delta / 2
    if hi > lastCellStart {
      total += integral(Swift.max(lo, lastCellStart), hi, top)
    }
    if lo < lastCellStart {
      let upper = Swift.min(hi, lastCellStart)
      var k = (lo / delta).rounded(.toNearestOrEven)
      while true {
        let cellLo = Swift.max(lo, (k - 0.5) * delta), cellHi = Swift.min(upper, (k + 0.5) * delta)
        if cellLo >= upper { break }
        if cellHi > cellLo { total += integral(cellLo, cellHi, k * delta) }
        k += 1
      }
    }
    return total / (hi - lo)
  }
}
