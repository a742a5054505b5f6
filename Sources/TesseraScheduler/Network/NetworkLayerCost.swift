/// One layer's cost inside a network schedule: its mapping's cost with the DRAM traffic of
/// activations that stay on chip (fused or passed core to core) and of re-read weights that a
/// fusion group keeps resident moved to the fusion buffer, and cycles recomputed from it.
public struct NetworkLayerCost: Sendable {
  /// The layer's mapping and its stand-alone cost (the layer-by-layer schedule's entry when
  /// mapped with the full buffer; re-mapped with the buffer less the group's reservation when
  /// the fusion buffer is the core's own buffer).
  public var base: LayerCost
  /// DRAM bytes read in this schedule.
  public var dramReadBytes: Double
  /// DRAM bytes written in this schedule.
  public var dramWriteBytes: Double
  /// Bytes moved from DRAM to the fusion buffer (reads).
  public var bufferReadBytes: Double
  /// Bytes moved from DRAM to the fusion buffer (writes).
  public var bufferWriteBytes: Double
  /// Cycles: max(compute, every level's bandwidth time, the fusion buffer's) + fill/drain.
  public var cycles: Int
  /// Energy, pJ.
  public var energyPJ: Double

  /// DRAM bytes read and written.
  public var dramBytes: Double { dramReadBytes + dramWriteBytes }

  /// Re-costs `base` with some DRAM traffic kept on chip.
  /// - Parameters:
  ///   - base: the layer's cost on `core`.
  ///   - core: the core spec it was mapped on.
  ///   - buffer: the fusion buffer.
  ///   - inputOnChip: its input comes from the buffer, not DRAM.
  ///   - outputOnChip: its output (and spilled partial sums) stays in the buffer.
  ///   - weightsResident: weights are read from DRAM once and re-read from the buffer.
  init(
    base: LayerCost, core: HardwareSpec, buffer: FusionBuffer, inputOnChip: Bool, outputOnChip: Bool,
    weightsResident: Bool
  ) {
    self.base = base
    let traffic = LayerTraffic(base, spec: core)
    var read = base.levels[0].readBytes, write = base.levels[0].writeBytes
    var moveRead = 0.0, moveWrite = 0.0
    if inputOnChip {
      read -= traffic.inputRead
      moveRead += traffic.inputRead
    }
    if outputOnChip {
      write -= traffic.outputWrite
      read -= traffic.outputRead
      moveWrite += traffic.outputWrite
      moveRead += traffic.outputRead
    }
    if weightsResident {
      let again = traffic.weightRead - traffic.weightOnce
      read -= again
      moveRead += again
    }
    read = max(0, read)
    write = max(0, write)
    dramReadBytes = read
    dramWriteBytes = write
    bufferReadBytes = moveRead
    bufferWriteBytes = moveWrite
    let dram = core.levels[0]
    var energy = base.energyPJ - base.leakageEnergyPJ
    energy -= (base.levels[0].readBytes - read) * dram.readEnergyPerByte + (base.levels[0].writeBytes - write) * dram.writeEnergyPerByte
    energy += moveRead * buffer.readEnergyPerByte + moveWrite * buffer.writeEnergyPerByte
    var bound = Double(base.computeCycles)
    for (index, level) in core.levels.enumerated() {
      let instances = Double(core.instances(of: level))
      let time: Double
      if index == 0 {
        time = max(read / (level.readBandwidth * instances), write / (level.writeBandwidth * instances))
      } else if index == buffer.coreLevel {
        time = max(
          (base.levels[index].readBytes + moveRead) / (level.readBandwidth * instances),
          (base.levels[index].writeBytes + moveWrite) / (level.writeBandwidth * instances))
      } else {
        time = base.levels[index].bandwidthCycles
      }
      bound = max(bound, time)
    }
    if buffer.coreLevel == nil {
      bound = max(bound, moveRead / buffer.readBandwidth, moveWrite / buffer.writeBandwidth)
    }
    cycles = Int(bound.rounded(.up)) + base.fillDrainCycles
    let leakage = base.cycles > 0 ? base.leakageEnergyPJ * Double(cycles) / Double(base.cycles) : 0
    energyPJ = energy + leakage
  }
}
