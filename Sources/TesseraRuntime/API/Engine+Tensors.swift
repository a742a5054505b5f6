import TesseraNN

extension Engine {
  /// Runs the model on named tensors and returns every output by name.
  ///
  /// Each tensor is checked against ``inputs`` first: present, of the input's element type and
  /// rank, fixed dimensions equal, each symbolic dimension (`batch`, `sequence`) one size across
  /// all inputs.
  ///
  /// For example:
  /// ```swift
  /// let ids = try GraphTensor(int64: tokens, shape: [1, tokens.count])
  /// let mask = try GraphTensor(int64: Array(repeating: 1, count: tokens.count), shape: [1, tokens.count])
  /// let outputs = try engine.run(["input_ids": ids, "attention_mask": mask])
  /// ```
  /// - Parameter inputs: one tensor per model input, keyed by ``TensorDescription/name``.
  /// - Returns: one tensor per model output, keyed by name.
  /// - Throws: ``EngineError/invalidInput(_:)`` naming the input and the expected and given
  ///   shape or element type; errors of the kernels (e.g. an index out of range).
  public func run(_ inputs: [String: GraphTensor]) throws -> [String: GraphTensor] {
    try run(inputs, options: RunOptions()).outputs
  }

  /// Runs the model on named tensors with per-call options (profiling).
  /// - Parameters:
  ///   - inputs: one tensor per model input, keyed by name.
  ///   - options: what to record during the call.
  /// - Returns: the outputs by name and the call's ``RunDiagnostics``.
  /// - Throws: as ``run(_:)-7or6v``.
  public func run(_ inputs: [String: GraphTensor], options: RunOptions) throws -> RunResult {
    try TensorDescription.check(inputs, against: self.inputs)
    var diagnostics = RunDiagnostics()
    let values: [GraphTensor]
    if let dynamic {
      values = try dynamic.run(inputs, profile: options.profile, diagnostics: &diagnostics)
    } else if let interpreted {
      let all = try interpreted.interpreter.run(inputs)
      values = try outputs.map { o in
        guard let t = all[o.name] else { throw EngineError.unsupported("the graph produced no '\(o.name)'") }
        return t
      }
    } else {
      // The chain plan and GraphPlan take one float32 input [batch, …].
      let x = inputs[self.inputs[0].name]!
      guard let floats = x.float32, let count = x.shape.first else {
        throw EngineError.invalidInput("input '\(self.inputs[0].name)': expected float32 [batch, …]")
      }
      guard count > 0 else { throw EngineError.invalidInput("input '\(self.inputs[0].name)': shape \(x.shape) holds no sample") }
      if let graphPlan {
        values = try graphPlan.run(floats, count: count, profile: options.profile, diagnostics: &diagnostics, observe: nil)
      } else {
        let y = try run(floats, count: count, profile: options.profile, diagnostics: &diagnostics, observe: nil)
        values = [try GraphTensor(float32: y, shape: chainOutputShape(count: count))]
      }
    }
    return RunResult(outputs: Dictionary(uniqueKeysWithValues: zip(outputs.map(\.name), values)), diagnostics: diagnostics)
  }

  /// The chain plan's output shape for `count` samples: the declared one when its dimensions
  /// after the batch are fixed and hold ``outputCount`` values, else `[count, outputCount]`.
  func chainOutputShape(count: Int) -> [Int] {
    if let dims = outputs.first?.shape, dims.count >= 1, case let rest = dims.dropFirst().compactMap(\.value),
      rest.count == dims.count - 1, rest.reduce(1, *) == outputCount
    {
      return [count] + rest
    }
    return [count, outputCount]
  }
}
