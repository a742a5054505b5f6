import Foundation

extension HardwareSpec {
  /// Names accepted by `--hardware`: the bundled presets and `host` (built at run time).
  public static let presetNames = ["eyeriss", "tpu-v1", "edge-npu", "host", "edge-npu-4core", "edge-npu-2chip", "edge-npu-sparse"]

  /// A bundled preset (`eyeriss`, `tpu-v1`, `edge-npu`); for `host` use ``HostHardware/detect(options:macsPerCycle:)``.
  /// - Parameter name: the preset name.
  /// - Throws: ``SchedulerError/unknownHardware(_:)`` for other names.
  public static func preset(named name: String) throws -> HardwareSpec {
    guard let text = presetSources[name] else { throw SchedulerError.unknownHardware(name) }
    return try HardwareSpec(yaml: text, source: name)
  }

  /// The YAML text of a bundled preset (identical to `Models/hardware/<name>.yaml`).
  /// - Parameter name: the preset name.
  public static func presetYAML(named name: String) -> String? { presetSources[name] }

  /// Loads `--hardware` when it names a preset (other than `host`) or a YAML file.
  /// - Parameter argument: a preset name or a path ending in `.yaml`/`.yml`.
  /// - Throws: ``SchedulerError/unknownHardware(_:)`` when it is neither, or a spec error.
  public static func load(_ argument: String) throws -> HardwareSpec {
    if presetSources[argument] != nil { return try preset(named: argument) }
    let isYAMLPath = argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
    guard isYAMLPath || FileManager.default.fileExists(atPath: argument) else {
      throw SchedulerError.unknownHardware(argument)
    }
    guard let data = FileManager.default.contents(atPath: argument) else {
      throw SchedulerError.invalidSpec(path: "", message: "cannot read '\(argument)'")
    }
    do {
      return try HardwareSpec(yaml: String(decoding: data, as: UTF8.self), source: argument)
    } catch let error as SchedulerError {
      if case let .invalidSpec(path, message) = error {
        throw SchedulerError.invalidSpec(path: path, message: message + " in \(argument)")
      }
      throw error
    }
  }
}
