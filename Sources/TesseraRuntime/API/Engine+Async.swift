import TesseraNN

extension Engine {
  /// Runs the model on named tensors without blocking the caller's executor.
  ///
  /// The work runs on the engine threads (one per core, outside Swift concurrency's
  /// cooperative pool; calls beyond that wait in order): a synchronous call of milliseconds on
  /// the cooperative pool (`Task.detached`) would hold one of its few threads and stall every
  /// other task, while the calling task here just suspends. Cancelling the task before the call
  /// starts throws `CancellationError`; a started call runs to the end.
  ///
  /// For example:
  /// ```swift
  /// let outputs = try await engine.run(["input": x])
  /// ```
  /// - Parameter inputs: one tensor per model input, keyed by name.
  /// - Returns: one tensor per model output, keyed by name.
  /// - Throws: as ``run(_:)-5q058``, or `CancellationError`.
  public func run(_ inputs: [String: GraphTensor]) async throws -> [String: GraphTensor] {
    try await EngineExecutor.shared.run { try self.run(inputs) }
  }

  /// ``run(_:options:)-62mqm`` without blocking the caller's executor (see ``run(_:)-5q058``).
  /// - Parameters:
  ///   - inputs: one tensor per model input, keyed by name.
  ///   - options: what to record during the call (``RunOptions/profile``).
  /// - Returns: the outputs by name and the call's diagnostics.
  /// - Throws: as ``run(_:options:)-62mqm``, or `CancellationError`.
  public func run(_ inputs: [String: GraphTensor], options: RunOptions) async throws -> RunResult {
    try await EngineExecutor.shared.run { try self.run(inputs, options: options) }
  }

  /// ``run(_:count:)`` without blocking the caller's executor (see ``run(_:)-5q058``); named apart
  /// so that existing synchronous calls in `async` code keep compiling.
  /// - Parameters:
  ///   - input: `count × inputCount` floats, sample after sample.
  ///   - count: batch size.
  /// - Returns: `count × outputCount` floats.
  /// - Throws: as ``run(_:count:)``, or `CancellationError`.
  public func run(batch input: [Float], count: Int) async throws -> [Float] {
    try await EngineExecutor.shared.run { try self.run(input, count: count) }
  }
}
