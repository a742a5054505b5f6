/// Several cores on one chip (or several chips) sharing DRAM: each core is a PE array with its
/// own on-chip levels; an optional shared on-chip buffer holds fused intermediates; an
/// interconnect carries activations core to core (issue 18, docs/scheduler.md §10).
///
/// A ``HardwareSpec`` without `cores` is one core; its ``HardwareSpec/multiCore`` is `nil` and
/// ``HardwareSpec/coreSpecs`` returns the spec itself.
public struct MultiCore: Hashable, Sendable {
  /// The cores in interconnect order; core `i` and core `j` are `|i − j|` hops apart (a line).
  public var cores: [Core]
  /// The shared on-chip buffer, when the design has one (fusion keeps intermediates here).
  public var sharedBuffer: SharedBuffer?
  /// The core-to-core network.
  public var interconnect: Interconnect
  /// `true` when every core reaches the same DRAM (its bandwidth is shared by concurrent
  /// pipeline stages); `false` when each core has its own DRAM of the spec's level-0 figures
  /// (separate chips).
  public var dramShared: Bool

  /// Makes a multi-core description.
  /// - Parameters:
  ///   - cores: at least one core.
  ///   - sharedBuffer: the shared buffer, if any.
  ///   - interconnect: the network.
  ///   - dramShared: one DRAM for all cores (`true`) or one per core.
  public init(cores: [Core], sharedBuffer: SharedBuffer? = nil, interconnect: Interconnect, dramShared: Bool = true) {
    self.cores = cores
    self.sharedBuffer = sharedBuffer
    self.interconnect = interconnect
    self.dramShared = dramShared
  }

  /// Hops between two cores on the line.
  /// - Parameters:
  ///   - from: a core index.
  ///   - to: a core index.
  public func hops(from: Int, to: Int) -> Int { abs(from - to) }

  /// One core: a PE array and its on-chip levels (outermost first, the PE-local level last; DRAM
  /// is the spec's level 0 and is not repeated here).
  public struct Core: Hashable, Sendable {
    /// Name in reports (`core0`, …).
    public var name: String
    /// The core's PE array.
    public var array: PEArray
    /// On-chip levels, outermost first, PE-local last.
    public var levels: [MemoryLevel]

    /// Makes a core.
    /// - Parameters:
    ///   - name: report name.
    ///   - array: the PE array.
    ///   - levels: on-chip levels (no DRAM).
    public init(name: String, array: PEArray, levels: [MemoryLevel]) {
      self.name = name
      self.array = array
      self.levels = levels
    }
  }

  /// An on-chip buffer shared by all cores.
  public struct SharedBuffer: Hashable, Sendable {
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
    /// Area, mm².
    public var areaMM2: Double

    /// Makes a shared buffer.
    /// - Parameters:
    ///   - capacityBytes: bytes.
    ///   - readBandwidth: B/cycle.
    ///   - writeBandwidth: B/cycle.
    ///   - readEnergyPerByte: pJ/B.
    ///   - writeEnergyPerByte: pJ/B.
    ///   - areaMM2: mm².
    public init(
      capacityBytes: Int, readBandwidth: Double, writeBandwidth: Double, readEnergyPerByte: Double,
      writeEnergyPerByte: Double, areaMM2: Double = 0
    ) {
      self.capacityBytes = capacityBytes
      self.readBandwidth = readBandwidth
      self.writeBandwidth = writeBandwidth
      self.readEnergyPerByte = readEnergyPerByte
      self.writeEnergyPerByte = writeEnergyPerByte
      self.areaMM2 = areaMM2
    }
  }

  /// The network between cores (or the chip-to-chip link).
  public struct Interconnect: Hashable, Sendable {
    /// Bytes per cycle of one link.
    public var bandwidth: Double
    /// pJ per byte per hop.
    public var energyPerByte: Double
    /// Cycles of latency per hop.
    public var hopLatencyCycles: Double

    /// Makes an interconnect.
    /// - Parameters:
    ///   - bandwidth: B/cycle per link.
    ///   - energyPerByte: pJ/B per hop.
    ///   - hopLatencyCycles: cycles per hop.
    public init(bandwidth: Double, energyPerByte: Double, hopLatencyCycles: Double) {
      self.bandwidth = bandwidth
      self.energyPerByte = energyPerByte
      self.hopLatencyCycles = hopLatencyCycles
    }
  }
}

extension HardwareSpec {
  /// One spec per core, each DRAM (level 0 of this spec) followed by the core's own levels and
  /// array, named `<spec>.<core>`; a single-core spec returns `[self]`. The mapper maps layers
  /// onto these exactly as onto any spec.
  public var coreSpecs: [HardwareSpec] {
    guard let multiCore else { return [self] }
    return multiCore.cores.map { core in
      var spec = self
      spec.name = "\(name).\(core.name)"
      spec.levels = [levels[0]] + core.levels
      spec.array = core.array
      spec.multiCore = nil
      return spec
    }
  }

  /// Number of cores (1 for a single-core spec).
  public var coreCount: Int { multiCore?.cores.count ?? 1 }
}
