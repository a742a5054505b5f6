import TesseraGraph

extension ONNXConformance {
  /// The outcome of one ONNX backend node test case, as written to the conformance report (JSON).
  ///
  /// For example:
  /// ```swift
  /// let result = ONNXConformance.run(caseDirectory: "node/test_relu")
  /// result.status      // .passed
  /// result.ops         // ["Relu"]
  /// ```
  public struct CaseResult: Sendable, Equatable, Codable {
    /// What happened to a case.
    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
      /// Every output of every data set matched within tolerance.
      case passed
      /// The case is supported but an output differed, or importing or running it threw an
      /// error that is not an "unsupported" one.
      case failed
      /// The model uses something Tessera does not support (operator, opset, domain, element
      /// type, value type, attribute type).
      case unsupported
    }

    /// The case name: its folder name, e.g. `test_conv_with_strides_padding`.
    public var name: String
    /// The operator types of the model's nodes, sorted and without repeats (non-default domains
    /// prefixed, e.g. `ai.onnx.ml.Scaler`); empty when the model cannot be read.
    public var ops: [String]
    /// The model's default-domain opset, when it declares one.
    public var opset: Int?
    /// Whether the case passed, failed or is unsupported.
    public var status: Status
    /// One line: for `failed`, the first mismatch (output, errors and where) or the error
    /// thrown; for `unsupported`, what is unsupported; nil for `passed`.
    public var reason: String?

    /// Makes a result.
    /// - Parameters:
    ///   - name: case name.
    ///   - ops: operator types of the model.
    ///   - opset: default-domain opset.
    ///   - status: outcome.
    ///   - reason: one-line explanation (nil when passed).
    public init(name: String, ops: [String], opset: Int?, status: Status, reason: String? = nil) {
      self.name = name
      self.ops = ops
      self.opset = opset
      self.status = status
      self.reason = reason
    }
  }
}

extension ONNXConformance {
  /// The conformance report written as JSON: what Tessera supports and every case's result.
  ///
  /// For example:
  /// ```swift
  /// let report = ONNXConformance.Report(cases: ONNXConformance.runAll(nodeDirectory: dir))
  /// try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: "conformance.json"))
  /// ```
  public struct Report: Sendable, Equatable, Codable {
    /// The default-domain operators Tessera supports (`OperatorSet.supported`), sorted.
    public var supportedOperators: [String]
    /// The oldest and newest supported default-domain opsets.
    public var supportedOpsets: [Int]
    /// The case results, sorted by name.
    public var cases: [CaseResult]

    /// Makes a report of `cases` with Tessera's current operator set and opsets.
    /// - Parameter cases: the results.
    public init(cases: [CaseResult]) {
      supportedOperators = OperatorSet.supported.sorted()
      supportedOpsets = [Graph.supportedOpsets.lowerBound, Graph.supportedOpsets.upperBound]
      self.cases = cases.sorted { $0.name < $1.name }
    }
  }
}
