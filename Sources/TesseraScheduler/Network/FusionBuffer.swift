/// Where fused intermediates (and the resident weights of a fusion group) live: the spec's
/// shared buffer when it declares one, else the core's outermost on-chip level (level 1), whose
/// capacity the layers of a group then share with the intermediates (docs/scheduler.md §10).
public struct FusionBuffer: Hashable, Sendable {
  /// Report name (`shared_buffer` or the level's name).
  public var name: String
  /// Capacity in bytes.
  public var capacityBytes: Int
  /// Read bandwidth, bytes per cycle.
  public var readBandwidth: Double
  /// Write bandwidth, bytes per cycle.
  public var writeBandwidth: Double
  /// pJ per byte read.
  public var readEnergyPerByte: Double
  /// pJ per byte written.
  public var writeEnergyPerByte: Double
  /// The core level it is (`1`), or `nil` for a separate shared buffer.
  public var coreLevel: Int?

  /// The fusion buffer of `core` within `spec`.
  /// - Parameters:
  ///   - spec: the whole spec (for its shared buffer).
  ///   - core: one of ``HardwareSpec/coreSpecs``.
  /// - Throws: ``SchedulerError/invalidSpec(path:message:)`` when the core has no bounded on-chip level.
  public static func of(_ spec: HardwareSpec, core: HardwareSpec) throws -> FusionBuffer {
    if let shared = spec.multiCore?.sharedBuffer {
      return FusionBuffer(
        name: "shared_buffer", capacityBytes: shared.capacityBytes, readBandwidth: shared.readBandwidth,
        writeBandwidth: shared.writeBandwidth, readEnergyPerByte: shared.readEnergyPerByte,
        writeEnergyPerByte: shared.writeEnergyPerByte, coreLevel: nil)
    }
    guard core.levels.count >= 3, let capacity = core.levels[1].capacityBytes else {
      throw SchedulerError.invalidSpec(
        path: "levels", message: "\(core.name) has no on-chip buffer between DRAM and the PEs to fuse layers in")
    }
    let level = core.levels[1]
    let instances = Double(core.instances(of: level))
    return FusionBuffer(
      name: level.name, capacityBytes: capacity * core.instances(of: level),
      readBandwidth: level.readBandwidth * instances, writeBandwidth: level.writeBandwidth * instances,
      readEnergyPerByte: level.readEnergyPerByte, writeEnergyPerByte: level.writeEnergyPerByte, coreLevel: 1)
  }
}
