@testable import TesseraScheduler

/// Hardware specs built in code for hand-checkable tests.
enum TestSpecs {
  /// A `rows × cols` int8 systolic array with one big buffer and bandwidths that never bind:
  /// the setting of SCALE-Sim's compute-cycle counts.
  static func systolic(rows: Int, cols: Int, dataflows: [Dataflow] = [.ws, .os, .is]) -> HardwareSpec {
    HardwareSpec(
      name: "systolic-\(rows)x\(cols)", clockHz: 1e9,
      levels: [
        MemoryLevel(name: "DRAM", capacityBytes: nil, readBandwidth: 1e9, writeBandwidth: 1e9,
          readEnergyPerByte: 100, writeEnergyPerByte: 100),
        MemoryLevel(name: "SRAM", capacityBytes: 1 << 24, readBandwidth: 1e9, writeBandwidth: 1e9,
          readEnergyPerByte: 5, writeEnergyPerByte: 5),
        MemoryLevel(name: "PEReg", capacityBytes: 6, wordBits: 8, readBandwidth: 1e9, writeBandwidth: 1e9,
          readEnergyPerByte: 0.2, writeEnergyPerByte: 0.2, perPE: true),
      ],
      array: PEArray(kind: .systolic, rows: rows, cols: cols, psumBits: 32,
        datatypes: [Datatype(name: "int8", bits: 8, macEnergyPJ: 0.2)], dataflows: dataflows))
  }
}
