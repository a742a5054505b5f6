import Foundation
import TesseraGraph

/// Runs the ONNX backend node tests (`onnx/backend/test/data/node/<case>/`: `model.onnx` and
/// `test_data_set_*/input_*.pb`, `output_*.pb`) through ``ONNXImporter`` and the reference
/// interpreter, and classifies each case as passed, failed or unsupported.
///
/// A case is *unsupported* when its model uses an operator outside `OperatorSet.supported`, an
/// opset outside `Graph.supportedOpsets`, or anything the importer rejects as unsupported
/// (``ONNXError``'s `unsupported…` cases: domain, element type, value type, attribute type,
/// feature) or the interpreter rejects as `GraphIRError.unsupportedOperator`, and when its
/// outputs are random (training-mode `Dropout`). Any other error, and any output that differs
/// from the expected one (see ``mismatch(_:_:tolerance:)``), makes it *failed*; the reason of a
/// case in ``knownWrongExpectations`` starts with what is wrong with its expected data.
///
/// For example:
/// ```swift
/// let results = ONNXConformance.runAll(nodeDirectory: ".onnx-node-tests/onnx/backend/test/data/node")
/// let failed = results.filter { $0.status == .failed }
/// for r in failed { print(r.name, r.reason ?? "") }
/// ```
public enum ONNXConformance {
  /// Runs one case: imports `model.onnx`, then runs every `test_data_set_*` folder and compares
  /// each output, by name when the `.pb` tensor names a graph output and by position otherwise.
  /// - Parameters:
  ///   - caseDirectory: the case folder.
  ///   - tolerance: float tolerances (rtol 1e-4, atol 1e-5 by default).
  /// - Returns: the result; errors never escape, they become `failed` or `unsupported`.
  /// - Complexity: the model's import plus one interpreter run per data set.
  public static func run(caseDirectory: String, tolerance: Tolerance = .standard) -> CaseResult {
    let folder = caseDirectory.hasSuffix("/") ? String(caseDirectory.dropLast()) : caseDirectory
    let modelPath = folder + "/model.onnx"
    var result = CaseResult(name: ONNXFile.baseName(of: folder), ops: [], opset: nil, status: .passed)
    // Messages name the model relative to the node folder, so reports hold no local paths.
    let source = result.name + "/model.onnx"
    do {
      let model = try ONNXImporter.decode(
        Onnx_ModelProto.self, try ONNXFile.contents(of: modelPath, maximumSize: ONNXExporter.maximumModelBytes),
        source: source, what: "ONNX model")
      (result.ops, result.opset) = summary(of: model)
      let foreign = result.ops.filter { !OperatorSet.supported.contains($0) }
      guard foreign.isEmpty else {
        result.status = .unsupported
        result.reason = "operator\(foreign.count == 1 ? "" : "s") not in OperatorSet.supported: "
          + foreign.joined(separator: ", ")
        return result
      }
      var reader = ONNXModelReader(source: source, directory: folder)
      let interpreter = try ReferenceInterpreter(graph: try reader.graph(model))
      let sets = try dataSets(in: folder)
      guard !sets.isEmpty else { throw CaseProblem("no test_data_set_* folder") }
      for set in sets {
        if let problem = try check(interpreter, dataSet: folder + "/" + set, tolerance: tolerance) {
          return failed(result, "\(set): \(problem)")
        }
      }
      return result
    } catch {
      guard isUnsupported(error) else { return failed(result, "\(error)") }
      result.status = .unsupported
      result.reason = "\(error)"
      return result
    }
  }

  /// `result` marked failed with `reason`, prefixed by the known problem of its expected data.
  private static func failed(_ result: CaseResult, _ reason: String) -> CaseResult {
    var result = result
    result.status = .failed
    result.reason = knownWrongExpectations[result.name].map { "known wrong expected data: \($0). \(reason)" } ?? reason
    return result
  }

  /// Runs every case folder (a folder holding `model.onnx`) of a node test directory, in name order.
  /// - Parameters:
  ///   - nodeDirectory: e.g. `.onnx-node-tests/onnx/backend/test/data/node`.
  ///   - tolerance: float tolerances.
  ///   - progress: called after each case with the number of cases done, the total and the
  ///     case's result.
  /// - Returns: one result per case, sorted by name; empty when the folder cannot be listed.
  /// - Complexity: the sum of ``run(caseDirectory:tolerance:)`` over the cases.
  public static func runAll(
    nodeDirectory: String, tolerance: Tolerance = .standard,
    progress: ((_ done: Int, _ total: Int, _ result: CaseResult) -> Void)? = nil
  ) -> [CaseResult] {
    let cases = caseNames(in: nodeDirectory)
    var results = [CaseResult]()
    results.reserveCapacity(cases.count)
    for name in cases {
      results.append(run(caseDirectory: nodeDirectory + "/" + name, tolerance: tolerance))
      progress?(results.count, cases.count, results[results.count - 1])
    }
    return results
  }

  /// The names of the subfolders of `nodeDirectory` that hold a `model.onnx`, sorted.
  static func caseNames(in nodeDirectory: String) -> [String] {
    let files = FileManager.default
    let names = (try? files.contentsOfDirectory(atPath: nodeDirectory)) ?? []
    return names.filter { files.fileExists(atPath: nodeDirectory + "/" + $0 + "/model.onnx") }.sorted()
  }

  /// The sorted operator types (domain-prefixed outside the default domain) and default opset.
  static func summary(of model: Onnx_ModelProto) -> (ops: [String], opset: Int?) {
    let ops = Set(model.graph.node.map { n in
      n.domain.isEmpty || n.domain == "ai.onnx" ? n.opType : "\(n.domain).\(n.opType)"
    })
    let opset = model.opsetImport.last { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map { Int(clamping: $0.version) }
    return (ops.sorted(), opset)
  }

  /// True for the errors that mean "not supported" rather than "wrong".
  static func isUnsupported(_ error: any Error) -> Bool {
    switch error {
    case GraphIRError.unsupportedOperator, is RandomOutputs: true
    case let error as ONNXError:
      switch error {
      case .unsupportedOpset, .unsupportedDomain, .unsupportedElementType, .unsupportedValueType,
        .unsupportedAttribute, .unsupportedFeature:
        true
      case .unreadableFile, .invalidFile, .invalidTensor, .invalidExternalData, .writeFailed: false
      }
    default: false
    }
  }
}

/// A case-level problem (missing data, output count mismatch), printed as its message.
struct CaseProblem: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
