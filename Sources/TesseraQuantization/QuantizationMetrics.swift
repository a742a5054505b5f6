import Foundation

/// Error measures between a float reference and its quantized approximation.
public enum QuantizationMetrics {
  /// Signal-to-quantization-noise ratio `10 · log10(Σ x² / Σ (x − x̂)²)` in dB
  /// (+∞ when the two are identical, −∞ when the reference is all zeros but the approximation is not).
  public static func sqnr(reference x: [Float], approximation y: [Float]) -> Double {
    var signal = 0.0, noise = 0.0
    for (a, b) in zip(x, y) {
      signal += Double(a) * Double(a)
      noise += Double(a - b) * Double(a - b)
    }
    if noise == 0 { return .infinity }
    if signal == 0 { return -.infinity }
    return 10 * log10(signal / noise)
  }

  /// Cosine similarity `x·y / (|x| |y|)` (1 when both are all zeros, 0 when only one is).
  public static func cosine(_ x: [Float], _ y: [Float]) -> Double {
    var dot = 0.0, xx = 0.0, yy = 0.0
    for (a, b) in zip(x, y) {
      dot += Double(a) * Double(b)
      xx += Double(a) * Double(a)
      yy += Double(b) * Double(b)
    }
    if xx == 0 && yy == 0 { return 1 }
    if xx == 0 || yy == 0 { return 0 }
    return dot / (xx.squareRoot() * yy.squareRoot())
  }

  /// Mean squared error `Σ (x − y)² / n`.
  public static func meanSquaredError(_ x: [Float], _ y: [Float]) -> Double {
    guard !x.isEmpty else { return 0 }
    var sum = 0.0
    for (a, b) in zip(x, y) { sum += Double(a - b) * Double(a - b) }
    return sum / Double(x.count)
  }
}
