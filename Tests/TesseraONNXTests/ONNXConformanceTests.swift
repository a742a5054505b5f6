import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

/// The ONNX backend node tests: `TESSERA_ONNX_NODE_TESTS`, else
/// `.onnx-node-tests/onnx/backend/test/data/node` at the repository root (fetched by
/// `scripts/onnx-conformance.sh --fetch-only`); nil when neither exists.
private let nodeTestsDirectory: String? = {
  let environment = ProcessInfo.processInfo.environment["TESSERA_ONNX_NODE_TESTS"]
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  let path = environment ?? root + "/.onnx-node-tests/onnx/backend/test/data/node"
  var isDirectory: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
}()

/// All node test cases through the importer and the reference interpreter. Writes the JSON report
/// to `TESSERA_CONFORMANCE_REPORT` when set (scripts/onnx-conformance.sh turns it into docs/onnx.md).
@Test(
  "ONNX backend node tests: no failures among supported cases, at least 540 pass",
  .enabled(if: nodeTestsDirectory != nil, "ONNX node tests not found: run scripts/onnx-conformance.sh --fetch-only"))
func onnxBackendNodeTests() throws {
  let directory = try #require(nodeTestsDirectory)
  let started = Date()
  let results = ONNXConformance.runAll(nodeDirectory: directory)
  let seconds = Date().timeIntervalSince(started)
  if let report = ProcessInfo.processInfo.environment["TESSERA_CONFORMANCE_REPORT"] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(ONNXConformance.Report(cases: results)).write(to: URL(fileURLWithPath: report))
  }
  let count = { (status: ONNXConformance.CaseResult.Status) in results.filter { $0.status == status }.count }
  print(
    "ONNX node tests: \(results.count) cases, \(count(.passed)) passed, \(count(.failed)) failed, "
      + "\(count(.unsupported)) unsupported in \(Int(seconds)) s")
  let supported = results.filter { !$0.ops.isEmpty && $0.ops.allSatisfy(OperatorSet.supported.contains) }
  for result in supported {
    let known = ONNXConformance.knownWrongExpectations[result.name] != nil
    if result.status == .failed && !known {
      Issue.record("\(result.name) [\(result.ops.joined(separator: ", "))]: \(result.reason ?? "")")
    } else if known && result.status != .failed {
      Issue.record("\(result.name) is listed in knownWrongExpectations but is \(result.status.rawValue)")
    }
  }
  #expect(count(.passed) >= 540)
}
