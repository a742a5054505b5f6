import Foundation
import Testing
@testable import TesseraScheduler

/// Hardware that skips zeros only for 2:4 weights (NVIDIA Ampere-style), the pattern detection,
/// the `structure` field of the spec, and the sub-byte weight storage width.
struct SparsityStructureTests {
  static func twoFour() -> SparsitySupport {
    SparsitySupport(skipZeroWeights: true, compressedWeights: true, metadataBitsPerNonzero: 2, structure: .twoFour)
  }

  func best(_ workload: Workload, _ spec: HardwareSpec) throws -> LayerCost {
    try Mapper.search(workload, on: spec, options: MapperOptions(metric: .energy, dataflows: [.ws])).best
  }

  @Test func detectsTwoFourPerOutputRow() {
    // 2 rows × 10 inputs: groups [0..<4], [4..<8], [8..<10].
    var nonzero = [Bool](repeating: false, count: 20)
    for i in [0, 3, 5, 6, 8, 9, 10, 11, 16, 19] { nonzero[i] = true }
    #expect(SparsityStructure.detect(nonzero: nonzero, columns: 10) == .twoFour)
    nonzero[1] = true  // three in the first group of row 0
    #expect(SparsityStructure.detect(nonzero: nonzero, columns: 10) == .unstructured)
    // 50 % zeros, but three non-zeros in a group of four: not 2:4.
    let halves = (0..<16).map { $0 % 8 < 4 }
    #expect(SparsityStructure.detect(nonzero: halves, columns: 16) == .unstructured)
    #expect(SparsityStructure.detect(nonzero: [], columns: 4) == .unstructured)
  }

  @Test func twoFourWorkloadOnTwoFourHardwareHalvesMacsAndCycles() throws {
    let spec = try HardwareSpec.preset(named: "edge-npu-sparse")
    let dense = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 32, n: 64, k: 128))
    var pruned = dense
    pruned.weightDensity = 0.5
    pruned.weightStructure = .twoFour
    let a = try best(dense, spec), b = try best(pruned, spec)
    #expect(a.macs == 32 * 64 * 128)
    #expect(b.macs * 2 == a.macs)
    #expect(b.computeCycles * 2 == a.computeCycles)
    #expect(abs(b.macEnergyPJ * 2 - a.macEnergyPJ) < 1e-9)
    // Half the weights move, each 8 + 2 metadata bits: 0.5 × 10 / 8 of the dense weight bytes.
    #expect(b.levels[0].reads[.weight] == 64 * 128 / 2)
    // More zeros than 2:4 still costs exactly half: the hardware keeps 2 of every 4.
    var sparser = pruned
    sparser.weightDensity = 0.3
    #expect(try best(sparser, spec).macs == b.macs)
  }

  @Test func unstructuredHalfSparseWorkloadOnTwoFourHardwareRunsDense() throws {
    let twoFourSpec = try HardwareSpec.preset(named: "edge-npu-sparse")
    let denseSpec = try HardwareSpec.preset(named: "edge-npu")
    var unstructured = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 32, n: 64, k: 128))
    unstructured.weightDensity = 0.5
    let onTwoFour = try best(unstructured, twoFourSpec), onDense = try best(unstructured, denseSpec)
    #expect(onTwoFour.macs == 32 * 64 * 128)
    #expect(onTwoFour.computeCycles == onDense.computeCycles)
    #expect(onTwoFour.energyPJ == onDense.energyPJ)
    // The same density on unstructured-sparsity hardware is skipped.
    var spec = denseSpec
    spec.sparsity = SparsitySupport(skipZeroWeights: true)
    #expect(try best(unstructured, spec).macs * 2 == onDense.macs)
  }

  @Test func structureFieldParsesAndRejectsOtherValues() throws {
    let base = HardwareSpecTests.minimal
    let twoFour = try HardwareSpec(yaml: base + "\nsparsity: {structure: \"2:4\", skip_zero_weights: true}")
    #expect(twoFour.sparsity.structure == .twoFour)
    #expect(try HardwareSpec(yaml: base + "\nsparsity: {skip_zero_weights: true}").sparsity.structure == .unstructured)
    #expect(try HardwareSpec(yaml: base + "\nsparsity: {structure: unstructured}").sparsity.structure == .unstructured)
    for bad in ["\"1:4\"", "block", "4"] {
      do {
        _ = try HardwareSpec(yaml: base + "\nsparsity: {structure: \(bad)}")
        Issue.record("structure \(bad) accepted")
      } catch {
        #expect("\(error)".contains("structure") && "\(error)".contains("2:4"))
      }
    }
  }

  @Test func subByteWeightsMoveAtTheirWidthWithTheDatatypesMacEnergy() throws {
    let spec = try HardwareSpec.preset(named: "edge-npu")
    let int8 = try Workload(name: "g", kind: .gemm, shape: .gemm(m: 1, n: 64, k: 256))
    var int4 = int8
    int4.weightBits = 4
    let a = try best(int8, spec), b = try best(int4, spec)
    // Both compute in int8 (the only datatype): same MACs and MAC energy.
    #expect(a.datatype.name == "int8" && b.datatype.name == "int8")
    #expect(a.macEnergyPJ == b.macEnergyPJ && a.macs == b.macs)
    // A weight read from DRAM is one byte at 8 bits, half a byte at 4.
    let weightBytes = { (c: LayerCost) in c.levels[0].readBytes - Double(c.levels[0].reads[.input] ?? 0) - 4 * Double(c.levels[0].reads[.output] ?? 0) }
    #expect(abs(weightBytes(a) - Double(a.levels[0].reads[.weight] ?? -1)) < 1e-9)
    #expect(abs(weightBytes(b) - Double(b.levels[0].reads[.weight] ?? -1) / 2) < 1e-9)
    #expect(b.energyPJ < a.energyPJ)
  }
}
