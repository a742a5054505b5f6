/// Time and work of one plan step, summed over the calls that were profiled.
public struct StepProfile: Sendable, Equatable {
  /// Layer (or step) name.
  public var name: String
  /// Step kind (`int8-dense`, `int8-conv`, `fp32-dense`, `int8-maxpool`, `quantize`, …).
  public var kind: String
  /// Total nanoseconds.
  public var nanoseconds: UInt64
  /// Multiply-accumulates performed (all samples, all calls).
  public var macs: Int
  /// Bytes read and written (weights + activations, all calls).
  public var bytes: Int
  /// Number of calls.
  public var calls: Int
  /// The int8 kernel that ran the step at batch > 1 (nil for other steps).
  public var kernel: String? = nil

  /// Giga-operations per second (2 per multiply-accumulate); 0 without MACs or time.
  public var gops: Double { nanoseconds > 0 ? 2 * Double(macs) / Double(nanoseconds) : 0 }
  /// Mean microseconds per call.
  public var microsecondsPerCall: Double { calls > 0 ? Double(nanoseconds) / 1000 / Double(calls) : 0 }
}

/// Per-call extras: per-step timings (when profiling) and reference mismatches (debug mode).
public struct RunDiagnostics: Sendable, Equatable {
  /// One entry per plan step (empty unless profiling was requested).
  public var steps: [StepProfile] = []
  /// Layers whose int8 output differed from the scalar reference, with the number of differing
  /// bytes (empty unless ``EngineConfiguration/debugReference``).
  public var mismatches: [String: Int] = [:]
  /// Int8 layers compared with the reference.
  public var referenceChecks: Int = 0

  /// Makes empty diagnostics.
  public init() {}

  /// Adds another call's numbers (steps matched by position).
  public mutating func accumulate(_ other: RunDiagnostics) {
    if steps.isEmpty {
      steps = other.steps
    } else {
      for i in steps.indices where i < other.steps.count {
        steps[i].nanoseconds += other.steps[i].nanoseconds
        steps[i].macs += other.steps[i].macs
        steps[i].bytes += other.steps[i].bytes
        steps[i].calls += other.steps[i].calls
      }
    }
    for (k, v) in other.mismatches { mismatches[k, default: 0] += v }
    referenceChecks += other.referenceChecks
  }
}
