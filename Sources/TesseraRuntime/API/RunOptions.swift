/// Per-call options of ``Engine/run(_:options:)-62mqm``.
///
/// For example:
/// ```swift
/// let result = try engine.run(["input": x], options: RunOptions(profile: true))
/// for step in result.diagnostics.steps { print(step.name, step.kind, step.microsecondsPerCall) }
/// ```
public struct RunOptions: Sendable, Hashable {
  /// Time every step of this call into ``RunResult/diagnostics`` (``RunDiagnostics/steps``).
  /// Off by default: timing costs two clock reads per step.
  public var profile: Bool

  /// Makes options.
  /// - Parameter profile: time every step of the call.
  public init(profile: Bool = false) {
    self.profile = profile
  }
}
