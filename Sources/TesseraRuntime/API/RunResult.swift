import TesseraNN

/// What one ``Engine/run(_:options:)-62mqm`` call returns: every model output by name, and the call's
/// diagnostics.
///
/// For example:
/// ```swift
/// let result = try engine.run(["input": x], options: RunOptions(profile: true))
/// let logits = result["logits"]!          // a GraphTensor, [batch, 10]
/// print(result.diagnostics.steps.count)   // one StepProfile per step
/// ```
public struct RunResult: Sendable {
  /// The outputs, keyed by the names in ``Engine/outputs``.
  public var outputs: [String: GraphTensor]
  /// Step timings when ``RunOptions/profile`` was set (per node for ``DynamicGraphPlan``
  /// engines, per layer for the chain plan and ``GraphPlan``; none for the reference
  /// interpreter), and int8 reference mismatches when ``EngineConfiguration/debugReference`` is set.
  public var diagnostics: RunDiagnostics

  /// Makes a result.
  /// - Parameters:
  ///   - outputs: the outputs by name.
  ///   - diagnostics: the call's diagnostics.
  public init(outputs: [String: GraphTensor], diagnostics: RunDiagnostics) {
    self.outputs = outputs
    self.diagnostics = diagnostics
  }

  /// The output called `name`, or nil.
  public subscript(name: String) -> GraphTensor? { outputs[name] }
}
