import Foundation
import TesseraGraph

extension ONNXConformance {
  /// The `test_data_set_<n>` subfolders of a case, in numeric order.
  /// - Throws: ``CaseProblem`` when the case folder cannot be listed.
  static func dataSets(in folder: String) throws -> [String] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw CaseProblem("cannot list the case folder \(folder)")
    }
    return numbered(names, prefix: "test_data_set_", suffix: "")
  }

  /// The names `<prefix><n><suffix>` among `names`, sorted by n.
  static func numbered(_ names: [String], prefix: String, suffix: String) -> [String] {
    let indexed = names.compactMap { name -> (Int, String)? in
      guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
      guard let n = Int(name.dropFirst(prefix.count).dropLast(suffix.count)) else { return nil }
      return (n, name)
    }
    return indexed.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// The `<kind>_<n>.pb` tensors of a data set folder in order, with their stored names.
  static func tensors(in folder: String, kind: String) throws -> [(name: String, tensor: GraphTensor)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return try numbered(names, prefix: kind + "_", suffix: ".pb").map {
      try ONNXImporter.namedTensor(contentsOf: folder + "/" + $0)
    }
  }

  /// Runs one data set and compares the outputs.
  /// - Returns: nil when every output matches, else the first problem in one line.
  /// - Throws: ``RandomOutputs`` when the outputs are random; errors from reading the tensors
  ///   and from the interpreter.
  static func check(_ interpreter: ReferenceInterpreter, dataSet folder: String, tolerance: Tolerance) throws -> String? {
    let graph = interpreter.graph
    let inputs = try tensors(in: folder, kind: "input")
    let expected = try tensors(in: folder, kind: "output")
    guard inputs.count == graph.inputs.count else {
      return "\(inputs.count) input files for \(graph.inputs.count) graph inputs \(graph.inputs.map(\.name))"
    }
    guard expected.count == graph.outputs.count else {
      return "\(expected.count) output files for \(graph.outputs.count) graph outputs \(graph.outputs.map(\.name))"
    }
    let inputNames = Self.names(inputs.map(\.name), declared: graph.inputs.map(\.name))
    var feeds = [String: GraphTensor]()
    for (name, input) in zip(inputNames, inputs) { feeds[name] = input.tensor }
    if let reason = randomOutputs(graph, feeds: feeds) { throw RandomOutputs(description: reason) }
    let outputs = try interpreter.run(feeds)
    let outputNames = Self.names(expected.map(\.name), declared: graph.outputs.map(\.name))
    for (name, want) in zip(outputNames, expected) {
      guard let got = outputs[name] else { return "output '\(name)' was not computed" }
      if let problem = mismatch(got, want.tensor, tolerance: tolerance) { return "output '\(name)': \(problem)" }
    }
    return nil
  }

  /// The graph value each stored tensor is for: its stored names when they are exactly the
  /// declared names in some order, else the declared names by position.
  static func names(_ stored: [String], declared: [String]) -> [String] {
    Set(stored) == Set(declared) && Set(stored).count == stored.count ? stored : declared
  }
}
