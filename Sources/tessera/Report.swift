import ArgumentParser
import Foundation
import TesseraCodesign
import TesseraGraph
import TesseraReport

/// `tessera report`: one self-contained HTML page (inline SVG and CSS, no scripts, no outside
/// assets) from the JSON outputs of train, validate, quantize, schedule, codesign and the
/// sensitivity analysis.
struct Report: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Gather a run's JSON outputs into one self-contained HTML page with SVG charts.",
    discussion: """
      Every input is optional; the page has a section for each one given. Inputs are the --format json outputs of the commands (codesign: its JSON-lines file; sensitivity: the file written by quantize --sensitivity-out). --schedule and --codesign may be repeated; a schedule file may hold one hardware or an array (schedule --hardware a,b). The page is written atomically (temporary file + rename). Charts and inputs: docs/report.md.

        tessera train --model mlp --out mlp.safetensors --format json > train.json
        tessera schedule --hardware edge-npu,eyeriss --model Models/lenet.safetensors --format json > schedule.json
        tessera report --train train.json --schedule schedule.json --out report.html
        tessera report --validate validate.json --quantize quantize.json --codesign points.jsonl \\
            --sensitivity sens.json --out report.html --title "LeNet co-design"
      """)

  @Option(help: "tessera train --format json output.")
  var train: String?

  @Option(name: .customLong("validate"), help: "tessera validate --format json output.")
  var validation: String?

  @Option(help: "tessera quantize --format json output.")
  var quantize: String?

  @Option(help: "tessera schedule --format json output (repeatable).")
  var schedule: [String] = []

  @Option(help: "tessera codesign JSON-lines output (repeatable).")
  var codesign: [String] = []

  @Option(help: "Per-layer sensitivity JSON (tessera quantize --sensitivity-out).")
  var sensitivity: String?

  @Option(help: "Where to write the HTML page.")
  var out: String

  @Option(help: "Page title.")
  var title = "Tessera report"

  func validate() throws {
    if train == nil && validation == nil && quantize == nil && schedule.isEmpty && codesign.isEmpty && sensitivity == nil {
      throw ValidationError("give at least one input (--train, --validate, --quantize, --schedule, --codesign or --sensitivity)")
    }
  }

  func run() async throws {
    do {
      try AtomicFile.checkWritable(out)
    } catch {
      throw CLIError("\(error)")
    }
    let inputs: ReportInputs
    do {
      inputs = try ReportInputReader.read(
        title: title, train: train, validate: validation, quantize: quantize, schedules: schedule, codesign: codesign,
        sensitivity: sensitivity)
    } catch let error as ReportError {
      throw CLIError(error.description)
    }
    do {
      try AtomicFile.write(HTMLReport.render(inputs), to: out)
    } catch {
      throw CLIError("\(error)")
    }
    FileHandle.standardError.write(Data("wrote \(out) (\(HTMLReport.sections(inputs).map(\.title).joined(separator: ", ")))\n".utf8))
  }
}

/// Reads the report's input files; every failure is a ``ReportError`` naming the file.
enum ReportInputReader {
  static func read(
    title: String, train: String?, validate: String?, quantize: String?, schedules: [String], codesign: [String],
    sensitivity: String?
  ) throws -> ReportInputs {
    var inputs = ReportInputs(title: title)
    if let train {
      inputs.training = Sourced(source: train, value: try decode(TrainingRun.self, train, "tessera train --format json output"))
    }
    if let validate {
      inputs.validation = Sourced(source: validate, value: try decode(ValidationRun.self, validate, "tessera validate --format json output"))
    }
    if let quantize {
      inputs.quantization = Sourced(source: quantize, value: try decode(QuantizationRun.self, quantize, "tessera quantize --format json output"))
    }
    for path in schedules {
      inputs.schedules += try ReportInputDecoder.schedules(from: contents(path), file: path).map { Sourced(source: path, value: $0) }
    }
    for path in codesign {
      inputs.designPoints += try designPoints(path)
      inputs.designSources.append(path)
    }
    if let sensitivity {
      inputs.sensitivity = Sourced(
        source: sensitivity, value: try decode(SensitivityRun.self, sensitivity, "sensitivity JSON from tessera quantize --sensitivity-out"))
    }
    return inputs
  }

  static func contents(_ path: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ReportError(file: path, problem: "no such file")
    }
    guard !isDirectory.boolValue else { throw ReportError(file: path, problem: "is a directory, not a JSON file") }
    guard let data = FileManager.default.contents(atPath: path) else { throw ReportError(file: path, problem: "cannot be read") }
    return data
  }

  static func decode<T: Decodable>(_ type: T.Type, _ path: String, _ expected: String) throws -> T {
    try ReportInputDecoder.decode(type, from: contents(path), file: path, expected: expected)
  }

  /// One ``DesignPoint`` per non-empty line of a `tessera codesign` JSON-lines file.
  static func designPoints(_ path: String) throws -> [DesignPoint] {
    let text = String(decoding: try contents(path), as: UTF8.self)
    var points: [DesignPoint] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard !line.allSatisfy(\.isWhitespace) else { continue }
      let point = try ReportInputDecoder.decode(
        CodesignPoint.self, from: Data(line.utf8), file: "\(path): line \(index + 1)", expected: "one tessera codesign JSON object per line")
      points.append(DesignPoint(
        model: point.model, weightBits: point.weightBits, sparsity: point.sparsity, hardware: point.hardware, top1: point.top1,
        modelBytes: point.modelBytes, latencySeconds: point.latencySeconds, energyPicojoules: point.energyPicojoules,
        areaSquareMillimeters: point.areaSquareMillimeters, hostLatencyMicroseconds: point.hostLatencyMicroseconds, pareto: point.pareto))
    }
    guard !points.isEmpty else { throw ReportError(file: path, problem: "no design points (expected one tessera codesign JSON object per line)") }
    return points
  }
}
