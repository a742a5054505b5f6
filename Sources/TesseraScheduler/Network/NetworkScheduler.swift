/// Schedules a whole network on a spec (issue 18): the layer-by-layer schedule on core 0, the
/// fusion groups on core 0 and the pipeline over every core; with a system spec, the
/// host/accelerator split too.
public enum NetworkScheduler {
  /// Schedules `network` on `spec`.
  /// - Parameters:
  ///   - network: the layers and activations.
  ///   - spec: the hardware (one or several cores).
  ///   - options: mapper options (its metric also drives fusion: energy, or cycles).
  ///   - fuse: allow fusion groups (`false` keeps one layer per group).
  ///   - progress: called with a message before each step.
  /// - Throws: ``SchedulerError`` when a layer maps nowhere or the spec has no on-chip buffer.
  public static func schedule(
    _ network: NetworkGraph, on spec: HardwareSpec, options: MapperOptions = .init(), fuse: Bool = true,
    progress: (String) -> Void = { _ in }
  ) throws -> NetworkSchedule {
    let core = spec.coreSpecs[0]
    let scheduler = try SegmentScheduler(network: network, spec: spec, core: core, options: options)
    var costs: [LayerCost] = []
    for index in network.layers.indices {
      progress("mapping \(network.layers[index].name) on \(core.name)")
      guard let cost = try scheduler.map(index) else {
        throw SchedulerError.noLegalMapping("\(network.layers[index].name) does not map onto \(core.name)")
      }
      costs.append(cost)
    }
    progress("choosing fusion groups")
    let all = 0...(network.layers.count - 1)
    let groups = try scheduler.fusionGroups(all, stage: all, fuse: fuse)
    progress("pipelining over \(spec.coreCount) core(s)")
    let pipeline = try PipelinePlanner.plan(network, on: spec, options: options, fuse: fuse)
    return NetworkSchedule(layers: ScheduleReport(spec: core, costs: costs), network: network, groups: groups, pipeline: pipeline)
  }
}
