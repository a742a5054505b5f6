import Foundation

/// Options of a mapper search.
public struct MapperOptions: Sendable {
  /// What to minimise.
  public var metric: Metric
  /// Dataflows to try (`nil` = every dataflow the hardware supports).
  public var dataflows: [Dataflow]?
  /// Skip subtrees whose lower bound cannot beat the best mapping found so far. The result
  /// is the same optimum; `false` evaluates every legal mapping (for benchmarks).
  public var branchAndBound: Bool
  /// Search only spatial unrollings that cannot grow (no factor can take its next candidate
  /// without overflowing its array side): the "fill the array" heuristic. `false` searches every
  /// legal unrolling (`--exhaustive`).
  public var maximalOnly: Bool
  /// A fixed PE tile (7 extents), e.g. the host micro-kernel's register block; `nil` = search.
  public var peTile: [Int]?
  /// Dimensions that shared levels keep whole (the host kernels requantize per call, so the
  /// reduction cannot be split across calls).
  public var untiledDims: Set<ProblemDim>
  /// A fixed loop order for the innermost shared level (the host kernel's own order), `nil` = search.
  public var innermostOrder: LoopOrder?

  /// Makes options.
  /// - Parameters:
  ///   - metric: what to minimise.
  ///   - dataflows: dataflows to try (`nil` = all supported).
  ///   - branchAndBound: prune by lower bounds (exact) or evaluate everything.
  ///   - peTile: a fixed PE tile, or `nil` to search PE tiles.
  ///   - untiledDims: dimensions every shared level keeps whole.
  public init(
    metric: Metric = .energy, dataflows: [Dataflow]? = nil, branchAndBound: Bool = true, peTile: [Int]? = nil,
    untiledDims: Set<ProblemDim> = []
  ) {
    self.metric = metric
    self.dataflows = dataflows
    self.branchAndBound = branchAndBound
    maximalOnly = true
    self.peTile = peTile
    self.untiledDims = untiledDims
    innermostOrder = nil
  }

  /// The constraints `--hardware host` runs under, which are how the int8 kernels work: the
  /// micro-kernel's `mr × nr` register block is the PE tile (output-stationary: the whole
  /// reduction streams through it, so shared levels keep it whole — the kernels requantize
  /// per call), and inside one call the kernel walks `mr`-row tiles, then `nr`-column panels.
  /// - Parameters:
  ///   - metric: what to minimise.
  ///   - mr: kernel rows.
  ///   - nr: kernel columns.
  public static func host(metric: Metric = .cycles, mr: Int, nr: Int) -> MapperOptions {
    var options = MapperOptions(metric: metric, dataflows: [.os], peTile: [mr, nr, 1, 1, 1, 1, 1], untiledDims: [.c, .r, .s])
    options.innermostOrder = LoopOrder([.pixels, .filters, .reduction])
    return options
  }

  /// Every legal mapping, every one evaluated (benchmarks and `--exhaustive`).
  public static var exhaustive: MapperOptions {
    var options = MapperOptions(branchAndBound: false)
    options.maximalOnly = false
    return options
  }
}

/// The outcome of a mapper search.
public struct MapperResult: Sendable {
  /// The best mapping's cost over every dataflow tried.
  public var best: LayerCost
  /// The best per dataflow tried (dataflows without a legal mapping are absent).
  public var bestPerDataflow: [Dataflow: LayerCost]
  /// Legal mappings in the searched space (after removing loop orders that cannot change
  /// any count): the size of the space searched.
  public var spaceSize: Int
  /// Mappings fully evaluated by the cost model (the rest were cut by lower bounds).
  public var evaluated: Int
  /// Wall-clock seconds of the search.
  public var seconds: Double
}

/// Searches legal mappings of a layer and returns the best under a metric.
///
/// The space: spatial unrollings of the dataflow's row/column dimensions that fit the array
/// (divisors, plus padded full folds); PE tiles that fit the PE-local storage (one value on
/// systolic arrays); for each shared level, tiles that are multiples of the spatial block and
/// fit its capacity; and for each level the distinct orders of its non-trivial loop groups.
/// The search walks levels from DRAM inward; each level's refill traffic is exact as soon as
/// its tile and the order above it are chosen, which gives a lower bound for branch and bound.
public enum Mapper {
  /// Finds the best mapping.
  /// - Parameters:
  ///   - workload: the layer.
  ///   - spec: the hardware.
  ///   - options: metric, dataflows, pruning.
  /// - Throws: ``SchedulerError/unsupportedDataflow(dataflow:hardware:supported:)`` or
  ///   ``SchedulerError/noLegalMapping(_:)`` naming the level that is too small.
  public static func search(_ workload: Workload, on spec: HardwareSpec, options: MapperOptions = .init()) throws -> MapperResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let flows = options.dataflows ?? spec.array.dataflows
    for flow in flows where !spec.array.dataflows.contains(flow) {
      throw SchedulerError.unsupportedDataflow(
        dataflow: flow.rawValue, hardware: spec.name, supported: spec.array.dataflows.map(\.rawValue))
    }
    let datatype = try spec.datatype(inputBits: workload.inputBits, weightBits: workload.weightBits)
    var perFlow: [Dataflow: LayerCost] = [:]
    var space = 0, evaluated = 0
    var best: LayerCost?
    for flow in flows {
      let search = MapperSearch(spec: spec, workload: workload, datatype: datatype, dataflow: flow, options: options)
      search.run()
      space += search.space
      evaluated += search.evaluated
      if let found = search.best {
        perFlow[flow] = found
        if best == nil || found.value(of: options.metric) < best!.value(of: options.metric) { best = found }
      }
    }
    guard let best else { throw SchedulerError.noLegalMapping(explainFailure(workload, on: spec)) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return MapperResult(best: best, bestPerDataflow: perFlow, spaceSize: space, evaluated: evaluated, seconds: seconds)
  }

  /// Every legal mapping of the space with its cost (no pruning), for sweeps and studies.
  /// - Parameters:
  ///   - workload: the layer.
  ///   - spec: the hardware.
  ///   - options: dataflows and constraints.
  /// - Throws: as ``search(_:on:options:)``.
  public static func enumerate(_ workload: Workload, on spec: HardwareSpec, options: MapperOptions = .init()) throws -> [LayerCost] {
    let datatype = try spec.datatype(inputBits: workload.inputBits, weightBits: workload.weightBits)
    var options = options
    options.branchAndBound = false
    var all: [LayerCost] = []
    for flow in options.dataflows ?? spec.array.dataflows {
      let search = MapperSearch(spec: spec, workload: workload, datatype: datatype, dataflow: flow, options: options)
      search.collected = []
      search.run()
      all += search.collected ?? []
    }
    return all
  }

  /// Why nothing fits: the first level that cannot hold the smallest tile of this layer.
  static func explainFailure(_ workload: Workload, on spec: HardwareSpec) -> String {
    let modeled = CostModel.modeledWorkload(workload, on: spec)
    guard let datatype = try? spec.datatype(inputBits: workload.inputBits, weightBits: workload.weightBits) else {
      return "\(workload.name): no datatype"
    }
    let sizes = ElementSizes(spec: spec, workload: modeled, datatype: datatype)
    var minimal = [Int](repeating: 1, count: ProblemDim.count)
    minimal[ProblemDim.s.rawValue] = 1
    for (index, level) in spec.levels.enumerated() where index > 0 {
      var bytes: [TensorKind: Double] = [:]
      for tensor in level.holds {
        bytes[tensor] = sizes.storedBytes(tensor, Double(modeled.shape.footprint(of: tensor, extents: minimal)))
      }
      if !level.fits(bytes) {
        return "\(workload.name): \(level.name) cannot hold even a 1-element tile of each tensor"
      }
    }
    return "\(workload.name): no tiling fits \(spec.name)'s levels for the requested dataflows (row-stationary needs a full filter row \(modeled.shape[.s]) in the PE)"
  }
}
