import Yams

extension HardwareSpec {
  /// Reads and validates a spec from YAML (schema in docs/scheduler.md).
  ///
  /// ```yaml
  /// name: edge-npu
  /// clock_hz: 500e6
  /// array: {kind: systolic, rows: 16, cols: 16, psum_bits: 32, dataflows: [ws, os],
  ///         datatypes: [{name: int8, bits: 8, mac_energy_pj: 0.14}]}
  /// levels:
  ///   - {name: DRAM, capacity_bytes: unbounded, read_bytes_per_cycle: 16, ...}
  /// ```
  ///
  /// - Parameters:
  ///   - yaml: the document.
  ///   - source: where it came from, for messages (a path or a preset name).
  /// - Throws: ``SchedulerError/invalidSpec(path:message:)`` naming the YAML path of the first
  ///   missing or invalid field, or ``SchedulerError/malformedYAML(_:)``.
  public init(yaml: String, source: String = "") throws {
    let root = try YAMLField.root(yaml)
    _ = try root.mapping(allowed: [
      "name", "summary", "clock_hz", "technology_nm", "leakage_mw", "sparsity", "array", "levels",
      "cores", "shared_buffer", "interconnect", "dram_sharing",
    ])
    let name = try root.required("name").string()
    guard !name.isEmpty else { throw root.fail("name must not be empty") }
    let array = try Self.parseArray(root.required("array"))
    let levelFields = try root.required("levels").sequence()
    let levels = try levelFields.map(Self.parseLevel)
    var sparsity = SparsitySupport()
    if let field = root.optional("sparsity") {
      _ = try field.mapping(allowed: ["skip_zero_weights", "compressed_weights", "metadata_bits_per_nonzero", "structure"])
      sparsity.skipZeroWeights = try field.optional("skip_zero_weights")?.bool() ?? false
      sparsity.compressedWeights = try field.optional("compressed_weights")?.bool() ?? false
      sparsity.metadataBitsPerNonzero = try Int(field.optional("metadata_bits_per_nonzero")?.nonNegative() ?? 0)
      if let structure = field.optional("structure") {
        let text = try structure.string()
        guard let value = SparsityStructure(rawValue: text) else {
          throw structure.fail("sparsity structure '\(text)' is not one of: unstructured, \"2:4\"")
        }
        sparsity.structure = value
      }
    }
    self.init(
      name: name, summary: try root.optional("summary")?.string() ?? "",
      clockHz: try root.required("clock_hz").positive(),
      technologyNM: try root.optional("technology_nm")?.positive(),
      levels: levels, array: array,
      leakageMilliwatts: try root.optional("leakage_mw")?.nonNegative() ?? 0,
      sparsity: sparsity)
    try validate()
    multiCore = try Self.parseMultiCore(root, reference: self)
  }

  static func parseArray(_ field: YAMLField) throws -> PEArray {
    _ = try field.mapping(allowed: ["kind", "rows", "cols", "psum_bits", "datatypes", "dataflows", "noc_energy_pj_per_byte", "pe_area_mm2", "conv_lowering", "invocation_overhead_cycles"])
    let kindField = try field.required("kind")
    let kindName = try kindField.string()
    guard let kind = ArrayKind(rawValue: kindName) else {
      throw kindField.fail("unknown array kind '\(kindName)' (expected systolic or spatial)")
    }
    let flowFields = try field.required("dataflows").sequence()
    guard !flowFields.isEmpty else { throw try field.required("dataflows").fail("must list at least one dataflow") }
    let dataflows = try flowFields.map { item -> Dataflow in
      let word = try item.string()
      guard let flow = Dataflow(rawValue: word.lowercased()) else {
        throw item.fail("unknown dataflow '\(word)' (expected ws, os, is or rs)")
      }
      if kind == .systolic && flow == .rs {
        throw item.fail("row-stationary needs a spatial (NoC) array, not a systolic one")
      }
      return flow
    }
    let typeFields = try field.required("datatypes").sequence()
    guard !typeFields.isEmpty else { throw try field.required("datatypes").fail("must list at least one datatype") }
    let datatypes = try typeFields.map { item -> Datatype in
      _ = try item.mapping(allowed: ["name", "bits", "mac_energy_pj", "macs_per_pe_per_cycle"])
      return Datatype(
        name: try item.required("name").string(), bits: try item.required("bits").count(),
        macEnergyPJ: try item.required("mac_energy_pj").nonNegative(),
        macsPerPEPerCycle: try item.optional("macs_per_pe_per_cycle")?.count() ?? 1)
    }
    return PEArray(
      kind: kind, rows: try field.required("rows").count(), cols: try field.required("cols").count(),
      psumBits: try field.required("psum_bits").count(), datatypes: datatypes, dataflows: dataflows,
      nocEnergyPerByte: try field.optional("noc_energy_pj_per_byte")?.nonNegative() ?? 0,
      peAreaMM2: try field.optional("pe_area_mm2")?.nonNegative() ?? 0,
      convLowering: try field.optional("conv_lowering").map { item in
        let word = try item.string()
        guard let value = ConvLowering(rawValue: word) else { throw item.fail("unknown conv_lowering '\(word)' (expected im2col or direct)") }
        return value
      },
      invocationOverheadCycles: try field.optional("invocation_overhead_cycles")?.nonNegative() ?? 0)
  }

  static func parseLevel(_ field: YAMLField) throws -> MemoryLevel {
    _ = try field.mapping(allowed: [
      "name", "capacity_bytes", "word_bits", "read_bytes_per_cycle", "write_bytes_per_cycle",
      "read_energy_pj_per_byte", "read_energy_pj_per_word", "write_energy_pj_per_byte", "write_energy_pj_per_word",
      "area_mm2", "instances", "per_pe", "holds", "partitions",
    ])
    let name = try field.required("name").string()
    let capacityField = try field.required("capacity_bytes")
    let capacity: Int?
    if (try? capacityField.string()) == "unbounded" {
      capacity = nil
    } else {
      let value = try capacityField.int()
      guard value > 0 else { throw capacityField.fail("must be positive (got \(value))") }
      capacity = value
    }
    let wordBits = try field.required("word_bits").count()
    func energy(_ kind: String) throws -> Double {
      let perByte = field.optional("\(kind)_energy_pj_per_byte")
      let perWord = field.optional("\(kind)_energy_pj_per_word")
      switch (perByte, perWord) {
      case let (byte?, nil): return try byte.nonNegative()
      case let (nil, word?): return try word.nonNegative() / (Double(wordBits) / 8)
      case (_?, _?): throw field.fail("give \(kind)_energy_pj_per_byte or \(kind)_energy_pj_per_word, not both")
      case (nil, nil):
        throw SchedulerError.invalidSpec(
          path: field.path + ".\(kind)_energy_pj_per_byte",
          message: "missing required field (or give \(kind)_energy_pj_per_word)")
      }
    }
    var holds = Set(TensorKind.allCases)
    if let holdsField = field.optional("holds") {
      holds = try Set(holdsField.sequence().map { item -> TensorKind in
        let word = try item.string()
        guard let tensor = TensorKind(rawValue: word) else {
          throw item.fail("unknown tensor '\(word)' (expected input, weight or output)")
        }
        return tensor
      })
      guard !holds.isEmpty else { throw holdsField.fail("must name at least one tensor") }
    }
    var partitions: [TensorKind: Int] = [:]
    if let partField = field.optional("partitions") {
      let map = try partField.mapping(allowed: TensorKind.allCases.map(\.rawValue))
      for key in map.keys {
        let tensorName = key.string ?? ""
        let entry = try partField.required(tensorName)
        let tensor = TensorKind(rawValue: tensorName)!
        guard holds.contains(tensor) else { throw entry.fail("partition for a tensor the level does not hold") }
        let bytes = try entry.int()
        guard bytes > 0 else { throw entry.fail("must be positive (got \(bytes))") }
        partitions[tensor] = bytes
      }
    }
    return MemoryLevel(
      name: name, capacityBytes: capacity, wordBits: wordBits,
      readBandwidth: try field.required("read_bytes_per_cycle").positive(),
      writeBandwidth: try field.required("write_bytes_per_cycle").positive(),
      readEnergyPerByte: try energy("read"), writeEnergyPerByte: try energy("write"),
      areaMM2: try field.optional("area_mm2")?.nonNegative() ?? 0,
      instances: try field.optional("instances")?.count() ?? 1,
      perPE: try field.optional("per_pe")?.bool() ?? false,
      holds: holds, partitions: partitions)
  }
}
