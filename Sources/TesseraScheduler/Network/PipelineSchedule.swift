/// One pipeline stage: a contiguous range of layers on one core, fused into groups.
public struct PipelineStage: Sendable {
  /// Index of the core in ``HardwareSpec/coreSpecs``.
  public var core: Int
  /// The core's name.
  public var coreName: String
  /// The layers (topological order).
  public var layers: ClosedRange<Int>
  /// The stage's fusion groups.
  public var groups: [FusionGroup]
  /// Bytes sent over the interconnect to later stages after this one (the cut after it).
  public var sendBytes: Double
  /// Cycles to send them: bytes ÷ link bandwidth + one hop's latency (0 when nothing is sent).
  public var linkCycles: Double

  /// Cycles of one input through the stage.
  public var cycles: Int { groups.reduce(0) { $0 + $1.cycles } }
  /// Energy of one input through the stage (without the interconnect), pJ.
  public var energyPJ: Double { groups.reduce(0) { $0 + $1.energyPJ } }
  /// DRAM bytes of one input through the stage.
  public var dramBytes: Double { groups.reduce(0) { $0 + $1.dramBytes } }
}

/// Layers pipelined over cores, one input after another (issue 18 item 3).
///
/// Stage `s` runs on core `s` (cores on a line, so consecutive stages are one hop apart); in
/// steady state every stage and every link works on a different input, so an input leaves
/// every `periodCycles`: the largest of the stage times, the link times and — when the cores
/// share one DRAM — the time that DRAM needs for every stage's traffic of one input.
public struct PipelineSchedule: Sendable {
  /// The stages in order.
  public var stages: [PipelineStage]
  /// Cycles between two outputs in steady state.
  public var periodCycles: Double
  /// What sets the period: `stage <i> (<core>)`, `link <i>→<i+1>` or `dram`.
  public var bottleneck: String
  /// Cycles for one input alone: every stage and link in turn.
  public var latencyCycles: Double
  /// Cycles until the last stage starts on the first input (latency − last stage).
  public var fillCycles: Double
  /// Interconnect energy per input, pJ (bytes × hops × pJ/B).
  public var interconnectEnergyPJ: Double
  /// Time shared DRAM needs per input (0 with one DRAM per core).
  public var dramCycles: Double
  /// Clock, Hz.
  public var clockHz: Double

  /// Inputs per second in steady state.
  public var throughputPerSecond: Double { periodCycles > 0 ? clockHz / periodCycles : 0 }
  /// Seconds for one input alone.
  public var latencySeconds: Double { latencyCycles / clockHz }
  /// Energy per input, pJ.
  public var energyPJ: Double { stages.reduce(0) { $0 + $1.energyPJ } + interconnectEnergyPJ }
  /// DRAM bytes per input.
  public var dramBytes: Double { stages.reduce(0) { $0 + $1.dramBytes } }
}
