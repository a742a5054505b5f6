extension HardwareSpec {
  /// Reads the optional multi-core fields of a spec (schema in docs/scheduler.md §10):
  ///
  /// ```yaml
  /// cores: 4                       # copies of the top-level array + on-chip levels, or a list:
  /// # cores: [{name: npu, array: {...}, levels: [{name: Buffer, ...}, {name: PEReg, ...}]}, ...]
  /// shared_buffer: {capacity_bytes: 1048576, read_bytes_per_cycle: 128, write_bytes_per_cycle: 128,
  ///                 read_energy_pj_per_byte: 7.78, write_energy_pj_per_byte: 7.78}
  /// interconnect: {bytes_per_cycle: 32, energy_pj_per_byte: 0.6, hop_latency_cycles: 4}
  /// dram_sharing: shared           # shared (one DRAM) | per_core (one DRAM per core: chips)
  /// ```
  ///
  /// - Parameters:
  ///   - root: the document root.
  ///   - reference: the single-core spec read from the same document.
  /// - Returns: `nil` when the document declares no `cores`.
  /// - Throws: ``SchedulerError/invalidSpec(path:message:)`` naming the field.
  static func parseMultiCore(_ root: YAMLField, reference: HardwareSpec) throws -> MultiCore? {
    guard let coresField = root.optional("cores") else {
      for key in ["shared_buffer", "interconnect", "dram_sharing"] {
        if let field = root.optional(key) { throw field.fail("needs 'cores' (a single-core spec has no \(key))") }
      }
      return nil
    }
    var cores: [MultiCore.Core] = []
    if coresField.node.sequence == nil {
      let count = try coresField.count()
      cores = (0..<count).map { MultiCore.Core(name: "core\($0)", array: reference.array, levels: Array(reference.levels.dropFirst())) }
    } else {
      let items = try coresField.sequence()
      guard !items.isEmpty else { throw coresField.fail("must list at least one core") }
      for (index, item) in items.enumerated() {
        _ = try item.mapping(allowed: ["name", "array", "levels"])
        let levels = try item.required("levels").sequence().map(parseLevel)
        let core = MultiCore.Core(
          name: try item.optional("name")?.string() ?? "core\(index)", array: try parseArray(item.required("array")),
          levels: levels)
        var spec = reference
        spec.levels = [reference.levels[0]] + levels
        spec.array = core.array
        do {
          try spec.validate()
        } catch let SchedulerError.invalidSpec(path, message) {
          // The core's levels are 1… in the assembled spec (DRAM is 0): report them as the YAML numbers them.
          var shown = path
          if path.hasPrefix("levels["), let close = path.firstIndex(of: "]"),
            let number = Int(path[path.index(path.startIndex, offsetBy: 7)..<close])
          {
            shown = "levels[\(number - 1)]" + path[path.index(after: close)...]
          }
          throw SchedulerError.invalidSpec(path: "\(item.path).\(shown)", message: message)
        }
        cores.append(core)
      }
      let names = cores.map(\.name)
      if Set(names).count != names.count { throw coresField.fail("core names must be distinct (got \(names.joined(separator: ", ")))") }
    }
    var shared: MultiCore.SharedBuffer?
    if let field = root.optional("shared_buffer") {
      _ = try field.mapping(allowed: [
        "capacity_bytes", "read_bytes_per_cycle", "write_bytes_per_cycle", "read_energy_pj_per_byte",
        "write_energy_pj_per_byte", "area_mm2",
      ])
      let capacity = try field.required("capacity_bytes").int()
      guard capacity > 0 else { throw try field.required("capacity_bytes").fail("must be positive (got \(capacity))") }
      shared = MultiCore.SharedBuffer(
        capacityBytes: capacity,
        readBandwidth: try field.required("read_bytes_per_cycle").positive(),
        writeBandwidth: try field.required("write_bytes_per_cycle").positive(),
        readEnergyPerByte: try field.required("read_energy_pj_per_byte").nonNegative(),
        writeEnergyPerByte: try field.required("write_energy_pj_per_byte").nonNegative(),
        areaMM2: try field.optional("area_mm2")?.nonNegative() ?? 0)
    }
    let link = try root.required("interconnect")
    _ = try link.mapping(allowed: ["bytes_per_cycle", "energy_pj_per_byte", "hop_latency_cycles"])
    let interconnect = MultiCore.Interconnect(
      bandwidth: try link.required("bytes_per_cycle").positive(),
      energyPerByte: try link.required("energy_pj_per_byte").nonNegative(),
      hopLatencyCycles: try link.required("hop_latency_cycles").nonNegative())
    var dramShared = true
    if let field = root.optional("dram_sharing") {
      switch try field.string() {
      case "shared": dramShared = true
      case "per_core": dramShared = false
      case let word: throw field.fail("unknown dram_sharing '\(word)' (expected shared or per_core)")
      }
    }
    return MultiCore(cores: cores, sharedBuffer: shared, interconnect: interconnect, dramShared: dramShared)
  }
}
