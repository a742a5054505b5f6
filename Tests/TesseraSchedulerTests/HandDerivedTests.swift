import Testing
@testable import TesseraScheduler

/// Costs small enough to derive by hand, on a 2×2 systolic array (bandwidth never binds).
///
/// SCALE-Sim's closed forms (scalesim/compute/systolic_compute_{ws,os,is}.py): a GEMM
/// A[M][K]·B[K][N] is folded over the array; each fold streams T values through every row,
///   WS: rows ← K, cols ← N, T = M, fold = T + 2R + C − 2 cycles (R weight-load cycles,
///       R + C − 2 skew/drain);
///   OS: rows ← M, cols ← N, T = K, fold = T + R + C − 2;
///   IS: rows ← K, cols ← M, T = N, fold = T + 2R + C − 2.
/// SCALE-Sim prints the index of the last cycle, i.e. our count − 1.
struct HandDerivedTests {
  let spec = TestSpecs.systolic(rows: 2, cols: 2)
  let gemm = try! Workload(name: "tiny", kind: .gemm, shape: .gemm(m: 5, n: 3, k: 4))

  func best(_ flow: Dataflow) throws -> LayerCost {
    try Mapper.search(gemm, on: spec, options: MapperOptions(metric: .cycles, dataflows: [flow])).best
  }

  func sram(_ cost: LayerCost) -> LevelCost { cost.levels[1] }

  @Test func weightStationary() throws {
    let cost = try best(.ws)
    // folds = ⌈K/R⌉·⌈N/C⌉ = 2·2 = 4; each streams T = M = 5: 4·(5 + 2·2 + 2 − 2) = 36.
    #expect(cost.folds == 4)
    #expect(cost.computeCycles == 20)
    #expect(cost.cycles == 36)
    // Every column fold streams all of A: ⌈N/C⌉·M·K = 2·5·4 = 40; B is read once: K·N = 12.
    #expect(sram(cost).reads[.input] == 40)
    #expect(sram(cost).reads[.weight] == 12)
    // Each row fold writes M·N partial sums (30); the second reads the first's back (15),
    // and the 15 finished sums are read once more on their way to DRAM: 30 reads.
    #expect(sram(cost).writes[.output] == 30)
    #expect(sram(cost).reads[.output] == 30)
  }

  @Test func outputStationary() throws {
    let cost = try best(.os)
    // folds = ⌈M/R⌉·⌈N/C⌉ = 3·2 = 6; each streams T = K = 4: 6·(4 + 2 + 2 − 2) = 36.
    #expect(cost.folds == 6)
    #expect(cost.cycles == 36)
    // A is re-read per column fold: ⌈N/C⌉·M·K = 40; B per row fold: ⌈M/R⌉·K·N = 36.
    #expect(sram(cost).reads[.input] == 40)
    #expect(sram(cost).reads[.weight] == 36)
    // Outputs stay in the PEs until complete: written once, read once on their way to DRAM.
    #expect(sram(cost).writes[.output] == 15)
    #expect(sram(cost).reads[.output] == 15)
  }

  @Test func inputStationary() throws {
    let cost = try best(.is)
    // folds = ⌈K/R⌉·⌈M/C⌉ = 2·3 = 6; each streams T = N = 3: 6·(3 + 2·2 + 2 − 2) = 42.
    #expect(cost.folds == 6)
    #expect(cost.cycles == 42)
    // A is read once: M·K = 20; B per column fold: ⌈M/C⌉·K·N = 36.
    #expect(sram(cost).reads[.input] == 20)
    #expect(sram(cost).reads[.weight] == 36)
    #expect(sram(cost).writes[.output] == 30)
  }

  @Test func dramSeesEachTensorOnceWhenEverythingFits() throws {
    let cost = try best(.ws)
    #expect(cost.levels[0].reads[.input] == 20)
    #expect(cost.levels[0].reads[.weight] == 12)
    #expect(cost.levels[0].writes[.output] == 15)
    #expect(cost.levels[0].reads[.output] == 0)
    #expect(cost.macs == 60)
  }
}
