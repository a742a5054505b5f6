import Foundation
import Tessera
import TesseraNN
import TesseraQuantization

/// A compiled network ready to run: weights packed once for the dispatch table's kernels,
/// BatchNorm folded, bias + ReLU fused into the requantization epilogue, activations planned
/// into one arena per call. int8 networks run int8 end to end (quantized input, int8 im2col +
/// GEMM, int8 pooling) and dequantize only the logits; float networks run through BLAS.
///
/// `Engine` is immutable and `Sendable`: ``run(_:count:)`` may be called from many threads at
/// once (each call allocates its own arena).
///
/// For example:
/// ```swift
/// let engine = try Engine(contentsOf: "Models/lenet-int8.safetensors")
/// let logits = try engine.run(pixels, count: 1)     // 10 floats
/// ```
public final class Engine: Sendable {
  /// The compiled plan (for an interpreted graph: no steps, only the input/output sizes).
  let plan: Plan
  /// A graph the plan cannot express, run by the reference interpreter (nil for compiled plans).
  let interpreted: InterpretedGraph?
  /// A float graph the chain plan cannot express, compiled as a DAG (nil otherwise).
  let graphPlan: GraphPlan?
  /// The configuration it was compiled with.
  public let configuration: EngineConfiguration

  /// Compiles an int8 network.
  /// - Parameters:
  ///   - network: the quantized network.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` when a forced ISA is unavailable, or a packing error.
  public init(quantized network: QuantizedNetwork, configuration: EngineConfiguration = EngineConfiguration()) throws {
    plan = try Plan(quantized: network, configuration: configuration)
    interpreted = nil
    graphPlan = nil
    self.configuration = configuration
  }

  /// Compiles a float network (BLAS).
  /// - Parameters:
  ///   - network: the folded float network.
  ///   - configuration: threads (kernel options do not apply).
  /// - Throws: ``EngineError/unsupported(_:)``.
  public init(float network: FusedNetwork, configuration: EngineConfiguration = EngineConfiguration()) throws {
    plan = try Plan(float: network)
    interpreted = nil
    graphPlan = nil
    self.configuration = configuration
  }

  /// Compiles a graph-IR model: onto the fast chain engine when it is a chain that engine runs
  /// (a float chain of dense/conv/pool layers, or its QDQ int8 form); otherwise a float or QDQ
  /// graph (residual adds, concatenations, several outputs — the first is the engine's output)
  /// onto ``GraphPlan``, which computes QDQ graphs in float with fake-quantize steps as the
  /// interpreter does, and a graph ``GraphPlan`` refuses onto the reference interpreter, which
  /// is exact but not tuned for speed. ``engineKind`` tells which.
  /// - Parameters:
  ///   - graph: the model.
  ///   - configuration: kernel choice and threads (for the fast engine).
  /// - Throws: ``EngineError/unsupported(_:)`` when the graph has no single float input with a
  ///   fixed per-sample shape, or a ``GraphIRError`` naming an unsupported node.
  public convenience init(graph: Graph, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(try LoadedModel(graph: graph), configuration: configuration)
  }

  /// Compiles a loaded model: a float or int8 network on the chain plan, a graph on
  /// ``GraphPlan`` or the interpreter (see ``init(graph:configuration:)``).
  /// - Parameters:
  ///   - model: the model, as ``LoadedModel`` read or lowered it.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: as the initializer for the model's kind.
  public convenience init(_ model: LoadedModel, configuration: EngineConfiguration = EngineConfiguration()) throws {
    switch model {
    case let .quantized(q): try self.init(quantized: q, configuration: configuration)
    case let .float(f): try self.init(float: f, configuration: configuration)
    case let .graph(g, _): try self.init(graphModel: g, configuration: configuration)
    }
  }

  /// Runs a graph that is not a chain: on ``GraphPlan`` when it compiles (and
  /// ``EngineConfiguration/interpretGraphs`` is off), else on the interpreter.
  convenience init(graphModel graph: Graph, configuration: EngineConfiguration) throws {
    if !configuration.interpretGraphs, let compiled = try? GraphPlan(graph: graph) {
      try self.init(compiled: compiled, configuration: configuration)
    } else {
      try self.init(interpreting: graph, configuration: configuration)
    }
  }

  /// Runs a compiled float or QDQ graph (``isQuantized`` for a QDQ one); its first output is
  /// the engine's output.
  init(compiled: GraphPlan, configuration: EngineConfiguration) throws {
    var outputCount = compiled.outputSampleShapes.first??.reduce(1, *)
    if outputCount == nil {
      // The size per sample is not known statically: run one zero batch.
      let n: Int = if case let .fixed(b) = compiled.batch { b } else { 1 }
      let probe = try compiled.run([Float](repeating: 0, count: n * compiled.inputCount), count: n)
      outputCount = (probe.first?.count ?? 0) / n
    }
    graphPlan = compiled
    interpreted = nil
    plan = Plan(
      isQuantized: compiled.isQuantized, steps: [], inputCount: compiled.inputCount, outputCount: outputCount ?? 0,
      slotBytesPerSample: 0, scratchBytesPerSample: 0, scratchExtraBytes: 0, weightBytes: compiled.weightBytes,
      gemmKernel: nil, gemvKernel: nil)
    self.configuration = configuration
  }

  /// Runs `graph` on the reference interpreter.
  init(interpreting graph: Graph, configuration: EngineConfiguration) throws {
    let program = try InterpretedGraph(graph: graph)
    interpreted = program
    graphPlan = nil
    plan = Plan(
      isQuantized: program.isQuantized, steps: [], inputCount: program.inputCount, outputCount: program.outputCount,
      slotBytesPerSample: 0, scratchBytesPerSample: 0, scratchExtraBytes: 0, weightBytes: program.weightBytes,
      gemmKernel: nil, gemvKernel: nil)
    self.configuration = configuration
  }

  /// True when the model runs on the reference interpreter rather than compiled kernels (a
  /// graph compiled by ``GraphPlan`` is not interpreted, even if some of its nodes use the
  /// reference fallback).
  public var isInterpreted: Bool { interpreted != nil }

  /// Which engine runs the model: the compiled chain plan, a compiled float graph, or the
  /// reference interpreter.
  public var engineKind: EngineKind {
    if interpreted != nil { return .interpreter }
    return graphPlan != nil ? .compiledGraph : .compiledChain
  }

  /// Loads and compiles a model file, int8 when it carries quantization metadata, float otherwise.
  /// - Parameters:
  ///   - path: a `.safetensors` model file.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: ``SafeTensorsError`` or ``QuantizationError`` naming the file and the problem.
  public convenience init(contentsOf path: String, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(try LoadedModel(contentsOf: path), configuration: configuration)
  }

  /// True for an int8 engine.
  public var isQuantized: Bool { plan.isQuantized }
  /// Values per input sample (pixels in [0, 1], CHW order).
  public var inputCount: Int { plan.inputCount }
  /// Values per output sample (logits).
  public var outputCount: Int { plan.outputCount }
  /// Bytes of packed weights and parameters.
  public var weightBytes: Int { plan.weightBytes }
  /// The int8 GEMM and GEMV kernels in use (nil for a float engine).
  public var kernelNames: (gemm: String?, gemv: String?) { (plan.gemmKernel, plan.gemvKernel) }
  /// Names of the dense/conv layers, in order (the points the validation compares).
  public var linearLayerNames: [String] {
    graphPlan?.linearNodes ?? interpreted?.linearNodes ?? plan.steps.filter(\.isLinear).map(\.name)
  }

  /// The layers as (name, precision-free kind, output values per sample), skipping the
  /// input/output conversions and standalone ReLUs (which one precision may fuse).
  var graphSignature: [(name: String, kind: String, outputCount: Int)] {
    plan.steps.compactMap { step in
      switch step.kind {
      case .input, .output, .relu: return nil
      default:
        let kind = step.kindName.replacingOccurrences(of: "fp32-", with: "").replacingOccurrences(of: "int8-", with: "")
        return (step.name, kind, step.outputCount)
      }
    }
  }
  /// Arena bytes one call with `count` samples allocates.
  public func arenaBytes(count: Int) -> Int { graphPlan?.arenaBytes(count: count) ?? plan.arenaBytes(count: count) }

  /// Runs a batch and returns the logits (`count × outputCount`).
  /// - Parameters:
  ///   - input: `count × inputCount` pixels in CHW order.
  ///   - count: batch size.
  /// - Throws: ``EngineError/inputSize(expected:got:)`` when the size is wrong.
  public func run(_ input: [Float], count: Int) throws -> [Float] {
    var diagnostics = RunDiagnostics()
    return try run(input, count: count, profile: false, diagnostics: &diagnostics, observe: nil)
  }

  /// Runs a batch with optional per-step profiling, reference checking (when configured) and an
  /// observer that receives each layer's output (dequantized for int8, HWC order).
  /// - Parameters:
  ///   - input: `count × inputCount` pixels in CHW order.
  ///   - count: batch size.
  ///   - profile: time every step into `diagnostics.steps`.
  ///   - diagnostics: receives timings and reference mismatches of this call.
  ///   - observe: called after every dense/conv/pool/relu step with its name and float values.
  /// - Throws: ``EngineError/inputSize(expected:got:)`` when the size is wrong.
  public func run(
    _ input: [Float], count: Int, profile: Bool, diagnostics: inout RunDiagnostics,
    observe: ((String, [Float]) -> Void)?
  ) throws -> [Float] {
    guard count > 0, input.count == count * plan.inputCount else {
      throw EngineError.inputSize(expected: plan.inputCount, got: input.count)
    }
    if let interpreted { return try interpreted.run(input, count: count, observe: observe) }
    if let graphPlan { return try runGraph(graphPlan, input, count: count, profile: profile, diagnostics: &diagnostics, observe: observe) }
    var output = [Float](repeating: 0, count: count * plan.outputCount)
    let arenaBytes = plan.arenaBytes(count: count)
    let arena = UnsafeMutableRawPointer.allocate(byteCount: arenaBytes, alignment: 64)
    defer { arena.deallocate() }
    let slotBytes = Plan.align(count * plan.slotBytesPerSample)
    var source = arena, destination = arena + slotBytes
    let scratch = arena + 2 * slotBytes
    var local = RunDiagnostics()
    if profile {
      local.steps = plan.steps.map {
        StepProfile(name: $0.name, kind: $0.kindName, nanoseconds: 0, macs: 0, bytes: 0, calls: 0, kernel: $0.kernelName(count: count))
      }
    }
    try input.withUnsafeBufferPointer { inputPointer in
      try output.withUnsafeMutableBufferPointer { outputPointer in
        for (index, step) in plan.steps.enumerated() {
          let start = profile ? DispatchTime.now().uptimeNanoseconds : 0
          let inPlace = try execute(
            step, count: count, input: inputPointer.baseAddress!, output: outputPointer.baseAddress!,
            source: source, destination: destination, scratch: scratch, diagnostics: &local)
          if profile {
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            local.steps[index].nanoseconds += elapsed
            local.steps[index].macs += step.macs * count
            local.steps[index].bytes += step.weightBytes + step.activationBytes * count
            local.steps[index].calls += 1
          }
          if !inPlace { swap(&source, &destination) }
          if let observe, index > 0, index < plan.steps.count - 1, step.isObservable {
            observe(step.name, values(step, at: source, count: count))
          }
        }
      }
    }
    diagnostics.accumulate(local)
    return output
  }

  /// Runs the compiled graph and returns its first output's values.
  private func runGraph(
    _ graphPlan: GraphPlan, _ input: [Float], count: Int, profile: Bool, diagnostics: inout RunDiagnostics,
    observe: ((String, [Float]) -> Void)?
  ) throws -> [Float] {
    let outputs = try graphPlan.run(input, count: count, profile: profile, diagnostics: &diagnostics, observe: observe)
    guard let y = outputs.first else { throw EngineError.unsupported("'\(graphPlan.graph.name)' has no outputs") }
    let values = y.float32 ?? y.doubles.map { Float($0) }
    guard values.count == count * plan.outputCount else {
      throw EngineError.unsupported(
        "output '\(graphPlan.outputNames[0])' has \(values.count) values for \(count) samples, expected \(plan.outputCount) each")
    }
    return values
  }

  /// The float values of a step's output in the arena.
  func values(_ step: Step, at pointer: UnsafeMutableRawPointer, count: Int) -> [Float] {
    let n = step.outputCount * count
    if let q = step.outputQuantization {
      let codes = pointer.assumingMemoryBound(to: Int8.self)
      return (0..<n).map { q.dequantize(Int32(codes[$0])) }
    }
    return Array(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: Float.self), count: n))
  }
}

extension Step {
  /// Steps whose output the observer receives.
  var isObservable: Bool {
    switch kind {
    case .input, .output: false
    default: true
    }
  }
}
