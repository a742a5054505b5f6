/// An accelerator (or the host) described for the cost model: memory levels from DRAM
/// inward, a PE array, a clock and the dataflows it supports (ARCHITECTURE.md, "Scheduler
/// model"). Read one from YAML with ``HardwareSpec/init(yaml:source:)`` or take a preset
/// with ``HardwareSpec/preset(named:)``.
///
/// Units: capacities in bytes, bandwidths in bytes per cycle *per instance*, energies in
/// pJ per byte accessed (YAML may give pJ per word instead; it is converted with the
/// level's `word_bits`), areas in mm² per instance, the clock in Hz.
public struct HardwareSpec: Hashable, Sendable {
  /// Short name used in reports (`eyeriss`, `tpu-v1`, ...).
  public var name: String
  /// One line describing the design and its sources.
  public var summary: String
  /// Clock frequency in Hz.
  public var clockHz: Double
  /// Process node in nm, when stated (informational; scaling is done in the YAML).
  public var technologyNM: Double?
  /// Memory levels, outermost (DRAM) first; the last is the PE-local storage.
  public var levels: [MemoryLevel]
  /// The PE array.
  public var array: PEArray
  /// Static power in mW, charged for every cycle of a layer.
  public var leakageMilliwatts: Double
  /// What the hardware does with zero weights.
  public var sparsity: SparsitySupport
  /// Several cores, a shared buffer and an interconnect (`nil` = one core, the spec itself).
  /// The top-level ``levels`` and ``array`` then describe core 0, which per-layer schedules use.
  public var multiCore: MultiCore?

  /// Makes a spec; call ``validate()`` before use (the YAML reader does).
  /// - Parameters:
  ///   - name: short name.
  ///   - summary: one-line description.
  ///   - clockHz: clock in Hz.
  ///   - technologyNM: process node.
  ///   - levels: memory levels, DRAM first, PE-local last.
  ///   - array: the PE array.
  ///   - leakageMilliwatts: static power.
  ///   - sparsity: zero-weight handling.
  ///   - multiCore: cores, shared buffer and interconnect (`nil` = single core).
  public init(
    name: String, summary: String = "", clockHz: Double, technologyNM: Double? = nil,
    levels: [MemoryLevel], array: PEArray, leakageMilliwatts: Double = 0,
    sparsity: SparsitySupport = SparsitySupport(), multiCore: MultiCore? = nil
  ) {
    self.multiCore = multiCore
    self.name = name
    self.summary = summary
    self.clockHz = clockHz
    self.technologyNM = technologyNM
    self.levels = levels
    self.array = array
    self.leakageMilliwatts = leakageMilliwatts
    self.sparsity = sparsity
  }

  /// Index of the PE-local level (the last one).
  public var peLevel: Int { levels.count - 1 }

  /// Index of the innermost level shared by all PEs (the one feeding the array).
  public var innermostSharedLevel: Int { levels.count - 2 }

  /// Total area in mm²: every level × instances plus every PE's datapath.
  public var areaMM2: Double {
    levels.reduce(0) { $0 + $1.areaMM2 * Double(instances(of: $1)) }
      + array.peAreaMM2 * Double(array.rows * array.cols)
  }

  /// Instances of a level (rows × cols for the PE-local level).
  /// - Parameter level: one of ``levels``.
  public func instances(of level: MemoryLevel) -> Int {
    level.perPE ? array.rows * array.cols : level.instances
  }

  /// The datatype the array computes `inputBits` × `weightBits` operands in: the narrowest
  /// declared datatype at least as wide as both.
  /// - Parameters:
  ///   - inputBits: bits per input value.
  ///   - weightBits: bits per weight.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when no datatype is wide enough.
  public func datatype(inputBits: Int, weightBits: Int) throws -> Datatype {
    let needed = max(inputBits, weightBits)
    guard let type = array.datatypes.filter({ $0.bits >= needed }).min(by: { $0.bits < $1.bits }) else {
      let names = array.datatypes.map(\.name).joined(separator: ", ")
      throw SchedulerError.invalidWorkload("\(name) has no datatype for \(needed)-bit operands (it supports \(names))")
    }
    return type
  }
}

/// One memory level: a DRAM, a shared buffer, a cache or per-PE register files.
public struct MemoryLevel: Hashable, Sendable {
  /// Name in reports (`DRAM`, `GLB`, `RF`, ...).
  public var name: String
  /// Capacity of one instance in bytes; `nil` means unbounded (DRAM).
  public var capacityBytes: Int?
  /// Width of one access in bits (used to convert per-word energies).
  public var wordBits: Int
  /// Read bandwidth of one instance in bytes per cycle.
  public var readBandwidth: Double
  /// Write bandwidth of one instance in bytes per cycle.
  public var writeBandwidth: Double
  /// Energy per byte read, pJ.
  public var readEnergyPerByte: Double
  /// Energy per byte written, pJ.
  public var writeEnergyPerByte: Double
  /// Area of one instance in mm².
  public var areaMM2: Double
  /// Number of instances (ignored for the PE-local level, which has one per PE).
  public var instances: Int
  /// True for the PE-local level (the last one).
  public var perPE: Bool
  /// Tensors this level stores; others bypass it.
  public var holds: Set<TensorKind>
  /// Per-tensor capacities in bytes (Eyeriss's separate scratchpads); empty = shared capacity.
  public var partitions: [TensorKind: Int]

  /// Makes a level.
  /// - Parameters:
  ///   - name: report name.
  ///   - capacityBytes: bytes per instance (`nil` = unbounded).
  ///   - wordBits: access width.
  ///   - readBandwidth: bytes/cycle.
  ///   - writeBandwidth: bytes/cycle.
  ///   - readEnergyPerByte: pJ/byte.
  ///   - writeEnergyPerByte: pJ/byte.
  ///   - areaMM2: mm² per instance.
  ///   - instances: copies.
  ///   - perPE: PE-local level.
  ///   - holds: tensors stored.
  ///   - partitions: per-tensor capacities.
  public init(
    name: String, capacityBytes: Int?, wordBits: Int = 64, readBandwidth: Double, writeBandwidth: Double,
    readEnergyPerByte: Double, writeEnergyPerByte: Double, areaMM2: Double = 0, instances: Int = 1,
    perPE: Bool = false, holds: Set<TensorKind> = Set(TensorKind.allCases), partitions: [TensorKind: Int] = [:]
  ) {
    self.name = name
    self.capacityBytes = capacityBytes
    self.wordBits = wordBits
    self.readBandwidth = readBandwidth
    self.writeBandwidth = writeBandwidth
    self.readEnergyPerByte = readEnergyPerByte
    self.writeEnergyPerByte = writeEnergyPerByte
    self.areaMM2 = areaMM2
    self.instances = instances
    self.perPE = perPE
    self.holds = holds
    self.partitions = partitions
  }

  /// Whether `bytes` of `tensor` (plus `otherBytes` of the level's other tensors) fit one instance.
  /// - Parameters:
  ///   - bytes: per-tensor footprints in bytes. 
  /// - Returns: `true` when every partition and the shared capacity are respected.
  public func fits(_ bytes: [TensorKind: Double]) -> Bool {
    var total = 0.0
    for (tensor, size) in bytes where holds.contains(tensor) {
      if let limit = partitions[tensor], size > Double(limit) { return false }
      total += size
    }
    if let capacityBytes, partitions.isEmpty, total > Double(capacityBytes) { return false }
    return true
  }
}

/// How PEs are connected.
public enum ArrayKind: String, Sendable, Codable, CaseIterable {
  /// Operands hop PE to PE (TPU, SCALE-Sim): no multicast of distinct elements, a
  /// fill/drain delay per fold, convolutions streamed as their im2col GEMM.
  case systolic
  /// A network-on-chip multicasts operands to PEs (Eyeriss): sliding-window reuse and
  /// per-PE scratchpads, no fill/drain term.
  case spatial
}

/// Where operands stay put and how loops spread over the array.
public enum Dataflow: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// Weight-stationary: rows ← reduction (c, r, s), columns ← filters (k); pixels stream.
  case ws
  /// Output-stationary: rows ← pixels (n, p, q), columns ← filters (k); the reduction streams.
  case os
  /// Input-stationary: rows ← reduction (c, r, s), columns ← pixels (n, p, q); filters stream.
  case `is`
  /// Row-stationary (Eyeriss): rows ← filter rows and channels (r, c), columns ← output
  /// rows and filters (p, k); each PE runs a 1-D convolution of one filter row.
  case rs

  /// The lower-case name (`ws`, `os`, `is`, `rs`).
  public var description: String { rawValue }

  /// Dimensions that may be unrolled across the array's rows.
  public var rowDims: [ProblemDim] {
    switch self {
    case .ws, .is: [.c, .r, .s]
    case .os: [.n, .p, .q]
    case .rs: [.r, .c]
    }
  }

  /// Dimensions that may be unrolled across the array's columns.
  public var colDims: [ProblemDim] {
    switch self {
    case .ws, .os: [.k]
    case .is: [.n, .p, .q]
    case .rs: [.p, .k]
    }
  }

  /// The tensor that stays in the PEs while the innermost shared loops run
  /// (`nil` for row-stationary, which keeps a filter row, an input row and a partial-sum row).
  public var stationaryTensor: TensorKind? {
    switch self {
    case .ws: .weight
    case .os: .output
    case .is: .input
    case .rs: nil
    }
  }
}

/// A number format the PEs compute in.
public struct Datatype: Hashable, Sendable {
  /// Name (`int8`, `int16`, ...).
  public var name: String
  /// Bits per operand; operands are stored at this width.
  public var bits: Int
  /// Energy of one multiply-accumulate in pJ.
  public var macEnergyPJ: Double
  /// MACs per PE per cycle in this format (packing narrower types raises it).
  public var macsPerPEPerCycle: Int

  /// Makes a datatype.
  /// - Parameters:
  ///   - name: format name.
  ///   - bits: operand width.
  ///   - macEnergyPJ: pJ per MAC.
  ///   - macsPerPEPerCycle: throughput per PE.
  public init(name: String, bits: Int, macEnergyPJ: Double, macsPerPEPerCycle: Int = 1) {
    self.name = name
    self.bits = bits
    self.macEnergyPJ = macEnergyPJ
    self.macsPerPEPerCycle = macsPerPEPerCycle
  }
}

/// The PE array.
public struct PEArray: Hashable, Sendable {
  /// Systolic or NoC-connected.
  public var kind: ArrayKind
  /// PE rows.
  public var rows: Int
  /// PE columns.
  public var cols: Int
  /// Bits of a partial sum (accumulator width).
  public var psumBits: Int
  /// Number formats, each with its MAC energy and throughput.
  public var datatypes: [Datatype]
  /// Supported dataflows; the first is the default.
  public var dataflows: [Dataflow]
  /// Energy to move one byte over the array network (spatial arrays), pJ.
  public var nocEnergyPerByte: Double
  /// Datapath area of one PE (MAC and control, without its storage level), mm².
  public var peAreaMM2: Double
  /// How convolutions reach the array: `im2col` streams the im2col GEMM (no sliding-window
  /// reuse, as SCALE-Sim models systolic arrays and as the host runtime executes them);
  /// `direct` keeps the 7-loop convolution. Defaults: systolic → im2col, spatial → direct.
  public var convLowering: ConvLowering
  /// Cycles lost per kernel invocation — one row of PE tiles sweeping its innermost shared
  /// tile (a micro-kernel call's entry, prologue and requantizing epilogue). A measured host
  /// constant, charged like a systolic fold's fill/drain; 0 for accelerators.
  public var invocationOverheadCycles: Double

  /// Makes an array.
  /// - Parameters:
  ///   - kind: systolic or spatial.
  ///   - rows: PE rows.
  ///   - cols: PE columns.
  ///   - psumBits: accumulator width.
  ///   - datatypes: formats.
  ///   - dataflows: supported dataflows.
  ///   - nocEnergyPerByte: pJ per byte over the NoC.
  ///   - peAreaMM2: mm² per PE datapath.
  ///   - convLowering: how convolutions reach the array (default by kind).
  ///   - invocationOverheadCycles: cycles per kernel invocation (host).
  public init(
    kind: ArrayKind, rows: Int, cols: Int, psumBits: Int, datatypes: [Datatype], dataflows: [Dataflow],
    nocEnergyPerByte: Double = 0, peAreaMM2: Double = 0, convLowering: ConvLowering? = nil,
    invocationOverheadCycles: Double = 0
  ) {
    self.convLowering = convLowering ?? (kind == .systolic ? .im2col : .direct)
    self.invocationOverheadCycles = invocationOverheadCycles
    self.kind = kind
    self.rows = rows
    self.cols = cols
    self.psumBits = psumBits
    self.datatypes = datatypes
    self.dataflows = dataflows
    self.nocEnergyPerByte = nocEnergyPerByte
    self.peAreaMM2 = peAreaMM2
  }
}

/// How a convolution is presented to the PE array (see ``PEArray/convLowering``).
public enum ConvLowering: String, Sendable, Codable, CaseIterable {
  /// Stream the im2col GEMM.
  case im2col
  /// Keep the seven loops (sliding-window reuse between PEs).
  case direct
}

/// What the hardware does with zero weights (declared in the spec; the workload gives the density).
public struct SparsitySupport: Hashable, Sendable {
  /// Zero weights skip their MACs: MAC energy, PE-local accesses and compute cycles scale by density.
  public var skipZeroWeights: Bool
  /// Weights are stored compressed: weight traffic scales by density plus metadata.
  public var compressedWeights: Bool
  /// Metadata bits per stored non-zero weight when compressed.
  public var metadataBitsPerNonzero: Int
  /// The zero pattern the hardware exploits: any zeros (`unstructured`, the default), or only
  /// layers whose weights satisfy 2:4, at density exactly 0.5 (other layers run dense).
  public var structure: SparsityStructure

  /// Makes a sparsity declaration (the default: dense hardware).
  /// - Parameters:
  ///   - skipZeroWeights: skip zero MACs.
  ///   - compressedWeights: store weights compressed.
  ///   - metadataBitsPerNonzero: index bits per non-zero.
  ///   - structure: the zero pattern exploited.
  public init(
    skipZeroWeights: Bool = false, compressedWeights: Bool = false, metadataBitsPerNonzero: Int = 0,
    structure: SparsityStructure = .unstructured
  ) {
    self.skipZeroWeights = skipZeroWeights
    self.compressedWeights = compressedWeights
    self.metadataBitsPerNonzero = metadataBitsPerNonzero
    self.structure = structure
  }

  /// Whether the hardware's zero handling applies to `workload` (always for unstructured
  /// hardware; for 2:4 hardware only when the weights satisfy 2:4).
  public func applies(to workload: Workload) -> Bool {
    structure == .unstructured || workload.weightStructure == .twoFour
  }

  /// Zero MACs of `workload` are skipped.
  public func skipsZeros(of workload: Workload) -> Bool { skipZeroWeights && applies(to: workload) }

  /// `workload`'s weights are stored compressed.
  public func compresses(_ workload: Workload) -> Bool { compressedWeights && applies(to: workload) }

  /// The weight density the hardware processes for `workload` when its zero handling applies:
  /// the measured density on unstructured hardware, exactly 0.5 (2 of every 4) on 2:4 hardware.
  public func density(of workload: Workload) -> Double {
    structure == .twoFour ? 0.5 : workload.weightDensity
  }
}
