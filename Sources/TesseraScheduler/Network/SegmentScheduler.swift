/// Schedules a segment of a network (a contiguous range of its topological order) on one core:
/// maps each layer (cached), costs any candidate fusion group, and picks the fusion groups by
/// dynamic programming over the order (docs/scheduler.md §10).
///
/// Rules. A group's internal activation (producer and consumer both in the group) stays in the
/// fusion buffer; a layer's output skips DRAM only when it is no network output and every
/// consumer is in its group or on another core (the consumers decide); a layer's input comes
/// from chip only when every producer is. Convolutions chain through *line buffers* (no halo
/// recomputation): the buffer holds the producer rows one consumer output row needs. A group
/// of two or more layers keeps all its weights resident (read from DRAM once). A group is legal
/// when its reservation fits the fusion buffer and, when that buffer is the core's own, every
/// layer still maps with the buffer less the reservation.
final class SegmentScheduler {
  let network: NetworkGraph
  let core: HardwareSpec
  let buffer: FusionBuffer
  let options: MapperOptions
  private var mapped: [String: LayerCost] = [:]
  private var failed: Set<String> = []
  private var groups: [String: FusionGroup?] = [:]

  /// - Parameters:
  ///   - network: the network.
  ///   - spec: the whole spec (for its shared buffer).
  ///   - core: the core to map on.
  ///   - options: mapper options.
  init(network: NetworkGraph, spec: HardwareSpec, core: HardwareSpec, options: MapperOptions) throws {
    self.network = network
    self.core = core
    self.options = options
    buffer = try FusionBuffer.of(spec, core: core)
  }

  /// The layer's best mapping with `reserved` bytes of the core buffer taken by a fusion group.
  /// - Returns: `nil` when nothing maps into what is left.
  func map(_ layer: Int, reserved: Int = 0) throws -> LayerCost? {
    let key = "\(layer)|\(reserved)"
    if let cost = mapped[key] { return cost }
    if failed.contains(key) { return nil }
    var spec = core
    if reserved > 0, let level = buffer.coreLevel, let capacity = spec.levels[level].capacityBytes {
      let left = capacity - Int((Double(reserved) / Double(core.instances(of: spec.levels[level]))).rounded(.up))
      guard left > 0 else { failed.insert(key); return nil }
      spec.levels[level].capacityBytes = left
    }
    do {
      let cost = try Mapper.search(network.layers[layer], on: spec, options: options).best
      mapped[key] = cost
      return cost
    } catch SchedulerError.noLegalMapping {
      if reserved == 0 { throw SchedulerError.noLegalMapping("\(network.layers[layer].name) does not map onto \(core.name)") }
      failed.insert(key)
      return nil
    }
  }

  /// The cost of running `range` as one group inside the stage `stage` (edges leaving the stage
  /// travel over the interconnect into the other core's buffer when they fit it); `nil` when illegal.
  func group(_ range: ClosedRange<Int>, stage: ClosedRange<Int>) throws -> FusionGroup? {
    let key = "\(range.lowerBound)-\(range.upperBound)|\(stage.lowerBound)-\(stage.upperBound)"
    if let cached = groups[key] { return cached }
    let result = try makeGroup(range, stage: stage)
    groups[key] = result
    return result
  }

  private func makeGroup(_ range: ClosedRange<Int>, stage: ClosedRange<Int>) throws -> FusionGroup? {
    let fused = range.count > 1
    let capacity = Double(buffer.capacityBytes)
    func internalEdge(_ e: NetworkEdge) -> Bool { range.contains(e.producer) && range.contains(e.consumer) }
    func linked(_ e: NetworkEdge) -> Bool {
      (!stage.contains(e.producer) || !stage.contains(e.consumer)) && e.bytes <= capacity
    }
    var perProducer: [Int: Double] = [:]
    for edge in network.edges where internalEdge(edge) {
      perProducer[edge.producer] = max(perProducer[edge.producer] ?? 0, edge.residentBytes)
    }
    var reserved = perProducer.values.reduce(0, +)
    if fused { reserved += range.reduce(0.0) { $0 + network.layers[$1].weightBytes } }
    guard reserved <= capacity else { return nil }
    let remap = fused && buffer.coreLevel != nil ? Int(reserved.rounded(.up)) : 0
    var costs: [NetworkLayerCost] = []
    var lblBytes = 0.0, lblEnergy = 0.0, lblCycles = 0
    for layer in range {
      guard let base = try map(layer, reserved: remap), let alone = try map(layer) else { return nil }
      lblBytes += alone.levels[0].readBytes + alone.levels[0].writeBytes
      lblEnergy += alone.energyPJ
      lblCycles += alone.cycles
      let inputs = network.inputs(of: layer), consumers = network.consumers(of: layer)
      let inputOnChip = !inputs.isEmpty && inputs.allSatisfy { internalEdge($0) || linked($0) }
      let outputOnChip = !network.outputs.contains(layer) && !consumers.isEmpty
        && consumers.allSatisfy { internalEdge($0) || linked($0) }
      costs.append(NetworkLayerCost(
        base: base, core: core, buffer: buffer, inputOnChip: inputOnChip, outputOnChip: outputOnChip,
        weightsResident: fused))
    }
    return FusionGroup(
      layers: range, costs: costs, reservedBytes: reserved, layerByLayerDRAMBytes: lblBytes,
      layerByLayerEnergyPJ: lblEnergy, layerByLayerCycles: lblCycles)
  }

  /// The best split of `segment` into fusion groups (dynamic programming over the order:
  /// best[j + 1] = min over i of best[i] + group(i…j)); `fuse: false` keeps one layer per group.
  /// - Parameters:
  ///   - segment: the layers to schedule.
  ///   - stage: the stage they belong to (edges leaving it
  ///     use the interconnect); the whole network for a single core.
  ///   - fuse: allow groups of more than one layer.
  func fusionGroups(_ segment: ClosedRange<Int>, stage: ClosedRange<Int>, fuse: Bool = true) throws -> [FusionGroup] {
    let n = segment.count, first = segment.lowerBound
    var best = [Double](repeating: .infinity, count: n + 1)
    var choice = [FusionGroup?](repeating: nil, count: n + 1)
    best[0] = 0
    for j in 0..<n {
      for i in (fuse ? 0 : j)...j where best[i].isFinite {
        guard let g = try group((first + i)...(first + j), stage: stage) else { continue }
        let value = best[i] + g.value(of: options.metric)
        if value < best[j + 1] {
          best[j + 1] = value
          choice[j + 1] = g
        }
      }
    }
    var result: [FusionGroup] = []
    var end = n
    while end > 0, let g = choice[end] {
      result.insert(g, at: 0)
      end = g.layers.lowerBound - first
    }
    guard end == 0 else {
      throw SchedulerError.noLegalMapping("no schedule of layers \(segment) fits \(core.name)")
    }
    return result
  }
}
