extension HardwareSpec {
  /// Checks the cross-field rules the YAML schema alone cannot express.
  ///
  /// - DRAM (level 0) and the PE-local level hold every tensor; only the last level is per-PE.
  /// - Only level 0 may be unbounded; partitions fit the capacity.
  /// - Every level can hold one tile: at least one element of each tensor it stores (operands
  ///   at the widest datatype, partial sums at `psum_bits`); a shared level feeding a systolic
  ///   array holds at least one fold's stationary block (rows × cols operands).
  ///
  /// - Throws: ``SchedulerError/invalidSpec(path:message:)`` naming the offending level.
  public func validate() throws {
    guard clockHz > 0 else { throw SchedulerError.invalidSpec(path: "clock_hz", message: "must be positive") }
    guard levels.count >= 2 else {
      throw SchedulerError.invalidSpec(path: "levels", message: "need at least DRAM and a PE-local level (got \(levels.count))")
    }
    var names = Set<String>()
    for (index, level) in levels.enumerated() {
      let path = "levels[\(index)]"
      guard names.insert(level.name).inserted else {
        throw SchedulerError.invalidSpec(path: "\(path).name", message: "duplicate level name '\(level.name)'")
      }
      if level.capacityBytes == nil && index != 0 {
        throw SchedulerError.invalidSpec(path: "\(path).capacity_bytes", message: "only the outermost level (DRAM) may be unbounded")
      }
      if let capacity = level.capacityBytes, capacity <= 0 {
        throw SchedulerError.invalidSpec(path: "\(path).capacity_bytes", message: "must be positive (got \(capacity))")
      }
      if level.perPE != (index == peLevel) {
        throw SchedulerError.invalidSpec(
          path: "\(path).per_pe",
          message: index == peLevel ? "the last level must be the PE-local one (per_pe: true)" : "only the last level may be per_pe")
      }
      if index == 0 || index == peLevel, level.holds.count != 3 {
        throw SchedulerError.invalidSpec(path: "\(path).holds", message: "\(level.name) must hold input, weight and output")
      }
      if let capacity = level.capacityBytes, !level.partitions.isEmpty {
        let total = level.partitions.values.reduce(0, +)
        if total > capacity {
          throw SchedulerError.invalidSpec(
            path: "\(path).partitions", message: "partitions total \(total) bytes, more than capacity_bytes \(capacity)")
        }
      }
      for (name, value) in [("read_bytes_per_cycle", level.readBandwidth), ("write_bytes_per_cycle", level.writeBandwidth)]
      where !(value > 0) {
        throw SchedulerError.invalidSpec(path: "\(path).\(name)", message: "must be positive")
      }
      for (name, value) in [("read_energy", level.readEnergyPerByte), ("write_energy", level.writeEnergyPerByte), ("area_mm2", level.areaMM2)]
      where !(value >= 0) {
        throw SchedulerError.invalidSpec(path: "\(path).\(name)", message: "must not be negative")
      }
      try checkHoldsOneTile(level, path: path)
    }
    guard array.rows >= 1, array.cols >= 1 else {
      throw SchedulerError.invalidSpec(path: "array", message: "rows and cols must be at least 1")
    }
    guard !array.dataflows.isEmpty, !array.datatypes.isEmpty else {
      throw SchedulerError.invalidSpec(path: "array", message: "needs at least one dataflow and one datatype")
    }
    if array.kind == .systolic, array.dataflows.contains(.rs) {
      throw SchedulerError.invalidSpec(path: "array.dataflows", message: "row-stationary needs a spatial (NoC) array")
    }
  }

  /// The smallest tile a level must hold, per tensor, in bytes.
  func minimumTileBytes(for level: MemoryLevel, index: Int) -> [TensorKind: Double] {
    let operandBits = Double(array.datatypes.map(\.bits).max() ?? 8)
    var bytes: [TensorKind: Double] = [:]
    for tensor in level.holds {
      bytes[tensor] = (tensor == .output ? Double(array.psumBits) : operandBits) / 8
    }
    // A shared level that is the array's source for a stationary tensor of a systolic array
    // must hold one fold of it (rows × cols values, loaded before streaming starts).
    if array.kind == .systolic, !level.perPE, index > 0 {
      for flow in array.dataflows {
        guard let tensor = flow.stationaryTensor, level.holds.contains(tensor),
          innermostLevel(holding: tensor) == index
        else { continue }
        let perElement = (tensor == .output ? Double(array.psumBits) : operandBits) / 8
        bytes[tensor] = max(bytes[tensor] ?? 0, Double(array.rows * array.cols) * perElement)
      }
    }
    return bytes
  }

  private func checkHoldsOneTile(_ level: MemoryLevel, path: String) throws {
    let index = levels.firstIndex(of: level) ?? 0
    let need = minimumTileBytes(for: level, index: index)
    guard !level.fits(need) else { return }
    let detail = TensorKind.allCases.compactMap { t in need[t].map { "\(t) \(YAMLField.format($0)) B" } }
      .joined(separator: ", ")
    throw SchedulerError.invalidSpec(
      path: "\(path).capacity_bytes",
      message: "\(level.name) cannot hold one tile (needs \(detail); has \(level.partitions.isEmpty ? "\(level.capacityBytes ?? 0) B" : "partitions \(level.partitions.map { "\($0.key) \($0.value) B" }.sorted().joined(separator: ", "))"))")
  }

  /// The innermost shared (non-PE) level that stores `tensor`: the array's source for it.
  /// - Parameter tensor: a tensor.
  public func innermostLevel(holding tensor: TensorKind) -> Int {
    (0..<peLevel).last { levels[$0].holds.contains(tensor) } ?? 0
  }
}
