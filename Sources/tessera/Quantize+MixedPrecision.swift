import ArgumentParser
import Foundation
import Tessera
import TesseraCodesign
import TesseraCompression
import TesseraGraph
import TesseraNN
import TesseraQuantization
import TesseraRuntime
import TesseraScheduler

/// `--bits 8,6,4`: candidate weight widths for `--mixed-precision` and `--sensitivity-out`.
enum BitList {
  /// Distinct widths in 2...8, widest first.
  /// - Throws: `ValidationError` (exit 1, one line) naming the bad item.
  static func parse(_ argument: String) throws -> [Int] {
    var bits = [Int]()
    for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
      guard let b = Int(item.trimmingCharacters(in: .whitespaces)), (2...8).contains(b) else {
        throw ValidationError("--bits: '\(item)' is not a bit width in 2...8 (e.g. 8,6,4)")
      }
      guard !bits.contains(b) else { throw ValidationError("--bits: \(b) is given twice") }
      bits.append(b)
    }
    return bits.sorted(by: >)
  }
}

extension Quantize {
  /// The per-layer sensitivity of `network` on the test split of `--calibration-data` (one
  /// setting per `--bits` width, plus `--sensitivity-sparsity` levels), written to
  /// `--sensitivity-out` when given.
  func sensitivity(_ network: FusedNetwork, test: Dataset, progress: ProgressReporter) throws -> SensitivityReport {
    progress.step("per-layer sensitivity on \(test.count) test samples (\(candidateBits.map { "\($0)-bit" }.joined(separator: ", ")))")
    let settings = candidateBits.map(SensitivitySetting.bits) + sensitivitySparsity.map(SensitivitySetting.pruned)
    let name = ((model as NSString).lastPathComponent as NSString).deletingPathExtension
    let report = try LayerSensitivity(network: network, samples: test.pixels, labels: test.labels)
      .measure(settings: settings, model: name) { progress.note("  layer \($0)") }
    if let sensitivityOut {
      try AtomicFile.write(try ReportFormat.encodeJSON(report) + "\n", to: sensitivityOut)
      progress.note("wrote \(sensitivityOut)")
    }
    return report
  }

  /// The widths `--bits` names (default 8, 6, 4).
  var candidateBits: [Int] { (try? bits.map(BitList.parse)) ?? [8, 6, 4] }

  /// Greedy mixed-precision search (``MixedPrecisionSearch``): the cost of an assignment is the
  /// modeled energy on `--hardware` (``ModeledCost``, layers summed, so each layer's energy at
  /// each width is computed once), its accuracy the top-1 of the real int8 engine on the test
  /// split. Writes the chosen model to `--out` and reports both assignments.
  func mixedPrecision(
    _ network: FusedNetwork, calibration: Calibration, test: Dataset, progress: ProgressReporter
  ) throws {
    let spec = try HardwareSpec.load(hardware)
    let sensitivity = try self.sensitivity(network, test: test, progress: progress)
    let layers = network.operations.filter(\.isQuantizationPoint).map(\.name)
    var energy = [String: [Int: Double]](), latency = [String: [Int: Double]]()
    var uniformModel: QuantizedNetwork?
    for b in candidateBits {
      progress.step("modeling every layer at \(b) bits on \(spec.name)")
      let (q, _) = try quantizer(bits: Dictionary(uniqueKeysWithValues: layers.map { ($0, b) })).quantize(network, calibration: calibration)
      let cost = try ModeledCost(network: q, hardware: spec)
      for l in cost.layers {
        energy[l.name, default: [:]][b] = l.energyPicojoules
        latency[l.name, default: [:]][b] = l.latencySeconds
      }
      if b == candidateBits.max() { uniformModel = q }
    }
    func sum<T: AdditiveArithmetic>(_ table: [String: [Int: T]], _ a: [String: Int]) -> T {
      layers.reduce(.zero) { $0 + (table[$1]?[a[$1]!] ?? .zero) }
    }
    var top1Cache = [String: Double]()
    var models = [String: QuantizedNetwork]()
    let search = try MixedPrecisionSearch(
      layers: layers, candidates: candidateBits, sensitivity: sensitivity, floatTop1: sensitivity.baselineTop1,
      maxDropPoints: maxDrop)
    progress.step("greedy search (budget −\(maxDrop) points vs float top-1 \(ReportNumber.format(100 * sensitivity.baselineTop1)) %)")
    let result = try search.run(
      cost: { sum(energy, $0) },
      evaluate: { a in
        let key = layers.map { "\($0)=\(a[$0]!)" }.joined(separator: ",")
        if let t = top1Cache[key] { return t }
        let (q, _) = try quantizer(bits: a).quantize(network, calibration: calibration)
        let t = try Self.top1(q, on: test)
        top1Cache[key] = t
        models[key] = q
        return t
      },
      progress: { progress.note("  " + $0) })
    let key = layers.map { "\($0)=\(result.assignment[$0]!)" }.joined(separator: ",")
    let chosen = try models[key] ?? quantizer(bits: result.assignment).quantize(network, calibration: calibration).network
    _ = try Engine(quantized: chosen)
    let name = ((model as NSString).lastPathComponent as NSString).deletingPathExtension + "-mixed"
    try chosen.write(to: out, name: name)
    progress.finish()
    let mixedBytes = try chosen.modelFile(name: name).serialized().count
    let uniformBytes = try uniformModel?.modelFile(name: name).serialized().count ?? 0
    let report = MixedPrecisionReport(
      model: model, hardware: spec.name, maxDropPoints: maxDrop, result: result,
      latency: { sum(latency, $0) }, modelBytes: { $0 == result.assignment ? mixedBytes : uniformBytes })
    try output.emit(report)
  }

  /// A post-training quantizer with this command's recipe and the given per-layer widths.
  func quantizer(bits: [String: Int]) -> PostTrainingQuantizer {
    var r = QuantizationRecipe(
      method: method, percentile: percentile, weightBits: weightBits, perChannel: perChannel,
      weightCalibration: weightMethod ?? .defaultMethod(bits: candidateBits.min() ?? 8), gptq: gptq, layerWeightBits: bits)
    r.symmetricActivations = symmetricActivations
    return PostTrainingQuantizer(recipe: r)
  }

  /// Top-1 of the int8 engine on `data` (one batch).
  static func top1(_ network: QuantizedNetwork, on data: Dataset) throws -> Double {
    let engine = try Engine(quantized: network)
    let logits = try engine.run(data.pixels, count: data.count)
    let classes = engine.outputCount
    var correct = 0
    for (i, label) in data.labels.enumerated() {
      let row = logits[(i * classes)..<((i + 1) * classes)]
      if let best = row.indices.max(by: { row[$0] < row[$1] }), best - i * classes == label { correct += 1 }
    }
    return Double(correct) / Double(data.count)
  }
}
