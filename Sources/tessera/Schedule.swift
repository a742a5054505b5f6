import ArgumentParser
import Foundation
import Tessera
import TesseraNN
import TesseraScheduler

/// `tessera schedule`: maps every layer onto a hardware spec and reports accesses per level,
/// cycles, utilization, energy and latency; on the host it can run the same tiling.
struct Schedule: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schedule",
    abstract: "Map layers onto an accelerator spec (or the host): traffic per level, cycles, energy, roofline.",
    discussion: """
      --hardware takes a preset (eyeriss, tpu-v1, edge-npu, host; multi-core: edge-npu-4core,
      edge-npu-2chip, whose per-layer schedule is core 0's) or a YAML file (schema in
      docs/scheduler.md); several, comma-separated, are reported one after another with a
      side-by-side total. The mapper searches tiles per level, loop orders and the spatial
      unrolling for each dataflow the hardware supports (or --dataflow) and keeps the best
      under --metric. JSON follows the schedule contract in ARCHITECTURE.md.

        tessera schedule --hardware eyeriss --conv 1,6,12,12,16,5,5
        tessera schedule --hardware tpu-v1,edge-npu --model Models/lenet.safetensors
        tessera schedule --hardware host --gemm 1024,1024,1024 --measure --sweep
        tessera schedule --benchmark-mapper
        tessera schedule --hardware edge-npu-4core --model Models/lenet.safetensors --network
        tessera schedule --model Models/lenet.safetensors --network --system system.yaml

      --network (needs --model) also schedules the model as a network: layer fusion on one core
      (groups whose intermediates fit the shared or on-chip buffer skip DRAM) and a pipeline over
      the spec's cores (edge-npu-4core, edge-npu-2chip or a YAML with `cores`). --system takes a
      system spec (host, accelerator, link; docs/scheduler.md) and adds the best host/accelerator
      split; host times come from the spec's host.layer_seconds or, when absent, from timing the
      model's engine on this machine. JSON adds `groups`, `stages`, `pipeline` and `partition`.
      """)

  @Option(name: .long, help: "Hardware: eyeriss, tpu-v1, edge-npu, host, edge-npu-4core, edge-npu-2chip or a .yaml spec (comma-separated for several).")
  var hardware: String?

  @Option(name: .long, help: "A model file (.safetensors with the graph): schedule every dense/conv2d layer.")
  var model: String?

  @Option(name: .long, help: "A GEMM M,N,K.")
  var gemm: String?

  @Option(name: .long, help: "A convolution N,C,H,W,K,R,S[,stride,pad].")
  var conv: String?

  @Option(name: .long, help: "Samples per inference for --model (the GEMM M of dense layers).")
  var batch = 1

  @Option(name: .long, help: "Dataflow: ws, os, is or rs (default: the best the hardware supports).")
  var dataflow: String?

  @Option(name: .long, help: "What the mapper minimises: energy, cycles or edp.")
  var metric: String?

  @Flag(name: .long, help: "Run each GEMM layer on the host with the chosen tiling and report measured GOP/s (--hardware host).")
  var measure = false

  @Flag(name: .long, help: "With --measure: run ≥ 20 tilings of the first GEMM and compare predicted with measured rankings.")
  var sweep = false

  @Option(name: .long, help: "Write a roofline plot of every layer to this .svg file.")
  var plot: String?

  @Flag(name: .long, help: "Search and evaluate every legal mapping (no maximal-unrolling heuristic, no branch and bound).")
  var exhaustive = false

  @Flag(name: .long, help: "Time the mapper on a LeNet conv layer (≥ 10⁴ mappings) and exit.")
  var benchmarkMapper = false

  @Flag(name: .long, help: "With --model: schedule the network — layer fusion and a pipeline over the spec's cores.")
  var network = false

  @Option(name: .long, help: "With --model: a system spec (.yaml: host, accelerator, link) — adds the host/accelerator split (implies --network).")
  var system: String?

  @OptionGroup var output: OutputOptions

  func validate() throws {
    let sources = [model, gemm, conv].compactMap { $0 }.count
    if !benchmarkMapper {
      guard sources == 1 else { throw ValidationError("give exactly one of --model, --gemm or --conv") }
    }
    if sweep && !measure { throw ValidationError("--sweep needs --measure") }
    if (network || system != nil) && model == nil { throw ValidationError("--network and --system need --model (a network, not one layer)") }
    if (network || system != nil) && (measure || sweep) { throw ValidationError("--network and --system do not combine with --measure or --sweep") }
    if system == nil && !benchmarkMapper && hardware == nil { throw ValidationError("missing --hardware") }
  }

  func run() async throws {
    do {
      if benchmarkMapper {
        output.progress().step("timing the mapper on LeNet conv2 (eyeriss, every dataflow)")
        try output.emit(MapperBenchmark.run())
        return
      }
      if network || system != nil {
        try runNetwork()
      } else {
        try runSchedule()
      }
    } catch let error as SchedulerError {
      throw CLIError(error.description)
    } catch let error as TesseraError {
      throw CLIError(error.description)
    }
  }

  func parsedMetric(host: Bool) throws -> Metric {
    guard let metric else { return host ? .cycles : .energy }
    guard let value = Metric(rawValue: metric) else { throw CLIError("unknown --metric '\(metric)' (expected energy, cycles or edp)") }
    return value
  }

  func parsedDataflow() throws -> Dataflow? {
    guard let dataflow else { return nil }
    guard let value = Dataflow(rawValue: dataflow.lowercased()) else {
      throw CLIError("unknown --dataflow '\(dataflow)' (expected ws, os, is or rs)")
    }
    return value
  }

  private func workloads() throws -> [Workload] {
    if let gemm { return [try Workload.parseGEMM(gemm)] }
    if let conv { return [try Workload.parseConv(conv)] }
    return try ScheduleModelReader.workloads(path: model!, batch: batch)
  }

  private func runSchedule() throws {
    let progress = output.progress()
    let names = hardware!.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    let layers = try workloads()
    let flow = try parsedDataflow()
    if let plot { try AtomicFile.checkWritable(plot) }
    var reports: [ScheduleReport] = []
    for name in names {
      let isHost = name == "host"
      if measure && !isHost { throw CLIError("--measure runs on the host: use --hardware host (got \(name))") }
      progress.step(isHost ? "measuring the host (bandwidth per level, int8 peak)" : "loading \(name)")
      let spec = isHost ? try HostSchedule.spec() : try HardwareSpec.load(name)
      let metric = try parsedMetric(host: isHost)
      var options = isHost ? try HostSchedule.mapperOptions(metric: metric) : MapperOptions(metric: metric)
      if let flow { options.dataflows = [flow] }
      if exhaustive {
        options.branchAndBound = false
        options.maximalOnly = false
      }
      var costs: [LayerCost] = [], searches: [ScheduleReport.SearchSummary?] = []
      var measured: [HostMeasurement?] = []
      for (index, layer) in layers.enumerated() {
        progress.step("mapping \(layer.name) on \(spec.name)", index: index + 1, of: layers.count)
        let result = try Mapper.search(layer, on: spec, options: options)
        costs.append(result.best)
        searches.append(.init(spaceSize: result.spaceSize, evaluated: result.evaluated, seconds: result.seconds))
        if measure {
          progress.step("running \(layer.name) on the host")
          measured.append(try HostSchedule.measure(result.best, spec: spec))
        }
      }
      var sweepResult: SweepResult?
      if sweep {
        guard let index = layers.firstIndex(where: { $0.shape.isGEMM }) else {
          throw CLIError("--sweep needs a GEMM layer (--gemm or a dense layer)")
        }
        sweepResult = try HostSchedule.sweep(layers[index], chosen: costs[index], spec: spec, options: options) {
          progress.step("sweep: tiling", index: $0, of: $1)
        }
      }
      reports.append(ScheduleReport(spec: spec, costs: costs, searches: searches, measurements: measured, sweep: sweepResult))
    }
    progress.finish()
    if let plot {
      try writeAtomically(RooflinePlot.svg(reports), to: plot)
    }
    try emit(reports)
  }

  private func emit(_ reports: [ScheduleReport]) throws {
    if reports.count == 1 {
      try output.emit(reports[0])
      return
    }
    switch output.resolvedFormat {
    case .json:
      let text = try ReportFormat.encodeJSON(reports) + "\n"
      FileHandle.standardOutput.write(Data(text.utf8))
    case .csv:
      var text = ""
      for (i, report) in reports.enumerated() {
        let csv = report.table(for: .csv).renderedCSV()
        text += i == 0 ? csv : csv.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
      }
      FileHandle.standardOutput.write(Data(text.utf8))
    case .table:
      for report in reports { try output.emit(report) ; FileHandle.standardOutput.write(Data("\n".utf8)) }
      try output.emit(ScheduleComparison(reports: reports))
    }
  }

  private func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    do {
      try Data(text.utf8).write(to: temp)
    } catch {
      throw CLIError("cannot write \(path): \(error.localizedDescription)")
    }
    // rename(2) replaces the target atomically.
    guard rename(temp.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temp)
      throw CLIError("cannot write \(path): \(reason)")
    }
  }
}

/// Reads a model file's dense and conv2d layers (with weight bit-widths and densities).
enum ScheduleModelReader {
  static func workloads(path: String, batch: Int) throws -> [Workload] {
    let raw = ModelSource.isONNX(path) ? nil : try? SafeTensorsFile(contentsOf: path)
    if ModelSource.isONNX(path) || raw.map({ GraphModelFile.version(of: $0) == GraphDocument.version }) == true {
      let (layers, inputShape) = try ModelLayer.layers(of: try ModelSource.graph(path))
      return try Workload.layers(of: layers, inputShape: inputShape, batch: batch)
    }
    let (layers, inputShape) = try layerList(path: path)
    return try Workload.layers(of: layers, inputShape: inputShape, batch: batch)
  }

  /// The model as a network (DAG for graph-IR models, a chain for layer lists).
  static func network(path: String, batch: Int) throws -> NetworkGraph {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let raw = ModelSource.isONNX(path) ? nil : try? SafeTensorsFile(contentsOf: path)
    if ModelSource.isONNX(path) || raw.map({ GraphModelFile.version(of: $0) == GraphDocument.version }) == true {
      return try NetworkGraph.from(graph: try ModelSource.graph(path), name: name, batch: batch)
    }
    let (layers, inputShape) = try layerList(path: path)
    return try NetworkGraph.chain(name: name, layers: layers, inputShape: inputShape, batch: batch)
  }

  private static func layerList(path: String) throws -> (layers: [ModelLayer], inputShape: [Int]) {
    let file: ModelFile
    do {
      file = try ModelFile(contentsOf: path)
    } catch {
      throw CLIError("\(error)")
    }
    let layers = try file.graph.layers.map { spec -> ModelLayer in
      var attributes: [String: [Int]] = [:]
      for (key, value) in spec.attributes {
        if let v = value.int { attributes[key] = [v] } else if let v = value.intArray { attributes[key] = v }
      }
      var bits: Int?, density = 1.0
      var nonzero: [Bool]?
      if let name = spec.tensors["weight"], let tensor = file.tensors[name], CompactWeights.encoding(of: spec) != .dense {
        // Compact int8 weights: expand to count the non-zero codes.
        let b = spec.attributes["weight_bits"]?.int ?? 8
        guard let encoding = CompactWeights.encoding(of: spec), let bytes = tensor.uint8?.scalars,
          let count = CompactWeights.weightCount(of: spec),
          let codes = try? CompactWeights.decode(bytes, encoding: encoding, count: count, bits: b)
        else { throw CLIError("\(path): layer '\(spec.name)': compact weight '\(name)' cannot be expanded") }
        bits = b
        nonzero = codes.map { $0 != 0 }
      } else if let name = spec.tensors["weight"], let tensor = file.tensors[name] {
        switch tensor.dtype {
        case .int8:
          bits = 8
          if let t = tensor.int8 { nonzero = t.scalars.map { $0 != 0 } }
        case .uint8:
          bits = 8
          if let t = tensor.uint8 { nonzero = t.scalars.map { $0 != 0 } }
        case .float32:
          if let t = tensor.float32 { nonzero = t.scalars.map { $0 != 0 } }
        case .int32:
          bits = 32
        }
      }
      // Weights are [outputs, inputs…] row-major: density and the N:M pattern along the inputs.
      var structure = SparsityStructure.unstructured
      if let nonzero {
        density = Self.density(nonzero)
        let outputs = attributes["outputs"]?.first ?? attributes["out_channels"]?.first ?? 0
        if outputs > 0, nonzero.count % outputs == 0 {
          structure = SparsityStructure.detect(nonzero: nonzero, columns: nonzero.count / outputs)
        }
      }
      return ModelLayer(
        name: spec.name, kind: spec.kind, attributes: attributes, inputShape: spec.inputShape, weightBits: bits,
        weightDensity: density, weightStructure: structure)
    }
    return (layers, file.graph.input.shape)
  }

  static func density(_ nonzero: [Bool]) -> Double {
    nonzero.isEmpty ? 1 : Double(nonzero.filter { $0 }.count) / Double(nonzero.count)
  }
}
