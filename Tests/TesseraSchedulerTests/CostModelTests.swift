import Foundation
import Tessera
import Testing
@testable import TesseraScheduler

/// Sparsity and bit-width scaling, the mapper's pruning, the JSON contract.
struct CostModelTests {
  static func spec(sparsity: SparsitySupport = SparsitySupport()) -> HardwareSpec {
    var spec = TestSpecs.systolic(rows: 4, cols: 4)
    spec.sparsity = sparsity
    spec.array.datatypes = [
      Datatype(name: "int4", bits: 4, macEnergyPJ: 0.05, macsPerPEPerCycle: 2),
      Datatype(name: "int8", bits: 8, macEnergyPJ: 0.2),
    ]
    return spec
  }

  func best(_ workload: Workload, _ spec: HardwareSpec, metric: Metric = .energy) throws -> LayerCost {
    try Mapper.search(workload, on: spec, options: MapperOptions(metric: metric, dataflows: [.ws])).best
  }

  @Test func narrowerOperandsUseTheNarrowerDatatype() throws {
    let int8 = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 32, n: 16, k: 24))
    var int4 = int8
    int4.inputBits = 4
    int4.weightBits = 4
    let spec = Self.spec()
    let a = try best(int8, spec, metric: .cycles), b = try best(int4, spec, metric: .cycles)
    #expect(a.datatype.name == "int8" && b.datatype.name == "int4")
    // Half the bytes of operands at DRAM, a quarter of the MAC energy, twice the MACs per cycle.
    let aIn = a.levels[0].readBytes, bIn = b.levels[0].readBytes
    #expect(bIn == aIn / 2)
    #expect(abs(b.macEnergyPJ - a.macEnergyPJ / 4) < 1e-9)
    #expect(b.computeCycles * 2 == a.computeCycles)
  }

  @Test func sparsityScalesAsDeclared() throws {
    var sparse = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 32, n: 16, k: 24))
    sparse.weightDensity = 0.25
    let dense = try best(sparse, Self.spec())
    let skipping = try best(sparse, Self.spec(sparsity: SparsitySupport(skipZeroWeights: true)))
    let compressed = try best(sparse, Self.spec(sparsity: SparsitySupport(compressedWeights: true, metadataBitsPerNonzero: 4)))
    // Dense hardware ignores zeros.
    #expect(dense.macs == 32 * 16 * 24)
    // Zero skipping: a quarter of the MACs (energy and compute cycles), same weight traffic.
    #expect(skipping.macs == dense.macs / 4)
    #expect(abs(skipping.macEnergyPJ - dense.macEnergyPJ / 4) < 1e-9)
    #expect(skipping.computeCycles * 4 == dense.computeCycles)
    #expect(skipping.levels[0].reads[.weight] == dense.levels[0].reads[.weight])
    // Compression: a quarter of the weights move, each with 4 index bits: 0.25 × 12 bits per weight.
    #expect(compressed.levels[0].reads[.weight] == 16 * 24 / 4)
    let weightBytes = Double(16 * 24) * 0.25 * 12 / 8
    let inputBytes = Double(compressed.levels[0].reads[.input] ?? 0), outputBytes = Double(4 * (compressed.levels[0].reads[.output] ?? 0))
    #expect(abs(compressed.levels[0].readBytes - (inputBytes + weightBytes + outputBytes)) < 1e-9)
    #expect(compressed.levels[0].readBytes < dense.levels[0].readBytes)
  }

  @Test func branchAndBoundFindsTheExhaustiveOptimum() throws {
    let conv = try Workload.parseConv("1,6,14,14,16,5,5")
    let spec = try HardwareSpec.preset(named: "eyeriss")
    for metric in Metric.allCases {
      for flow: Dataflow in [.rs, .ws] {
        let options = MapperOptions(metric: metric, dataflows: [flow])
        var exhaustive = options
        exhaustive.branchAndBound = false
        let pruned = try Mapper.search(conv, on: spec, options: options)
        let full = try Mapper.search(conv, on: spec, options: exhaustive)
        #expect(pruned.best.value(of: metric) == full.best.value(of: metric), "\(metric) \(flow)")
        #expect(pruned.spaceSize == full.spaceSize)
        #expect(full.evaluated == full.spaceSize)
        #expect(pruned.evaluated <= full.evaluated)
      }
    }
  }

  @Test func everyMapperResultIsLegal() throws {
    let conv = try Workload.parseConv("1,6,14,14,16,5,5")
    for name in ["eyeriss", "tpu-v1", "edge-npu"] {
      let spec = try HardwareSpec.preset(named: name)
      let best = try Mapper.search(conv, on: spec).best
      try best.mapping.validate(spec: spec, workload: CostModel.modeledWorkload(conv, on: spec))
      let again = try CostModel.evaluate(best.mapping, workload: conv, spec: spec)
      #expect(again == best)
    }
  }

  /// The roofline is an upper bound: no layer may achieve more than its attainable throughput,
  /// including read-dominated layers on DRAMs whose reads and writes use separate ports.
  @Test func achievedNeverExceedsTheRoofline() throws {
    let layers = try [
      Workload.parseConv("1,6,14,14,16,5,5"), Workload.parseConv("1,1,28,28,6,5,5,1,2"),
      Workload.parseGEMM("1,120,400"), Workload.parseGEMM("64,256,784"),
    ]
    for name in ["eyeriss", "tpu-v1", "edge-npu"] {
      let spec = try HardwareSpec.preset(named: name)
      for layer in layers {
        let r = try Mapper.search(layer, on: spec).best.roofline
        #expect(r.achievedOpsPerCycle <= r.attainableOpsPerCycle * (1 + 1e-12), "\(layer.name) on \(name)")
        #expect(r.attainableOpsPerCycle <= r.peakOpsPerCycle * (1 + 1e-12))
      }
    }
  }

  @Test func illegalMappingsAreRejectedWithTheRule() throws {
    let spec = TestSpecs.systolic(rows: 2, cols: 2)
    let gemm = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 5, n: 3, k: 4))
    var mapping = try Mapper.search(gemm, on: spec, options: MapperOptions(dataflows: [.ws])).best.mapping
    mapping.spatialRows[ProblemDim.c.rawValue] = 3
    #expect(throws: SchedulerError.illegalMapping("spatial unrolling 3×2 exceeds the 2×2 array")) {
      try CostModel.evaluate(mapping, workload: gemm, spec: spec)
    }
    #expect(throws: SchedulerError.unsupportedDataflow(dataflow: "rs", hardware: spec.name, supported: ["ws", "os", "is"])) {
      try Mapper.search(gemm, on: spec, options: MapperOptions(dataflows: [.rs]))
    }
  }

  @Test func jsonHasExactlyTheContractFields() throws {
    let spec = TestSpecs.systolic(rows: 2, cols: 2)
    let gemm = try Workload(name: "tiny", kind: .gemm, shape: .gemm(m: 5, n: 3, k: 4))
    let cost = try Mapper.search(gemm, on: spec, options: MapperOptions(metric: .cycles, dataflows: [.ws])).best
    let text = try ReportFormat.encodeJSON(ScheduleReport(spec: spec, costs: [cost]))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(Set(json.keys) == ["hardware", "layers", "total"])
    let layer = try #require((json["layers"] as? [[String: Any]])?.first)
    #expect(Set(layer.keys) == ["name", "m", "n", "k", "dataflow", "mapping", "cycles", "utilization", "energy_pj", "levels"])
    #expect(layer["cycles"] as? Int == 36)
    let level = try #require((layer["levels"] as? [[String: Any]])?.first)
    #expect(Set(level.keys) == ["name", "reads", "writes", "energy_pj"])
    let total = try #require(json["total"] as? [String: Any])
    #expect(Set(total.keys) == ["cycles", "energy_pj", "latency_s"])
    #expect(total["latency_s"] as? Double == 36e-9)
  }

  @Test func spearmanAndRanks() {
    #expect(RankCorrelation.ranks([3, 1, 2, 2]) == [4, 1, 2.5, 2.5])
    #expect(RankCorrelation.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
    #expect(RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
    #expect(abs(RankCorrelation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
  }
}
