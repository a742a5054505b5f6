/// Errors thrown by the scheduler. Every case prints as one line naming the problem.
public enum SchedulerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A hardware spec field is missing or invalid; `path` is its YAML path (`levels[2].capacity_bytes`).
  case invalidSpec(path: String, message: String)
  /// The YAML text could not be parsed at all.
  case malformedYAML(String)
  /// `--hardware` named neither a preset nor a readable file.
  case unknownHardware(String)
  /// A workload (GEMM/conv shape or model layer) is invalid.
  case invalidWorkload(String)
  /// A model file could not be read or has no schedulable layers.
  case invalidModel(path: String, message: String)
  /// A mapping is not legal on the hardware (the message names the constraint).
  case illegalMapping(String)
  /// The mapper found no legal mapping (the message says why, e.g. which level is too small).
  case noLegalMapping(String)
  /// The requested dataflow is not supported by the hardware.
  case unsupportedDataflow(dataflow: String, hardware: String, supported: [String])
  /// Host execution failed (kernels missing, bad tiling).
  case executionFailed(String)
  /// A system spec (host + accelerator + link) field is missing or invalid; `path` is its YAML path.
  case invalidSystem(path: String, message: String)

  /// A one-line human-readable message.
  public var description: String {
    switch self {
    case let .invalidSpec(path, message):
      path.isEmpty ? "hardware spec: \(message)" : "hardware spec: \(path): \(message)"
    case let .malformedYAML(message):
      "hardware spec: not valid YAML: \(message)"
    case let .unknownHardware(name):
      "unknown hardware '\(name)': expected a preset (\(HardwareSpec.presetNames.joined(separator: ", "))) or a .yaml file"
    case let .invalidWorkload(message):
      "workload: \(message)"
    case let .invalidModel(path, message):
      "model \(path): \(message)"
    case let .illegalMapping(message):
      "illegal mapping: \(message)"
    case let .noLegalMapping(message):
      "no legal mapping: \(message)"
    case let .unsupportedDataflow(dataflow, hardware, supported):
      "dataflow '\(dataflow)' is not supported by \(hardware) (supported: \(supported.joined(separator: ", ")))"
    case let .executionFailed(message):
      "host execution: \(message)"
    case let .invalidSystem(path, message):
      path.isEmpty ? "system spec: \(message)" : "system spec: \(path): \(message)"
    }
  }
}
