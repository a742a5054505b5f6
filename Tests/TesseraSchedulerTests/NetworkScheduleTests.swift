import Foundation
import Testing
@testable import TesseraScheduler

/// Whole-network scheduling (issue 18): fusion, pipelining and partitioning, each checked
/// against numbers derived by hand in the test.
@Suite struct NetworkScheduleTests {
  /// One PE (spatial 1 × 1, so no fill/drain and compute cycles = MACs), a 1 MiB buffer and
  /// PE registers whose bandwidths never bind, and a DRAM of 0.5 B/cycle each way at 100 pJ/B:
  /// every layer below is DRAM-bound and its cycles follow from its DRAM bytes.
  static func onePE(cores: Int = 1, dramShared: Bool = true) -> HardwareSpec {
    let levels = [
      MemoryLevel(name: "DRAM", capacityBytes: nil, readBandwidth: 0.5, writeBandwidth: 0.5,
        readEnergyPerByte: 100, writeEnergyPerByte: 100),
      MemoryLevel(name: "SRAM", capacityBytes: 1 << 20, readBandwidth: 1e9, writeBandwidth: 1e9,
        readEnergyPerByte: 5, writeEnergyPerByte: 5),
      MemoryLevel(name: "Reg", capacityBytes: 64, wordBits: 8, readBandwidth: 1e9, writeBandwidth: 1e9,
        readEnergyPerByte: 0.1, writeEnergyPerByte: 0.1, perPE: true),
    ]
    let array = PEArray(kind: .spatial, rows: 1, cols: 1, psumBits: 32,
      datatypes: [Datatype(name: "int8", bits: 8, macEnergyPJ: 0.2)], dataflows: [.ws])
    var spec = HardwareSpec(name: "one-pe", clockHz: 1e9, levels: levels, array: array)
    if cores > 1 {
      spec.multiCore = MultiCore(
        cores: (0..<cores).map { MultiCore.Core(name: "core\($0)", array: array, levels: Array(levels.dropFirst())) },
        interconnect: .init(bandwidth: 4, energyPerByte: 2, hopLatencyCycles: 10), dramShared: dramShared)
    }
    return spec
  }

  /// fc1 64→32, fc2 32→16, fc3 16→8, batch 1, int8 everywhere.
  static func chain(_ count: Int = 3) throws -> NetworkGraph {
    let sizes = [64, 32, 16, 8]
    let layers = try (0..<count).map { i in
      try Workload(name: "fc\(i + 1)", kind: .gemm, shape: .gemm(m: 1, n: sizes[i + 1], k: sizes[i]))
    }
    return try NetworkGraph.chain(name: "chain", layers: layers)
  }

  @Test func threeLayerChainFusedByHand() throws {
    let network = try Self.chain()
    let spec = Self.onePE()
    let scheduler = try SegmentScheduler(network: network, spec: spec, core: spec, options: MapperOptions(metric: .energy))
    // Layer by layer every tensor crosses DRAM once (the buffer holds them all):
    //   fc1 reads 64 (x) + 64·32 = 2048 (W) = 2112 B, writes 32 B  → max(2112/0.5, 32/0.5, 2048 MACs) = 4224 cycles
    //   fc2 reads 32 + 32·16 = 512 = 544 B, writes 16 B             → max(1088, 32, 512)   = 1088 cycles
    //   fc3 reads 16 + 16·8 = 128 = 144 B,  writes 8 B              → max(288, 16, 128)    = 288 cycles
    //   total 2112+32+544+16+144+8 = 2856 B, 4224+1088+288 = 5600 cycles
    let alone = try (0..<3).map { try #require(try scheduler.map($0)) }
    #expect(alone.map { $0.levels[0].readBytes } == [2112, 544, 144])
    #expect(alone.map { $0.levels[0].writeBytes } == [32, 16, 8])
    #expect(alone.map(\.cycles) == [4224, 1088, 288])
    let groups = try scheduler.fusionGroups(0...2, stage: 0...2)
    // Fused, fc1's and fc2's outputs (32 B, 16 B) stay in the SRAM:
    //   fc1 reads 2112 B, writes 0      → max(4224, 2048) = 4224 cycles
    //   fc2 reads 512 B (W only)        → max(1024, 512)  = 1024 cycles
    //   fc3 reads 128 B, writes 8 B     → max(256, 16, 128) = 256 cycles
    //   DRAM 2112 + 512 + 128 + 8 = 2760 B (96 B less: 2 × (32 + 16)); 4224+1024+256 = 5504 cycles
    #expect(groups.count == 1)
    let group = try #require(groups.first)
    #expect(group.layers == 0...2)
    #expect(group.dramBytes == 2760)
    #expect(group.costs.map(\.cycles) == [4224, 1024, 256])
    #expect(group.cycles == 5504)
    #expect(group.layerByLayerDRAMBytes == 2856)
    #expect(group.layerByLayerCycles == 5600)
    // Reserved: the two intermediates whole (dense consumers) 32 + 16, plus all weights
    // 2048 + 512 + 128 = 2736 B.
    #expect(group.reservedBytes == 2736)
    // Energy: 96 B fewer DRAM accesses (−96 × 100 pJ) and 48 B written then read in the SRAM
    // (+48 × 5 + 48 × 5 pJ): 9600 − 480 = 9120 pJ less.
    #expect(abs(group.layerByLayerEnergyPJ - group.energyPJ - 9120) < 1e-6)
  }

  @Test func fusionStopsWhenTheBufferIsTooSmall() throws {
    var spec = Self.onePE()
    // 2700 B cannot hold the three layers' 2688 B of weights plus 48 B of intermediates (2736 B),
    // but holds fc2 + fc3 (640 + 16 B).
    spec.levels[1].capacityBytes = 2700
    let network = try Self.chain()
    let scheduler = try SegmentScheduler(network: network, spec: spec, core: spec, options: MapperOptions(metric: .energy))
    #expect(try scheduler.group(0...2, stage: 0...2) == nil)
    let groups = try scheduler.fusionGroups(0...2, stage: 0...2)
    #expect(groups.map(\.layers).contains(1...2) || groups.map(\.layers).contains(0...1))
  }

  @Test func twoStagePipelineThroughputByHand() throws {
    let network = try Self.chain(2)
    // Two cores with their own DRAM: fc1 on core0, fc2 on core1, fc1's 32 B output over the link.
    //   stage 0: fc1 reads 2112 B, writes nothing (sent) → 4224 cycles
    //   stage 1: fc2 reads its 512 B of weights (input arrives over the link) → max(1024, 512) = 1024 cycles
    //   link: 32 B / 4 B per cycle + 10 cycles of hop latency = 18 cycles
    //   period = max(4224, 1024, 18) = 4224 cycles → 1e9 / 4224 = 236,742.4 inputs/s
    //   latency = 4224 + 18 + 1024 = 5266 cycles; fill = 5266 − 1024 = 4242 cycles
    //   single core fused: 4224 + 1024 = 5248 cycles, so 5248 / 4224 = 1.242× the throughput
    let pipeline = try PipelinePlanner.plan(network, on: Self.onePE(cores: 2, dramShared: false), options: .init(metric: .energy))
    #expect(pipeline.stages.map(\.layers) == [0...0, 1...1])
    #expect(pipeline.stages.map(\.cycles) == [4224, 1024])
    #expect(pipeline.stages[0].linkCycles == 18)
    #expect(pipeline.periodCycles == 4224)
    #expect(abs(pipeline.throughputPerSecond - 1e9 / 4224) < 1e-6)
    #expect(pipeline.latencyCycles == 5266)
    #expect(pipeline.fillCycles == 4242)
    #expect(pipeline.bottleneck == "stage 0 (one-pe.core0)")
    // 32 B over one hop at 2 pJ/B.
    #expect(pipeline.interconnectEnergyPJ == 64)
    // With one shared DRAM both stages' reads (2112 + 512 B) need 2624 / 0.5 = 5248 cycles per input.
    let shared = try PipelinePlanner.plan(network, on: Self.onePE(cores: 2, dramShared: true), options: .init(metric: .energy))
    #expect(shared.periodCycles == 5248)
    #expect(shared.bottleneck == "dram")
  }

  @Test func partitionBestSplitByHand() throws {
    let network = try Self.chain(2)
    let system = SystemSpec(
      name: "test", hostPowerWatts: 10, accelerator: Self.onePE(), linkBytesPerSecond: 1e9,
      linkLatencySeconds: 1e-6, linkEnergyPerByte: 10)
    // Host: fc1 10 µs, fc2 0.5 µs. Accelerator (1 GHz): fc1 4224 ns, fc2 1088 ns (layer by layer).
    // Link: 1 µs + bytes × 1 ns. Input 64 B, fc1 → fc2 32 B, output 16 B.
    //   host, host: 10 + 0.5                                   = 10.5 µs
    //   acc, acc:   1.064 + 4.224 + 1.088 + 1.016             = 7.392 µs
    //   acc, host:  1.064 + 4.224 + 1.032 + 0.5                = 6.820 µs  ← best
    //   host, acc:  10 + 1.032 + 1.088 + 1.016                 = 13.136 µs
    let result = try PartitionPlanner.plan(network, system: system, hostSeconds: [10e-6, 0.5e-6], options: .init(metric: .energy))
    #expect(result.onAccelerator == [true, false])
    #expect(abs(result.best.latencySeconds - 6.820e-6) < 1e-12)
    #expect(abs(result.allHost.latencySeconds - 10.5e-6) < 1e-12)
    #expect(abs(result.allAccelerator.latencySeconds - 7.392e-6) < 1e-12)
    #expect(result.transferredBytes == 96)
    // Energy: (64 + 32) B × 10 pJ + fc1 on the accelerator + 0.5 µs × 10 W = 5e6 pJ on the host.
    let fc1 = try Mapper.search(network.layers[0], on: Self.onePE(), options: .init(metric: .energy)).best
    #expect(abs(result.best.energyPJ - (960 + fc1.energyPJ + 5e6)) < 1e-3)
  }

  @Test func multiCorePresetsLoad() throws {
    let four = try HardwareSpec.preset(named: "edge-npu-4core")
    #expect(four.coreCount == 4)
    #expect(four.multiCore?.sharedBuffer?.capacityBytes == 1 << 20)
    #expect(four.coreSpecs[3].levels.map(\.name) == ["DRAM", "Buffer", "PEReg"])
    #expect(four.coreSpecs[3].levels[1].capacityBytes == 128 * 1024)
    let two = try HardwareSpec.preset(named: "edge-npu-2chip")
    #expect(two.coreCount == 2 && two.multiCore?.dramShared == false)
    #expect(two.coreSpecs.map(\.name) == ["edge-npu-2chip.chip0", "edge-npu-2chip.chip1"])
    // The single-core presets are unchanged.
    #expect(try HardwareSpec.preset(named: "edge-npu").multiCore == nil)
  }

  @Test(arguments: ["edge-npu-4core", "edge-npu-2chip"])
  func multiCorePresetsMatchTheirFiles(name: String) throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Models/hardware/\(name).yaml")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(HardwareSpec.presetYAML(named: name) == text.trimmingCharacters(in: .newlines))
  }

  @Test func multiCoreFieldErrorsNameTheField() throws {
    let base = try #require(HardwareSpec.presetYAML(named: "edge-npu-4core"))
    func message(_ text: String) -> String {
      do { _ = try HardwareSpec(yaml: text); return "" } catch { return "\(error)" }
    }
    #expect(message(base.replacingOccurrences(of: "  bytes_per_cycle: 32\n", with: "")).contains("interconnect.bytes_per_cycle: missing required field"))
    #expect(message(base.replacingOccurrences(of: "cores: 4 ", with: "cores: 0 ")).contains("cores: must be at least 1"))
    #expect(message(base.replacingOccurrences(of: "dram_sharing: shared", with: "dram_sharing: maybe")).contains("dram_sharing: unknown dram_sharing 'maybe'"))
    #expect(message(base.replacingOccurrences(of: "  hop_latency_cycles: 4", with: "  hop_latency_cycles: -4")).contains("interconnect.hop_latency_cycles: must not be negative"))
    let single = try #require(HardwareSpec.presetYAML(named: "edge-npu"))
    #expect(message(single + "\ninterconnect: {bytes_per_cycle: 1, energy_pj_per_byte: 1, hop_latency_cycles: 1}").contains("interconnect: needs 'cores'"))
    let two = try #require(HardwareSpec.presetYAML(named: "edge-npu-2chip"))
    let badCore = two.replacingOccurrences(of: "      - {name: Buffer, capacity_bytes: 262144,", with: "      - {name: Buffer, capacity_bytes: -1,")
    #expect(message(badCore).contains("cores[0].levels[0].capacity_bytes"))
  }

  @Test func systemSpecReadsAndNamesBadFields() throws {
    let good = """
      name: s
      host: {power_w: 15, layer_seconds: {fc1: 1e-5, fc2: 2e-6}}
      accelerator: edge-npu
      link: {bytes_per_second: 985e6, latency_s: 2e-6, energy_pj_per_byte: 40}
      """
    let system = try SystemSpec(yaml: good)
    #expect(system.accelerator.name == "edge-npu" && system.hostLayerSeconds == ["fc1": 1e-5, "fc2": 2e-6])
    func message(_ text: String) -> String {
      do { _ = try SystemSpec(yaml: text); return "" } catch { return "\(error)" }
    }
    #expect(message(good.replacingOccurrences(of: "latency_s: 2e-6, ", with: "")).contains("system spec: link.latency_s: missing required field"))
    #expect(message(good.replacingOccurrences(of: "power_w: 15", with: "power_w: -1")).contains("host.power_w: must not be negative"))
    #expect(message(good.replacingOccurrences(of: "edge-npu", with: "host")).contains("accelerator: the accelerator must be a modeled spec"))
    #expect(message(good.replacingOccurrences(of: "fc2: 2e-6", with: "fc2: 0")).contains("host.layer_seconds.fc2: must be positive"))
  }

  @Test func fewerLayersThanCoresUsesAtMostOneStagePerLayer() throws {
    // One layer on four cores: one stage, the period is that layer's 4224 cycles (see above).
    let pipeline = try PipelinePlanner.plan(try Self.chain(1), on: Self.onePE(cores: 4), options: .init(metric: .energy))
    #expect(pipeline.stages.count == 1)
    #expect(pipeline.periodCycles == 4224)
  }
}
