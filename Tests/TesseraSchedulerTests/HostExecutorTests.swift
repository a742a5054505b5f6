import Tessera
import Testing
@testable import TesseraScheduler

/// The tiled host executor: its byte counts are the model's, and its tiling computes the same
/// GEMM as one call (checked on a small problem with a fixed host-like spec, no measuring).
struct HostExecutorTests {
  /// A host-like spec with fixed (not measured) numbers: DRAM › L2 › L1 (weights bypass) › Regs.
  static func hostLike() -> HardwareSpec {
    HardwareSpec(
      name: "host-like", clockHz: 1e9,
      levels: [
        MemoryLevel(name: "DRAM", capacityBytes: nil, readBandwidth: 8, writeBandwidth: 8, readEnergyPerByte: 0, writeEnergyPerByte: 0),
        MemoryLevel(name: "L2", capacityBytes: 64 << 10, readBandwidth: 32, writeBandwidth: 32, readEnergyPerByte: 0, writeEnergyPerByte: 0),
        MemoryLevel(name: "L1", capacityBytes: 8 << 10, readBandwidth: 64, writeBandwidth: 64, readEnergyPerByte: 0, writeEnergyPerByte: 0,
          holds: [.input, .output]),
        MemoryLevel(name: "Regs", capacityBytes: 2048, readBandwidth: 192, writeBandwidth: 64, readEnergyPerByte: 0, writeEnergyPerByte: 0, perPE: true),
      ],
      array: PEArray(kind: .spatial, rows: 1, cols: 1, psumBits: 32,
        datatypes: [Datatype(name: "int8", bits: 8, macEnergyPJ: 0, macsPerPEPerCycle: 32)], dataflows: [.os], convLowering: .im2col))
  }

  @Test func countsEqualTheModelAndEveryMappingRuns() throws {
    let kernel = try HostSchedule.kernel()
    let spec = Self.hostLike()
    let gemm = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 4 * kernel.mr, n: 4 * kernel.nr, k: 64))
    let options = MapperOptions.host(mr: kernel.mr, nr: kernel.nr)
    let all = try Mapper.enumerate(gemm, on: spec, options: options)
    #expect(all.count >= 20)
    for cost in all.prefix(40) {
      let executor = try HostExecutor(cost: cost, spec: spec, kernel: kernel)
      let modeled = cost.levels.prefix(spec.levels.count).map { $0.readBytes + $0.writeBytes }
      #expect(executor.levelBytes == Array(modeled), "\(cost.mappingText)")
      executor.runOnce()
      #expect(executor.output() == (try executor.referenceOutput(kernel: kernel)), "\(cost.mappingText)")
    }
  }
}
