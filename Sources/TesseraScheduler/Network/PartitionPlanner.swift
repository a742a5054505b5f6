import Tessera

/// The best split of a network between the host and an accelerator (issue 18 item 4), by
/// dynamic programming over the topological order with two states (the device of the last
/// layer): `best[l][d] = cost(l, d) + min over d′ of best[l−1][d′] + transfer(cut l) if d′ ≠ d`.
///
/// The input arrives on the host and the outputs must return to it. For a chain this is exact;
/// for a DAG the restriction is that the device changes only at cuts of the topological order
/// and every activation crossing a cut where the device changes is transferred (a skip
/// connection that leaves and returns to the same device is charged too: conservative).
/// Layers on the accelerator cost their layer-by-layer mapping (no fusion across the split).
public enum PartitionPlanner {
  /// Plans the split minimising latency (one input, batch as in the network).
  /// - Parameters:
  ///   - network: the layers.
  ///   - system: host, accelerator and link.
  ///   - hostSeconds: host time per layer (index = layer).
  ///   - options: mapper options.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when a host time is missing.
  public static func plan(_ network: NetworkGraph, system: SystemSpec, hostSeconds: [Double], options: MapperOptions = .init()) throws -> PartitionResult {
    let n = network.layers.count
    guard hostSeconds.count == n else {
      throw SchedulerError.invalidWorkload("host times for \(hostSeconds.count) layers, the network has \(n)")
    }
    let accel = try network.layers.map { try Mapper.search($0, on: system.accelerator, options: options).best }
    let inputBytes = network.inputBytes
      ?? Double(network.layers[0].shape.elements(of: .input)) * Double(network.layers[0].inputBits) / 8
    let outputBytes = network.outputs.reduce(0.0) { $0 + network.layers[$1].outputBytes }
    func crossing(_ j: Int) -> Double {
      network.edges.filter { $0.producer < j && $0.consumer >= j }.reduce(0) { $0 + $1.bytes }
    }
    func transfer(_ bytes: Double) -> (seconds: Double, energy: Double) {
      guard bytes > 0 else { return (0, 0) }
      return (system.linkLatencySeconds + bytes / system.linkBytesPerSecond, bytes * system.linkEnergyPerByte)
    }
    func cost(_ l: Int, onAccelerator: Bool) -> (seconds: Double, energy: Double) {
      if onAccelerator { return (accel[l].latencySeconds, accel[l].energyPJ) }
      return (hostSeconds[l], hostSeconds[l] * system.hostPowerWatts * 1e12)
    }
    struct State { var seconds: Double; var energy: Double; var transferred: Double; var devices: [Bool] }
    var states: [State] = [false, true].map { acc in
      let t = acc ? transfer(inputBytes) : (seconds: 0.0, energy: 0.0)
      let c = cost(0, onAccelerator: acc)
      return State(seconds: t.seconds + c.seconds, energy: t.energy + c.energy, transferred: acc ? inputBytes : 0, devices: [acc])
    }
    for l in 1..<max(n, 1) {
      states = [false, true].map { acc in
        let c = cost(l, onAccelerator: acc)
        let options = states.map { prior -> State in
          let moved = prior.devices.last! != acc ? crossing(l) : 0
          let t = transfer(moved)
          return State(
            seconds: prior.seconds + t.seconds + c.seconds, energy: prior.energy + t.energy + c.energy,
            transferred: prior.transferred + moved, devices: prior.devices + [acc])
        }
        return options.min { $0.seconds < $1.seconds }!
      }
    }
    states = states.map { state in
      guard state.devices.last! else { return state }
      let t = transfer(outputBytes)
      return State(
        seconds: state.seconds + t.seconds, energy: state.energy + t.energy, transferred: state.transferred + outputBytes,
        devices: state.devices)
    }
    let best = states.min { $0.seconds < $1.seconds }!
    func uniform(_ acc: Bool) -> PartitionResult.Totals {
      var seconds = 0.0, energy = 0.0
      for l in 0..<n { let c = cost(l, onAccelerator: acc); seconds += c.seconds; energy += c.energy }
      if acc {
        for bytes in [inputBytes, outputBytes] { let t = transfer(bytes); seconds += t.seconds; energy += t.energy }
      }
      return .init(latencySeconds: seconds, energyPJ: energy)
    }
    return PartitionResult(
      system: system.name, layers: network.layers.map(\.name), onAccelerator: best.devices,
      hostSeconds: hostSeconds, acceleratorSeconds: accel.map(\.latencySeconds),
      best: .init(latencySeconds: best.seconds, energyPJ: best.energy), transferredBytes: best.transferred,
      allHost: uniform(false), allAccelerator: uniform(true))
  }
}

/// A host/accelerator split and its comparison with all-host and all-accelerator.
public struct PartitionResult: Sendable, Encodable {
  /// Latency and energy of one schedule.
  public struct Totals: Sendable, Encodable {
    /// Seconds for one input.
    public var latencySeconds: Double
    /// Energy for one input, pJ.
    public var energyPJ: Double

    enum CodingKeys: String, CodingKey {
      case latencySeconds = "latency_s"
      case energyPJ = "energy_pj"
    }
  }

  /// System name.
  public var system: String
  /// Layer names in order.
  public var layers: [String]
  /// Per layer: `true` on the accelerator.
  public var onAccelerator: [Bool]
  /// Host seconds per layer (measured or given).
  public var hostSeconds: [Double]
  /// Accelerator seconds per layer (modeled).
  public var acceleratorSeconds: [Double]
  /// The best split.
  public var best: Totals
  /// Bytes over the link in the best split.
  public var transferredBytes: Double
  /// Everything on the host.
  public var allHost: Totals
  /// Everything on the accelerator (input and output over the link).
  public var allAccelerator: Totals

  enum CodingKeys: String, CodingKey {
    case system, best
    case assignment
    case transferredBytes = "transferred_bytes"
    case allHost = "all_host"
    case allAccelerator = "all_accelerator"
  }

  private struct Assignment: Encodable {
    var layer: String
    var device: String
    var hostSeconds: Double
    var acceleratorSeconds: Double
    enum CodingKeys: String, CodingKey {
      case layer, device
      case hostSeconds = "host_s"
      case acceleratorSeconds = "accelerator_s"
    }
  }

  /// Encodes `{"system", "assignment": [{"layer", "device", "host_s", "accelerator_s"}], "best":
  /// {"latency_s", "energy_pj"}, "transferred_bytes", "all_host", "all_accelerator"}`.
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(system, forKey: .system)
    try c.encode(
      layers.indices.map {
        Assignment(layer: layers[$0], device: onAccelerator[$0] ? "accelerator" : "host", hostSeconds: hostSeconds[$0],
          acceleratorSeconds: acceleratorSeconds[$0])
      }, forKey: .assignment)
    try c.encode(best, forKey: .best)
    try c.encode(transferredBytes, forKey: .transferredBytes)
    try c.encode(allHost, forKey: .allHost)
    try c.encode(allAccelerator, forKey: .allAccelerator)
  }

  /// Lines for the table report.
  public var summaryLines: [String] {
    func s(_ t: Totals) -> String { "\(ReportNumber.format(t.latencySeconds * 1e6)) µs, \(ReportNumber.format(t.energyPJ / 1e6)) µJ" }
    let split = layers.indices.map { "\(layers[$0])→\(onAccelerator[$0] ? "acc" : "host")" }.joined(separator: ", ")
    return [
      "partition on \(system): \(split)", "  best \(s(best)) (\(ReportNumber.format(transferredBytes)) B over the link); all-host \(s(allHost)); all-accelerator \(s(allAccelerator))",
    ]
  }
}
