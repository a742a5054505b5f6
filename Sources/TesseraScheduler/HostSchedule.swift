import Foundation
import Tessera

/// `--hardware host` end to end: the spec, the mapper constraints of the int8 kernels, a
/// measured run of a mapping, and the predicted-versus-measured sweep over tilings.
public enum HostSchedule {
  /// The int8 GEMM kernel the host runs (the dispatch table's choice, honouring TESSERA_ISA).
  /// - Throws: `TesseraError.unsupportedISA(_:)` when TESSERA_ISA names an unavailable ISA.
  public static func kernel() throws -> Int8Kernel { try Int8Kernel.selected(for: .gemm) }

  /// The host spec with the int8 peak measured by `tsr_peak_gops`.
  /// - Parameter options: measurement times.
  /// - Throws: spec errors (no caches reported).
  public static func spec(options: HostHardware.Options = .init()) throws -> HardwareSpec {
    try HostHardware.detect(options: options)
  }

  /// Mapper options for the host's kernel (see ``MapperOptions/host(metric:mr:nr:)``).
  /// - Parameter metric: what to minimise (cycles by default: host energy is not modeled).
  /// - Throws: kernel selection errors.
  public static func mapperOptions(metric: Metric = .cycles) throws -> MapperOptions {
    let kernel = try kernel()
    return MapperOptions.host(metric: metric, mr: kernel.mr, nr: kernel.nr)
  }

  /// Runs `cost`'s mapping on the host and measures it.
  /// - Parameters:
  ///   - cost: a layer's modeled cost on the host spec.
  ///   - spec: the host spec.
  ///   - minSeconds: measuring time.
  /// - Throws: ``SchedulerError/executionFailed(_:)`` when the mapping cannot run on the kernels.
  public static func measure(_ cost: LayerCost, spec: HardwareSpec, minSeconds: Double = 0.3) throws -> HostMeasurement {
    try HostExecutor(cost: cost, spec: spec, kernel: kernel()).measure(minSeconds: minSeconds)
  }

  /// Modeled GOP/s of a cost: 2·MACs over the modeled latency.
  /// - Parameter cost: a layer cost.
  public static func predictedGOPS(_ cost: LayerCost) -> Double {
    2 * Double(cost.macs) / cost.latencySeconds / 1e9
  }

  /// Measures the mapper's choice and at least `count − 1` other legal tilings spread over the
  /// predicted range, then ranks predicted against measured throughput.
  /// - Parameters:
  ///   - workload: the layer.
  ///   - chosen: the mapper's best cost.
  ///   - spec: the host spec.
  ///   - options: the mapper options used.
  ///   - count: tilings to run (≥ 20 by default).
  ///   - rounds: timed runs of each tiling (its best is kept).
  ///   - progress: called while preparing each tiling with (index, total).
  /// - Throws: mapper or execution errors.
  public static func sweep(
    _ workload: Workload, chosen: LayerCost, spec: HardwareSpec, options: MapperOptions, count: Int = 24,
    rounds: Int = 25, progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> SweepResult {
    let candidates = try sweepCandidates(workload, chosen: chosen, spec: spec, options: options, count: count)
    let kernel = try kernel()
    var executors: [HostExecutor] = []
    for (index, cost) in candidates.enumerated() {
      progress(index + 1, candidates.count)
      executors.append(try HostExecutor(cost: cost, spec: spec, kernel: kernel))
    }
    let measured = interleavedBest(executors, rounds: rounds)
    return SweepResult(
      mappings: candidates.map(\.mappingText), predicted: candidates.map(predictedGOPS), measured: measured,
      chosenIndex: 0)
  }

  /// GOP/s of each executor, the best of `rounds` runs taken round-robin so that interference
  /// from other processes hits every tiling alike (the 2-core CI machines are shared).
  static func interleavedBest(_ executors: [HostExecutor], rounds: Int) -> [Double] {
    var best = [Double](repeating: .infinity, count: executors.count)
    for executor in executors { executor.runOnce() }  // warm-up: pages, packed weights
    for _ in 0..<rounds {
      for (i, executor) in executors.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        executor.runOnce()
        best[i] = min(best[i], Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
    }
    return zip(executors, best).map { 2 * Double($0.shape.macs) / $1 / 1e9 }
  }

  /// The mapper's choice first, then legal tilings stratified by predicted throughput: the
  /// distinct predicted values (within 0.1 %) are visited round-robin, each time taking the
  /// next tiling of that group spread evenly over its members, so every level of the
  /// prediction is represented about equally.
  static func sweepCandidates(
    _ workload: Workload, chosen: LayerCost, spec: HardwareSpec, options: MapperOptions, count: Int
  ) throws -> [LayerCost] {
    let all = try Mapper.enumerate(workload, on: spec, options: options).filter { $0.mapping != chosen.mapping }
    var groups: [Int: [LayerCost]] = [:]
    for cost in all {
      let key = Int((log(predictedGOPS(cost)) / log(1.001)).rounded())
      groups[key, default: []].append(cost)
    }
    let ordered = groups.keys.sorted(by: >).map { groups[$0]! }
    var taken = [Int](repeating: 0, count: ordered.count)
    var picked: [LayerCost] = []
    while picked.count < count - 1 && picked.count < all.count {
      for (g, members) in ordered.enumerated() where taken[g] < members.count && picked.count < count - 1 {
        // Spread the picks of a group over its members (which differ in the other loops).
        let stride = max(1, members.count / max(1, (count - 1) / ordered.count + 1))
        let index = (taken[g] * stride) % members.count
        picked.append(members[index])
        taken[g] += 1
      }
    }
    return [chosen] + picked
  }
}
