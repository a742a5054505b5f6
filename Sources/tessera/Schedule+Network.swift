import ArgumentParser
import Foundation
import Tessera
import TesseraRuntime
import TesseraScheduler

extension Schedule {
  /// `--network` / `--system`: fusion, pipelining and the host/accelerator split of `--model`.
  func runNetwork() throws {
    let progress = output.progress()
    let network = try ScheduleModelReader.network(path: model!, batch: batch)
    let systemSpec = try system.map(SystemSpec.load)
    let spec: HardwareSpec
    if let hardware {
      guard !hardware.contains(",") else { throw CLIError("--network takes one --hardware (got \(hardware))") }
      guard hardware != "host" else { throw CLIError("--network models an accelerator: use a preset or a .yaml spec, not host") }
      spec = try HardwareSpec.load(hardware)
    } else {
      spec = systemSpec!.accelerator
    }
    var options = MapperOptions(metric: try parsedMetric(host: false))
    if let flow = try parsedDataflow() { options.dataflows = [flow] }
    var schedule = try NetworkScheduler.schedule(network, on: spec, options: options) { progress.step($0) }
    if let systemSpec {
      let seconds = try hostSeconds(network, system: systemSpec, progress: progress)
      progress.step("splitting between the host and \(systemSpec.accelerator.name)")
      schedule.partition = try PartitionPlanner.plan(network, system: systemSpec, hostSeconds: seconds, options: options)
    }
    progress.finish()
    if output.resolvedFormat == .table {
      try output.emit(schedule.layers)
      FileHandle.standardOutput.write(Data("\n".utf8))
    }
    try output.emit(schedule)
  }

  /// Host seconds per layer: the system spec's `host.layer_seconds`, else the model's engine
  /// timed on this machine (median of 50 profiled calls at the schedule's batch; each
  /// unscheduled step — ReLU, pooling, quantize… — is charged to the scheduled layer before it).
  private func hostSeconds(_ network: NetworkGraph, system: SystemSpec, progress: ProgressReporter) throws -> [Double] {
    if !system.hostLayerSeconds.isEmpty {
      return try network.layers.map { layer in
        guard let value = system.hostLayerSeconds[layer.name] else {
          throw CLIError("system spec: host.layer_seconds has no entry for layer '\(layer.name)' (give every layer, or none to measure)")
        }
        return value
      }
    }
    progress.step("timing the engine on this machine (host.layer_seconds not given)")
    let engine = try ModelSource.engine(model!, configuration: EngineConfiguration(threads: 1))
    let input = [Float](repeating: 0.5, count: engine.inputCount * batch)
    var diagnostics = RunDiagnostics()
    _ = try engine.run(input, count: batch, profile: true, diagnostics: &diagnostics, observe: nil)
    var perStep: [String: [Double]] = [:]
    var order: [String] = []
    for _ in 0..<50 {
      var call = RunDiagnostics()
      _ = try engine.run(input, count: batch, profile: true, diagnostics: &call, observe: nil)
      for step in call.steps {
        if perStep[step.name] == nil { order.append(step.name) }
        perStep[step.name, default: []].append(Double(step.nanoseconds) / 1e9)
      }
    }
    let names = Set(network.layers.map(\.name))
    var seconds: [String: Double] = [:]
    var current: String?
    for name in order {
      let values = perStep[name]!.sorted()
      let median = values[values.count / 2]
      if names.contains(name) { current = name }
      if let current { seconds[current, default: 0] += median }
    }
    return try network.layers.map { layer in
      guard let value = seconds[layer.name] else {
        throw CLIError("the engine's profile has no step named '\(layer.name)'; give host.layer_seconds in the system spec")
      }
      return value
    }
  }
}
