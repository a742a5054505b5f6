import Testing
@testable import TesseraScheduler

/// The closed-form access counts (``AccessCounter`` via ``CostModel``) must equal a brute-force
/// replay of the loop nest (``TrafficSimulator``) element for element, on random mappings with
/// partial tiles, bypassed levels, spatial unrolling and sliding windows.
struct SimulatorAgreementTests {
  struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  /// A 3-level spatial spec (DRAM › buffer that bypasses weights › per-PE) with a 4×3 array.
  static let spatialSpec = HardwareSpec(
    name: "sim", clockHz: 1e9,
    levels: [
      MemoryLevel(name: "DRAM", capacityBytes: nil, readBandwidth: 8, writeBandwidth: 8, readEnergyPerByte: 100, writeEnergyPerByte: 100),
      MemoryLevel(name: "GLB", capacityBytes: 1 << 20, readBandwidth: 8, writeBandwidth: 8, readEnergyPerByte: 6, writeEnergyPerByte: 6,
        holds: [.input, .output]),
      MemoryLevel(name: "L1", capacityBytes: 1 << 16, readBandwidth: 8, writeBandwidth: 8, readEnergyPerByte: 2, writeEnergyPerByte: 2),
      MemoryLevel(name: "RF", capacityBytes: 1 << 12, readBandwidth: 8, writeBandwidth: 8, readEnergyPerByte: 1, writeEnergyPerByte: 1, perPE: true),
    ],
    array: PEArray(kind: .spatial, rows: 4, cols: 3, psumBits: 16,
      datatypes: [Datatype(name: "int8", bits: 8, macEnergyPJ: 1)], dataflows: [.ws, .os, .is, .rs]))

  func randomMapping(_ shape: LayerShape, spec: HardwareSpec, flow: Dataflow, rng: inout SplitMix) -> Mapping {
    let levels = spec.levels.count
    var rows = [Int](repeating: 1, count: 7), cols = rows
    var rowBudget = spec.array.rows, colBudget = spec.array.cols
    for dim in flow.rowDims {
      let f = 1 + rng.next(min(rowBudget, shape[dim]))
      rows[dim.rawValue] = f
      rowBudget /= f
    }
    for dim in flow.colDims {
      let f = 1 + rng.next(min(colBudget, shape[dim]))
      cols[dim.rawValue] = f
      colBudget /= f
    }
    var tiles = [shape.bounds]
    for _ in 1..<levels {
      // Mostly divisors of the parent (always nest), sometimes any size (partial tiles).
      tiles.append(tiles.last!.map { parent in
        if rng.next(4) == 0 { return 1 + rng.next(parent) }
        let divisors = (1...parent).filter { parent % $0 == 0 }
        return divisors[rng.next(divisors.count)]
      })
    }
    // Keep every PE busy somewhere: no more PEs along a dimension than PE tiles in the shared tile.
    for d in 0..<7 {
      let pe = tiles[levels - 1][d], shared = tiles[levels - 2][d]
      let maxPEs = (shared + pe - 1) / pe
      while rows[d] * cols[d] > maxPEs { if rows[d] > 1 { rows[d] -= 1 } else { cols[d] -= 1 } }
    }
    let orders = (0..<(levels - 1)).map { _ in LoopOrder.all[rng.next(6)] }
    return Mapping(dataflow: flow, tiles: tiles, spatialRows: rows, spatialCols: cols, orders: orders)
  }

  func check(_ shape: LayerShape, spec: HardwareSpec, seeds: Range<UInt64>) throws {
    let workload = try Workload(name: "w", kind: .conv, shape: shape)
    var checked = 0
    defer { #expect(checked >= seeds.count / 4, "too few legal random mappings (\(checked))") }
    for seed in seeds {
      var rng = SplitMix(state: seed)
      let flow = spec.array.dataflows[rng.next(spec.array.dataflows.count)]
      let mapping = randomMapping(shape, spec: spec, flow: flow, rng: &rng)
      // Only consistent tilings are legal (see TileChain.isConsistent); skip the rest.
      let uniform = ProblemDim.allCases.allSatisfy { dim in
        let chain = mapping.chain(dim)
        return (0..<(spec.levels.count - 1)).allSatisfy { chain.isConsistent(from: $0) }
      }
      guard uniform else { continue }
      checked += 1
      let cost = CostModel.cost(
        mapping, workload: workload, modeled: workload, spec: spec,
        datatype: spec.array.datatypes[0])
      var sim = TrafficSimulator(shape: shape, mapping: mapping, spec: spec)
      sim.run()
      for (index, level) in spec.levels.enumerated() {
        for (t, tensor) in TensorKind.allCases.enumerated() {
          #expect(cost.levels[index].reads[tensor] == sim.reads[index][t], "seed \(seed) \(level.name) \(tensor) reads: \(mapping)")
          #expect(cost.levels[index].writes[tensor] == sim.writes[index][t], "seed \(seed) \(level.name) \(tensor) writes: \(mapping)")
        }
      }
      if spec.array.kind == .spatial {
        let noc = cost.levels.last!
        for (t, tensor) in TensorKind.allCases.enumerated() {
          #expect(noc.writes[tensor] == sim.noc[t], "seed \(seed) NoC \(tensor): \(mapping)")
        }
      }
      #expect(AccessCounter(shape: shape, mapping: mapping, im2col: false).steps == sim.steps, "seed \(seed) steps")
    }
  }

  @Test func convolutionWithSlidingWindows() throws {
    let shape = try LayerShape(n: 2, k: 5, c: 3, p: 6, q: 5, r: 3, s: 2, strideH: 2, strideW: 1)
    try check(shape, spec: Self.spatialSpec, seeds: 0..<300)
  }

  @Test func gemmOnASystolicArray() throws {
    let spec = TestSpecs.systolic(rows: 3, cols: 2)
    let shape = try LayerShape.gemm(m: 7, n: 5, k: 9)
    try check(shape, spec: spec, seeds: 100..<400)
  }
}
