extension LayerShape {
  /// Elements of `tensor` touched by a tile with the given extents (sliding-window halo
  /// included for the input).
  /// - Parameters:
  ///   - tensor: which tensor.
  ///   - e: the `extents`, 7 tile extents indexed by ``ProblemDim``.
  public func footprint(of tensor: TensorKind, extents e: [Int]) -> Int {
    switch tensor {
    case .weight: return e[1] * e[2] * e[5] * e[6]
    case .output: return e[0] * e[1] * e[3] * e[4]
    case .input:
      return e[0] * e[2] * min((e[3] - 1) * strideH + e[5], inputHeight) * min((e[4] - 1) * strideW + e[6], inputWidth)
    }
  }
}

/// Bytes per stored element of each tensor for one layer on one spec.
struct ElementSizes: Sendable {
  /// Operand bits (the datatype's width).
  let operandBits: Int
  /// Bits of a partial sum.
  let psumBits: Int
  /// Bits of a final output value.
  let outputBits: Int
  /// Bits per stored weight: the datatype's width, or for sub-byte weights (2–7 bits) their own
  /// width (stored packed; the datapath widens them on the way into the MAC), plus index metadata
  /// when compressed.
  let weightStoredBits: Double
  /// Fraction of weight elements stored (the density when compressed, else 1).
  let weightTrafficScale: Double

  init(spec: HardwareSpec, workload: Workload, datatype: Datatype) {
    operandBits = datatype.bits
    psumBits = spec.array.psumBits
    outputBits = workload.outputBits
    let packedBits = workload.weightBits < 8 ? min(workload.weightBits, datatype.bits) : datatype.bits
    if spec.sparsity.compresses(workload) {
      weightTrafficScale = spec.sparsity.density(of: workload)
      weightStoredBits = Double(packedBits + spec.sparsity.metadataBitsPerNonzero)
    } else {
      weightTrafficScale = 1
      weightStoredBits = Double(packedBits)
    }
  }

  /// Bytes of `elements` accesses of `tensor` (outputs as partial sums; weight counts are
  /// already of stored, i.e. non-zero when compressed, weights).
  func bytes(_ tensor: TensorKind, _ elements: Double) -> Double {
    switch tensor {
    case .input: elements * Double(operandBits) / 8
    case .weight: elements * weightStoredBits / 8
    case .output: elements * Double(psumBits) / 8
    }
  }

  /// Bytes a tile of `denseElements` elements of `tensor` occupies (compressed weights keep
  /// only their non-zeros).
  func storedBytes(_ tensor: TensorKind, _ denseElements: Double) -> Double {
    bytes(tensor, tensor == .weight ? denseElements * weightTrafficScale : denseElements)
  }
}

extension Mapping {
  /// Checks that the mapping is legal for `workload` on `spec`.
  ///
  /// Tiles shrink inward and fit each level's capacity (per partition), spatial factors
  /// use only the dataflow's row/column dimensions and fit the array, the innermost shared
  /// loop order keeps the dataflow's stationary tensor in place, systolic PEs hold one
  /// value, and row-stationary PEs hold one full filter row of one output row.
  ///
  /// - Parameters:
  ///   - spec: the hardware.
  ///   - workload: the layer (already lowered for systolic arrays).
  /// - Throws: ``SchedulerError/illegalMapping(_:)`` naming the first violated rule.
  public func validate(spec: HardwareSpec, workload: Workload) throws {
    let shape = workload.shape
    let levelCount = spec.levels.count
    func fail(_ message: String) -> SchedulerError { .illegalMapping(message) }
    guard tiles.count == levelCount, tiles.allSatisfy({ $0.count == ProblemDim.count }) else {
      throw fail("need \(levelCount) tiles of 7 extents (one per level), got \(tiles.count)")
    }
    guard orders.count == levelCount - 1 else { throw fail("need \(levelCount - 1) loop orders, got \(orders.count)") }
    guard spatialRows.count == ProblemDim.count, spatialCols.count == ProblemDim.count else {
      throw fail("spatial factors need 7 entries")
    }
    guard tiles[0] == shape.bounds else { throw fail("the outermost tile must be the whole layer \(shape.bounds)") }
    for level in 1..<levelCount {
      for dim in ProblemDim.allCases {
        let t = tiles[level][dim.rawValue], parent = tiles[level - 1][dim.rawValue]
        guard t >= 1, t <= parent else {
          throw fail("\(spec.levels[level].name) tile \(dim) = \(t) must be in 1...\(parent)")
        }
      }
    }
    guard spec.array.dataflows.contains(dataflow) else {
      throw SchedulerError.unsupportedDataflow(
        dataflow: dataflow.rawValue, hardware: spec.name, supported: spec.array.dataflows.map(\.rawValue))
    }
    for dim in ProblemDim.allCases {
      let r = spatialRows[dim.rawValue], c = spatialCols[dim.rawValue]
      guard r >= 1, c >= 1 else { throw fail("spatial factors of \(dim) must be at least 1") }
      if r > 1, !dataflow.rowDims.contains(dim) { throw fail("\(dataflow) cannot unroll \(dim) across rows") }
      if c > 1, !dataflow.colDims.contains(dim) { throw fail("\(dataflow) cannot unroll \(dim) across columns") }
      let pe = tiles[levelCount - 1][dim.rawValue], shared = tiles[levelCount - 2][dim.rawValue]
      if r * c > (shared + pe - 1) / pe {
        throw fail("\(r * c) PEs along \(dim) but the \(spec.levels[levelCount - 2].name) tile only has \((shared + pe - 1) / pe) PE tiles")
      }
    }
    for dim in ProblemDim.allCases {
      let chain = self.chain(dim)
      for depth in 0..<(levelCount - 1) where !chain.isConsistent(from: depth) {
        let name = depth + 1 < levelCount - 1 ? spec.levels[depth + 1].name : "the spatial block"
        throw fail("tiles of \(dim) \(chain.sizes): a remainder \(spec.levels[depth].name) tile fits in one \(name) tile while full ones do not (make the tiles nest)")
      }
    }
    guard rowsUsed <= spec.array.rows, colsUsed <= spec.array.cols else {
      throw fail("spatial unrolling \(rowsUsed)×\(colsUsed) exceeds the \(spec.array.rows)×\(spec.array.cols) array")
    }
    if let stationary = dataflow.stationaryTensor {
      let inner = orders[levelCount - 2].groups.last!
      guard inner.stationaryTensor == stationary else {
        throw fail("\(dataflow) needs the \(LoopOrder.stationary(stationary)) order innermost at \(spec.levels[levelCount - 2].name) (got \(orders[levelCount - 2]))")
      }
    }
    let pe = tiles[levelCount - 1]
    if spec.array.kind == .systolic, pe.contains(where: { $0 != 1 }) {
      throw fail("a systolic PE holds one value: the PE tile must be all 1s")
    }
    if dataflow == .rs, pe[ProblemDim.r.rawValue] != 1 || pe[ProblemDim.p.rawValue] != 1 || pe[ProblemDim.s.rawValue] != shape[.s] {
      throw fail("row-stationary PEs hold one filter row (r = 1, s = \(shape[.s])) of one output row (p = 1)")
    }
    let datatype = try spec.datatype(inputBits: workload.inputBits, weightBits: workload.weightBits)
    let sizes = ElementSizes(spec: spec, workload: workload, datatype: datatype)
    for level in 1..<levelCount {
      let memory = spec.levels[level]
      var bytes: [TensorKind: Double] = [:]
      for tensor in memory.holds {
        bytes[tensor] = sizes.storedBytes(tensor, Double(shape.footprint(of: tensor, extents: tiles[level])))
      }
      guard memory.fits(bytes) else {
        let need = TensorKind.allCases.compactMap { t in bytes[t].map { "\(t) \(YAMLField.format($0.rounded(.up))) B" } }
        throw fail("\(memory.name) tile needs \(need.joined(separator: ", ")); capacity \(memory.capacityBytes.map { "\($0) B" } ?? "unbounded")\(memory.partitions.isEmpty ? "" : " (partitioned)")")
      }
    }
  }
}
