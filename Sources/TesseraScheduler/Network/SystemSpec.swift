import Foundation

/// A host CPU, an accelerator and the link between them, for splitting a network between the
/// two (issue 18 item 4). Read from YAML (docs/scheduler.md §11):
///
/// ```yaml
/// name: host+edge-npu
/// host:
///   power_w: 15                   # energy on the host = power × time
///   layer_seconds: {conv1: 2.1e-5, conv2: 4.0e-5}   # optional: else measured by the engine
/// accelerator: edge-npu           # a preset name or a .yaml path (relative to this file)
/// link: {bytes_per_second: 4e9, latency_s: 2e-6, energy_pj_per_byte: 40}
/// ```
public struct SystemSpec: Sendable {
  /// Name in reports.
  public var name: String
  /// Host power while running a layer, W.
  public var hostPowerWatts: Double
  /// Host seconds per layer by name, when given in the spec.
  public var hostLayerSeconds: [String: Double]
  /// The accelerator.
  public var accelerator: HardwareSpec
  /// Link bandwidth, bytes per second.
  public var linkBytesPerSecond: Double
  /// Link latency per transfer, seconds.
  public var linkLatencySeconds: Double
  /// Link energy, pJ per byte.
  public var linkEnergyPerByte: Double

  /// Makes a system.
  /// - Parameters:
  ///   - name: report name.
  ///   - hostPowerWatts: W.
  ///   - hostLayerSeconds: seconds per layer name.
  ///   - accelerator: the accelerator.
  ///   - linkBytesPerSecond: B/s.
  ///   - linkLatencySeconds: s per transfer.
  ///   - linkEnergyPerByte: pJ/B.
  public init(
    name: String, hostPowerWatts: Double, hostLayerSeconds: [String: Double] = [:], accelerator: HardwareSpec,
    linkBytesPerSecond: Double, linkLatencySeconds: Double, linkEnergyPerByte: Double
  ) {
    self.name = name
    self.hostPowerWatts = hostPowerWatts
    self.hostLayerSeconds = hostLayerSeconds
    self.accelerator = accelerator
    self.linkBytesPerSecond = linkBytesPerSecond
    self.linkLatencySeconds = linkLatencySeconds
    self.linkEnergyPerByte = linkEnergyPerByte
  }

  /// Reads a system spec.
  /// - Parameters:
  ///   - yaml: the document.
  ///   - directory: where relative accelerator paths start.
  /// - Throws: ``SchedulerError/invalidSystem(path:message:)`` naming the field.
  public init(yaml: String, directory: String = ".") throws {
    do {
      try self.init(parsing: yaml, directory: directory)
    } catch let SchedulerError.invalidSpec(path, message) {
      throw SchedulerError.invalidSystem(path: path, message: message)
    } catch let SchedulerError.malformedYAML(message) {
      throw SchedulerError.invalidSystem(path: "", message: "not valid YAML: \(message)")
    }
  }

  private init(parsing yaml: String, directory: String) throws {
    let root = try YAMLField.root(yaml)
    _ = try root.mapping(allowed: ["name", "host", "accelerator", "link"])
    let host = try root.required("host")
    _ = try host.mapping(allowed: ["power_w", "layer_seconds"])
    var seconds: [String: Double] = [:]
    if let table = host.optional("layer_seconds") {
      for key in try table.mapping(allowed: (table.node.mapping?.keys.compactMap(\.string)) ?? []).keys {
        let name = key.string ?? ""
        seconds[name] = try table.required(name).positive()
      }
    }
    let accelField = try root.required("accelerator")
    let accelName = try accelField.string()
    if accelName == "host" { throw accelField.fail("the accelerator must be a modeled spec, not the host") }
    var accelerator: HardwareSpec
    do {
      let isPath = accelName.hasSuffix(".yaml") || accelName.hasSuffix(".yml")
      let resolved = isPath && !accelName.hasPrefix("/") ? (directory as NSString).appendingPathComponent(accelName) : accelName
      accelerator = try HardwareSpec.load(resolved)
    } catch let error as SchedulerError {
      throw accelField.fail("\(error.description)")
    }
    accelerator.multiCore = nil
    let link = try root.required("link")
    _ = try link.mapping(allowed: ["bytes_per_second", "latency_s", "energy_pj_per_byte"])
    self.init(
      name: try root.optional("name")?.string() ?? "host+\(accelerator.name)",
      hostPowerWatts: try host.required("power_w").nonNegative(), hostLayerSeconds: seconds, accelerator: accelerator,
      linkBytesPerSecond: try link.required("bytes_per_second").positive(),
      linkLatencySeconds: try link.required("latency_s").nonNegative(),
      linkEnergyPerByte: try link.required("energy_pj_per_byte").nonNegative())
  }

  /// Reads a system spec file.
  /// - Parameter path: a `.yaml` file.
  /// - Throws: ``SchedulerError/invalidSystem(path:message:)`` (the message names the file).
  public static func load(_ path: String) throws -> SystemSpec {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SchedulerError.invalidSystem(path: "", message: "cannot read '\(path)'")
    }
    do {
      return try SystemSpec(yaml: String(decoding: data, as: UTF8.self), directory: (path as NSString).deletingLastPathComponent)
    } catch let SchedulerError.invalidSystem(field, message) {
      throw SchedulerError.invalidSystem(path: field, message: message + " in \(path)")
    }
  }
}
