import Dispatch
import Tessera

extension Engine {
  /// Whether the engine runs a compiled chain plan, whose steps can be split into pipeline stages.
  var isStageable: Bool { interpreted == nil && graphPlan == nil && dynamic == nil && plan.steps.count >= 3 }

  /// Bytes per sample handed from step `boundary − 1` to step `boundary` when a chain plan is
  /// split there (int8 codes in a quantized plan, floats otherwise).
  func handoffBytesPerSample(at boundary: Int) -> Int {
    plan.steps[boundary - 1].outputCount * (plan.isQuantized ? 1 : MemoryLayout<Float>.size)
  }

  /// Runs steps `range` of the chain plan for a batch of `count`, as one pipeline stage.
  ///
  /// The first stage (range starting at 0) reads `input`; a later stage reads the previous
  /// stage's activations from `handoffIn`. The last stage (range ending at the plan's end) writes
  /// `output`; an earlier stage copies its activations to `handoffOut`. Running the stages one
  /// after another gives exactly ``run(_:count:)``'s result: the same steps on the same bytes.
  func runStage(
    _ range: Range<Int>, count: Int, input: UnsafePointer<Float>?, handoffIn: UnsafeRawPointer?,
    handoffOut: UnsafeMutableRawPointer?, output: UnsafeMutablePointer<Float>?
  ) throws {
    let pooled = arenas.take(plan.arenaBytes(count: count))
    defer { arenas.give(pooled) }
    let arena = pooled.pointer
    let slotBytes = Plan.align(count * plan.slotBytesPerSample)
    var source = arena, destination = arena + slotBytes
    let scratch = arena + 2 * slotBytes
    if range.lowerBound > 0, let handoffIn {
      source.copyMemory(from: handoffIn, byteCount: count * handoffBytesPerSample(at: range.lowerBound))
    }
    // Steps that never touch `input`/`output` get harmless stand-ins.
    var unusedInput: Float = 0, unusedOutput: Float = 0
    var diagnostics = RunDiagnostics()
    try withUnsafeMutablePointer(to: &unusedOutput) { spareOutput in
      try withUnsafePointer(to: &unusedInput) { spareInput in
        for index in range {
          let inPlace = try execute(
            plan.steps[index], count: count, input: input ?? spareInput, output: output ?? spareOutput,
            source: source, destination: destination, scratch: scratch, threads: configuration.threads,
            diagnostics: &diagnostics)
          if !inPlace { swap(&source, &destination) }
        }
      }
    }
    if range.upperBound < plan.steps.count, let handoffOut {
      handoffOut.copyMemory(from: source, byteCount: count * handoffBytesPerSample(at: range.upperBound))
    }
  }
}
