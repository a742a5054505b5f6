/// Searches pipelines: contiguous partitions of the topological order into at most one stage
/// per core, by dynamic programming minimising the bottleneck (docs/scheduler.md §10):
///
///     best[s][j] = min over i < j of max(best[s−1][i], link(i), stage(s−1, i…j−1))
///
/// where `stage(c, range)` is the fused schedule of the range on core `c` (edges leaving the
/// range travel over the interconnect) and `link(i)` the time to send every activation that
/// crosses the cut before layer `i`. Shared DRAM is checked after the search: when the cores
/// share it, the period is at least the DRAM time of one input's total traffic.
public enum PipelinePlanner {
  /// The best pipeline of `network` on `spec`'s cores (a single-core spec gives one stage).
  /// - Parameters:
  ///   - network: the layers.
  ///   - spec: the hardware.
  ///   - options: mapper options (metric for fusion).
  ///   - fuse: fuse layers inside stages.
  /// - Throws: ``SchedulerError/noLegalMapping(_:)`` when a layer maps onto no core.
  public static func plan(_ network: NetworkGraph, on spec: HardwareSpec, options: MapperOptions = .init(), fuse: Bool = true) throws -> PipelineSchedule {
    let cores = spec.coreSpecs
    var schedulers: [HardwareSpec: SegmentScheduler] = [:]
    var perCore: [SegmentScheduler] = []
    for core in cores {
      var key = core
      key.name = ""
      if let existing = schedulers[key] {
        perCore.append(existing)
      } else {
        let made = try SegmentScheduler(network: network, spec: spec, core: core, options: options)
        schedulers[key] = made
        perCore.append(made)
      }
    }
    let n = network.layers.count
    let link = spec.multiCore?.interconnect
    // Bytes crossing the cut before layer j (edges from < j to ≥ j that fit the receiving buffer).
    func crossing(_ j: Int) -> Double {
      network.edges.filter { $0.producer < j && $0.consumer >= j && $0.bytes <= Double(perCore[0].buffer.capacityBytes) }
        .reduce(0) { $0 + $1.bytes }
    }
    func linkCycles(_ j: Int) -> Double {
      guard let link else { return 0 }
      let bytes = crossing(j)
      return bytes > 0 ? bytes / link.bandwidth + link.hopLatencyCycles : 0
    }
    struct Entry { var bottleneck: Double; var from: Int; var groups: [FusionGroup] }
    var best = [[Entry?]](repeating: [Entry?](repeating: nil, count: n + 1), count: cores.count + 1)
    best[0][0] = Entry(bottleneck: 0, from: 0, groups: [])
    for s in 1...min(cores.count, n) {
      for j in s...n {
        for i in (s - 1)..<j {
          guard let previous = best[s - 1][i] else { continue }
          let groups = try perCore[s - 1].fusionGroups(i...(j - 1), stage: i...(j - 1), fuse: fuse)
          let stageCycles = Double(groups.reduce(0) { $0 + $1.cycles })
          let value = max(previous.bottleneck, i > 0 ? linkCycles(i) : 0, stageCycles)
          if best[s][j] == nil || value < best[s][j]!.bottleneck {
            best[s][j] = Entry(bottleneck: value, from: i, groups: groups)
          }
        }
      }
    }
    var stageCount = 1
    for s in 1...min(cores.count, n) where best[s][n] != nil {
      if best[s][n]!.bottleneck < best[stageCount][n]!.bottleneck { stageCount = s }
    }
    var stages: [PipelineStage] = []
    var end = n
    for s in stride(from: stageCount, through: 1, by: -1) {
      let entry = best[s][end]!
      stages.insert(PipelineStage(
        core: s - 1, coreName: cores[s - 1].name, layers: entry.from...(end - 1), groups: entry.groups,
        sendBytes: end < n ? crossing(end) : 0, linkCycles: end < n ? linkCycles(end) : 0), at: 0)
      end = entry.from
    }
    var period = 0.0, bottleneck = ""
    for (index, stage) in stages.enumerated() {
      if Double(stage.cycles) > period { period = Double(stage.cycles); bottleneck = "stage \(index) (\(stage.coreName))" }
      if stage.linkCycles > period { period = stage.linkCycles; bottleneck = "link \(index)→\(index + 1)" }
    }
    var dramCycles = 0.0
    if stages.count > 1, spec.multiCore?.dramShared ?? true {
      let dram = spec.levels[0]
      let read = stages.flatMap(\.groups).flatMap(\.costs).reduce(0) { $0 + $1.dramReadBytes }
      let write = stages.flatMap(\.groups).flatMap(\.costs).reduce(0) { $0 + $1.dramWriteBytes }
      dramCycles = max(read / dram.readBandwidth, write / dram.writeBandwidth)
      if dramCycles > period { period = dramCycles; bottleneck = "dram" }
    }
    let latency = stages.reduce(0.0) { $0 + Double($1.cycles) + $1.linkCycles }
    let energy = stages.reduce(0.0) { $0 + $1.sendBytes * (link?.energyPerByte ?? 0) }
    return PipelineSchedule(
      stages: stages, periodCycles: period, bottleneck: bottleneck, latencyCycles: latency,
      fillCycles: latency - Double(stages.last?.cycles ?? 0), interconnectEnergyPJ: energy, dramCycles: dramCycles,
      clockHz: spec.clockHz)
  }
}
