import Foundation
import Tessera
import TesseraQuantization

/// Compares a float engine and an int8 engine on labelled samples: top-1 of each, argmax
/// agreement, per-layer SQNR and cosine (int8 output dequantized vs float output, same
/// samples, same HWC layout), and batch-1 latency.
///
/// For example:
/// ```swift
/// let result = try Validator(float: f, quantized: q).compare(pixels, labels: labels)
/// print(result.report.dropPoints)
/// ```
public struct Validator: Sendable {
  /// The float engine.
  public let float: Engine
  /// The int8 engine.
  public let quantized: Engine
  /// The int8 engine timed for latency (the same one unless it runs a debug mode).
  public let quantizedTiming: Engine

  /// Makes a validator.
  /// - Parameters:
  ///   - float: float engine.
  ///   - quantized: int8 engine (accuracy, per-layer comparison, reference checks).
  ///   - quantizedTiming: int8 engine to time, when `quantized` runs a slow debug mode.
  public init(float: Engine, quantized: Engine, quantizedTiming: Engine? = nil) {
    self.float = float
    self.quantized = quantized
    self.quantizedTiming = quantizedTiming ?? quantized
  }

  /// What ``compare(_:labels:batchSize:latencySamples:)`` measured.
  public struct Result: Sendable {
    /// The report (bytes are left 0 for the caller to fill).
    public var report: ValidationReport
    /// Reference-check diagnostics of the int8 engine (mismatches in debug mode).
    public var diagnostics: RunDiagnostics
  }

  /// Runs both engines over the samples.
  /// - Parameters:
  ///   - pixels: `labels.count × inputCount` values.
  ///   - labels: the true classes.
  ///   - batchSize: samples per accuracy batch.
  ///   - latencySamples: how many samples to time one by one at batch 1 (median reported).
  /// - Throws: ``EngineError`` or `QuantizationError.shapeMismatch(what:expected:got:)` when
  ///   the engines disagree on shapes or the data does not fit.
  public func compare(_ pixels: [Float], labels: [Int], batchSize: Int = 100, latencySamples: Int = 200) throws -> Result {
    let n = labels.count, size = float.inputCount
    guard quantized.inputCount == size, quantized.outputCount == float.outputCount else {
      throw QuantizationError.shapeMismatch(
        what: "int8 model", expected: [size, float.outputCount], got: [quantized.inputCount, quantized.outputCount])
    }
    try Self.checkSameGraph(float, quantized)
    guard n > 0 else {
      throw QuantizationError.invalidArgument("validation data: no samples to compare (the chosen split is empty)")
    }
    guard pixels.count == n * size else {
      throw QuantizationError.shapeMismatch(what: "validation data", expected: [n, size], got: [pixels.count])
    }
    let names = float.linearLayerNames.filter { quantized.linearLayerNames.contains($0) }
    var stats = [String: (signal: Double, noise: Double, dot: Double, yy: Double)]()
    var correctFloat = 0, correctInt8 = 0, agree = 0
    var diagnostics = RunDiagnostics()
    var start = 0
    while start < n {
      let count = Swift.min(batchSize, n - start)
      let x = Array(pixels[(start * size)..<((start + count) * size)])
      var floatLayers = [String: [Float]]()
      var unused = RunDiagnostics()
      let a = try float.run(x, count: count, profile: false, diagnostics: &unused) { name, v in
        if names.contains(name) { floatLayers[name] = v }
      }
      let b = try quantized.run(x, count: count, profile: false, diagnostics: &diagnostics) { name, v in
        guard let f = floatLayers[name] else { return }
        var s = stats[name] ?? (0, 0, 0, 0)
        for (p, q) in zip(f, v) {
          let dp = Double(p), dq = Double(q)
          s.signal += dp * dp
          s.noise += (dp - dq) * (dp - dq)
          s.dot += dp * dq
          s.yy += dq * dq
        }
        stats[name] = s
      }
      let classes = float.outputCount
      for i in 0..<count {
        let fa = argmax(a[(i * classes)..<((i + 1) * classes)]), qa = argmax(b[(i * classes)..<((i + 1) * classes)])
        if fa == labels[start + i] { correctFloat += 1 }
        if qa == labels[start + i] { correctInt8 += 1 }
        if fa == qa { agree += 1 }
      }
      start += count
    }
    let layers = names.map { name -> ValidationReport.Layer in
      let s = stats[name] ?? (0, 0, 0, 0)
      let sqnr = s.noise == 0 ? Double.infinity : 10 * log10(s.signal / s.noise)
      let cosine = s.signal == 0 || s.yy == 0 ? (s.signal == s.yy ? 1 : 0) : s.dot / (s.signal.squareRoot() * s.yy.squareRoot())
      return .init(name: name, sqnrDB: sqnr, cosine: cosine)
    }
    let timed = Swift.min(latencySamples, n)
    let floatLatency = try Self.medianLatency(float, pixels, samples: timed)
    let int8Latency = try Self.medianLatency(quantizedTiming, pixels, samples: timed)
    var report = ValidationReport(
      float: .init(top1: Double(correctFloat) / Double(n), latencyMicroseconds: floatLatency),
      quantized: .init(top1: Double(correctInt8) / Double(n), latencyMicroseconds: int8Latency),
      agreement: Double(agree) / Double(n), bytes: .init(float: 0, quantized: 0), layers: layers)
    report.samples = n
    return Result(report: report, diagnostics: diagnostics)
  }

  /// Checks that two engines run the same network: the same input size and the same layers
  /// (name, kind — dense, conv, max/avg pool, ReLU — and output size) in the same order.
  /// Fused ReLUs and the input/output conversion steps are ignored, so a float model and
  /// its int8 model match.
  /// - Parameters:
  ///   - float: the float engine.
  ///   - quantized: the int8 engine.
  /// - Throws: `QuantizationError.invalidModel(_:)` naming the first difference.
  public static func checkSameGraph(_ float: Engine, _ quantized: Engine) throws {
    guard float.inputCount == quantized.inputCount else {
      throw QuantizationError.invalidModel(
        "the int8 model takes \(quantized.inputCount) input values, the float model \(float.inputCount): not the same network")
    }
    // A graph off the chain plan (compiled graph or interpreter) has no layer list to compare;
    // its sizes must agree.
    if float.engineKind != .compiledChain || quantized.engineKind != .compiledChain {
      guard float.outputCount == quantized.outputCount else {
        throw QuantizationError.invalidModel(
          "the int8 model gives \(quantized.outputCount) outputs per sample, the float model \(float.outputCount): not the same network")
      }
      return
    }
    let describe = { (l: (name: String, kind: String, outputCount: Int)) in "\(l.kind) '\(l.name)' (\(l.outputCount) outputs)" }
    let a = float.graphSignature.map(describe), b = quantized.graphSignature.map(describe)
    for i in 0..<Swift.max(a.count, b.count) {
      let x = i < a.count ? a[i] : "nothing", y = i < b.count ? b[i] : "nothing"
      guard x != y else { continue }
      throw QuantizationError.invalidModel(
        "the models are not the same network: layer \(i + 1) is \(x) in the float model but \(y) in the int8 model")
    }
  }

  /// Median microseconds of batch-1 runs over the first `samples` inputs (after one warm-up each pass).
  public static func medianLatency(_ engine: Engine, _ pixels: [Float], samples: Int, rounds: Int = 3) throws -> Double {
    let size = engine.inputCount
    guard samples > 0 else { return 0 }
    var times = [Double]()
    times.reserveCapacity(samples * rounds)
    _ = try engine.run(Array(pixels[0..<size]), count: 1)
    for _ in 0..<rounds {
      for i in 0..<samples {
        let x = Array(pixels[(i * size)..<((i + 1) * size)])
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try engine.run(x, count: 1)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
      }
    }
    times.sort()
    return times[times.count / 2]
  }
}

/// Index of the largest value (the first on ties).
func argmax(_ values: ArraySlice<Float>) -> Int {
  var best = values.startIndex
  for i in values.indices where values[i] > values[best] { best = i }
  return best - values.startIndex
}
