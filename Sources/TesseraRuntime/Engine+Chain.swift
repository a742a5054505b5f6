import Foundation
import Tessera

/// Running the chain ``Plan`` (dense/conv/pool layers in sequence): the whole batch step by step
/// in one arena, or, for int8 batches on several threads, data-parallel slices of the batch.
extension Engine {
  /// Runs the chain plan on `count` samples from `input` into `output`: data-parallel slices
  /// (``batchSlices(count:profile:observe:)``) when they apply, else one pass with
  /// `configuration.threads` threads per GEMM.
  func runChainPlan(
    _ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>, profile: Bool,
    diagnostics: inout RunDiagnostics, observe: ((String, [Float]) -> Void)?
  ) throws {
    let slices = batchSlices(count: count, profile: profile, observe: observe != nil)
    if slices == 1 {
      try runChain(
        input, count: count, output: output, threads: configuration.threads, profile: profile,
        diagnostics: &diagnostics, observe: observe)
      return
    }
    // Data-parallel: each thread runs the whole chain on its share of the samples with
    // one-thread kernels, in its own arena.
    let results = SliceResults(slices)
    ThreadPool.shared.parallelFor(slices, threads: Swift.min(slices, configuration.threads)) { slice in
      let begin = slice * count / slices, end = (slice + 1) * count / slices
      var local = RunDiagnostics()
      do {
        try runChain(
          input + begin * plan.inputCount, count: end - begin, output: output + begin * plan.outputCount, threads: 1,
          profile: false, diagnostics: &local, observe: nil)
        results.set(slice, .success(local))
      } catch {
        results.set(slice, .failure(error))
      }
    }
    for result in results.values { diagnostics.accumulate(try result.get()) }
  }

  /// Samples per thread below which a batch is not split across threads (the per-layer GEMM
  /// split serves small batches, and splits weight streaming rather than duplicating it).
  static let minimumSamplesPerSlice = 8

  /// Slices per thread for large batches: more slices than threads, claimed dynamically, so a
  /// thread whose core another process shares runs fewer of them instead of holding the call
  /// for a fixed share.
  static let slicesPerThread = 2

  /// Samples every slice must keep before a thread gets a second slice: a GEMM on fewer rows
  /// streams the same weights for less work (the MLP at batch 64 measured no better, often
  /// worse, as four slices of 16 than as two of 32).
  static let samplesForExtraSlices = 32

  /// Multiply-accumulates per slice below which splitting costs more than it saves (the int8
  /// GEMM's own per-thread minimum).
  static let minimumMACsPerSlice = 1 << 17

  /// How many data-parallel slices a chain call of `count` samples runs as (one per thread, or
  /// ``slicesPerThread`` when each keeps ``samplesForExtraSlices`` samples): 1 (per-layer
  /// threading inside each GEMM) unless the plan is int8, several threads are configured, every
  /// slice gets at least ``minimumSamplesPerSlice`` samples and at least
  /// ``minimumMACsPerSlice`` multiply-accumulates, and no per-step profile or observer is asked
  /// for (their timings and values are per step of the whole batch). Float plans keep the BLAS
  /// library's own threading.
  func batchSlices(count: Int, profile: Bool, observe: Bool) -> Int {
    guard plan.isQuantized, configuration.threads > 1, !profile, !observe, !configuration.referenceKernels,
      !configuration.debugReference
    else { return 1 }
    let macsPerSample = plan.steps.reduce(0) { $0 + $1.macs }
    let byWork = macsPerSample * count / Self.minimumMACsPerSlice
    let threads = configuration.threads
    let perThread = count >= threads * Self.slicesPerThread * Self.samplesForExtraSlices ? Self.slicesPerThread : 1
    let slices = Swift.min(threads * perThread, count / Self.minimumSamplesPerSlice, byWork)
    return slices < 2 ? 1 : slices
  }

  /// Runs the chain plan's steps on `count` samples in one arena, with `threads` threads per GEMM.
  private func runChain(
    _ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>, threads: Int, profile: Bool,
    diagnostics: inout RunDiagnostics, observe: ((String, [Float]) -> Void)?
  ) throws {
    let pooled = arenas.take(plan.arenaBytes(count: count))
    defer { arenas.give(pooled) }
    let arena = pooled.pointer
    let slotBytes = Plan.align(count * plan.slotBytesPerSample)
    var source = arena, destination = arena + slotBytes
    let scratch = arena + 2 * slotBytes
    var local = RunDiagnostics()
    if profile {
      local.steps = plan.steps.map {
        StepProfile(name: $0.name, kind: $0.kindName, nanoseconds: 0, macs: 0, bytes: 0, calls: 0, kernel: $0.kernelName(count: count))
      }
    }
    for (index, step) in plan.steps.enumerated() {
      let start = profile ? DispatchTime.now().uptimeNanoseconds : 0
      let inPlace = try execute(
        step, count: count, input: input, output: output, source: source, destination: destination, scratch: scratch,
        threads: threads, diagnostics: &local)
      if profile {
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        local.steps[index].nanoseconds += elapsed
        local.steps[index].macs += step.macs * count
        local.steps[index].bytes += step.weightBytes + step.activationBytes * count
        local.steps[index].calls += 1
      }
      if !inPlace { swap(&source, &destination) }
      if let observe, index > 0, index < plan.steps.count - 1, step.isObservable {
        observe(step.name, values(step, at: source, count: count))
      }
    }
    diagnostics.accumulate(local)
  }
}
