import Foundation
import Tessera
import TesseraNN
import TesseraONNX
import TesseraQuantization

/// A compiled model ready to run — the one entry point for every model file Tessera reads.
///
/// ``init(contentsOf:configuration:)`` takes any model file: a `.safetensors` model file of every
/// kind (float or int8 chains, graph-IR files, text models with token-id inputs) or an `.onnx`
/// file, and picks the fastest engine that runs it (``engineKind``):
/// - a chain of dense/conv/pool layers (float, or int8 end to end: quantized input, int8 im2col
///   + GEMM with the bias + requantize + ReLU epilogue, int8 pooling) on the chain plan;
/// - a DAG with one float input `[batch, …fixed]` on ``GraphPlan``;
/// - any other graph (several inputs, integer inputs such as token ids, dynamic sequence
///   lengths) on ``DynamicGraphPlan``;
/// - the reference interpreter only when neither graph engine compiles the graph.
///
/// Describe the model with ``inputs`` and ``outputs``; run it with named tensors
/// (``run(_:)-7or6v``, checked against ``inputs``), with flat float batches (``run(_:count:)``), or
/// without blocking the caller's executor (``run(_:)-5q058`` with `await`, ``run(batch:count:)``).
///
/// `Engine` is immutable and `Sendable`: every `run` may be called from many threads or tasks
/// at once. Activation memory is pooled per engine and reused by later calls (see
/// ``pooledBytes``).
///
/// For example:
/// ```swift
/// let engine = try Engine(contentsOf: "Models/lenet-int8.safetensors")
/// print(engine.inputs)                                 // [input: float32 [batch, 1, 28, 28]]
/// let x = try GraphTensor(float32: pixels, shape: [1, 1, 28, 28])
/// let logits = try engine.run(["input": x])["logits"]!  // [1, 10]
/// let same = try engine.run(pixels, count: 1)          // 10 floats
/// ```
public final class Engine: Sendable {
  /// The compiled plan (for a graph engine: no steps, only the input/output sizes).
  let plan: Plan
  /// A graph the plan cannot express, run by the reference interpreter (nil for compiled plans).
  let interpreted: InterpretedGraph?
  /// A float graph the chain plan cannot express, compiled as a DAG (nil otherwise).
  let graphPlan: GraphPlan?
  /// A graph with several or non-float inputs or dynamic dimensions (nil otherwise).
  let dynamic: DynamicEngineGraph?
  /// The chain plan's activation arenas, reused across calls.
  let arenas = ArenaPool()
  /// The model's inputs.
  public let inputs: [TensorDescription]
  /// The model's outputs (``run(_:count:)`` returns the first one).
  public let outputs: [TensorDescription]
  /// The configuration it was compiled with.
  public let configuration: EngineConfiguration

  /// The one designated initializer: every other one picks the parts.
  init(
    plan: Plan, interpreted: InterpretedGraph? = nil, graphPlan: GraphPlan? = nil, dynamic: DynamicEngineGraph? = nil,
    inputs: [TensorDescription], outputs: [TensorDescription], configuration: EngineConfiguration
  ) {
    self.plan = plan
    self.interpreted = interpreted
    self.graphPlan = graphPlan
    self.dynamic = dynamic
    self.inputs = inputs
    self.outputs = outputs
    self.configuration = configuration
  }

  /// Loads and compiles any model file.
  ///
  /// - `.onnx`: imported to the graph IR (``init(graph:configuration:)``);
  /// - a `.safetensors` model file holding graph JSON version 2 (what `tessera import`,
  ///   `quantize` and `train` write, text models included): its graph;
  /// - an older (version 1) model file: int8 when it carries quantization metadata, float otherwise.
  /// - Parameters:
  ///   - path: the model file.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: `SafeTensorsError`, `QuantizationError` or `GraphIRError` naming the file or the
  ///   node at fault; ``EngineError/unsupported(_:)`` when no engine runs the model.
  public convenience init(contentsOf path: String, configuration: EngineConfiguration = EngineConfiguration()) throws {
    if (path as NSString).pathExtension.lowercased() == "onnx" {
      try self.init(graph: try ONNXImporter.graph(contentsOf: path), configuration: configuration)
      return
    }
    let file = try SafeTensorsFile(contentsOf: path)
    if GraphModelFile.version(of: file) == GraphDocument.version {
      try self.init(graph: try GraphModelFile(file: file, source: path).graph, configuration: configuration)
    } else {
      try self.init(try LoadedModel(file: file, source: path), configuration: configuration)
    }
  }

  /// Compiles an int8 network.
  /// - Parameters:
  ///   - network: the quantized network.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: `TesseraError.unsupportedISA(_:)` when a forced ISA is unavailable, or a packing error.
  public convenience init(quantized network: QuantizedNetwork, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(quantized: network, graph: nil, configuration: configuration)
  }

  /// Compiles a float network (BLAS).
  /// - Parameters:
  ///   - network: the folded float network.
  ///   - configuration: threads (kernel options do not apply).
  /// - Throws: ``EngineError/unsupported(_:)``.
  public convenience init(float network: FusedNetwork, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(float: network, graph: nil, configuration: configuration)
  }

  /// An int8 chain; `graph` (when it was lowered from one) names the inputs and outputs.
  convenience init(quantized network: QuantizedNetwork, graph: Graph?, configuration: EngineConfiguration) throws {
    let plan = try Plan(quantized: network, configuration: configuration)
    let io = Self.chainInterface(graph, inputShape: network.inputShape, outputCount: plan.outputCount)
    self.init(plan: plan, inputs: io.inputs, outputs: io.outputs, configuration: configuration)
  }

  /// A float chain; `graph` (when it was lowered from one) names the inputs and outputs.
  convenience init(float network: FusedNetwork, graph: Graph?, configuration: EngineConfiguration) throws {
    let plan = try Plan(float: network)
    let io = Self.chainInterface(graph, inputShape: network.inputShape, outputCount: plan.outputCount)
    self.init(plan: plan, inputs: io.inputs, outputs: io.outputs, configuration: configuration)
  }

  /// Compiles a graph-IR model onto the fastest engine that runs it: the chain plan when it is a
  /// chain that engine runs (a float chain of dense/conv/pool layers, or its QDQ int8 form);
  /// ``GraphPlan`` for a float or QDQ DAG with one float input `[batch, …fixed]` (residual adds,
  /// concatenations, several outputs); ``DynamicGraphPlan`` for any other graph (several inputs
  /// of any element type, symbolic dimensions besides the batch); the reference interpreter,
  /// exact but not tuned for speed, only for a graph neither graph engine compiles (or every
  /// non-chain graph when ``EngineConfiguration/interpretGraphs`` is set). ``engineKind`` tells which.
  /// - Parameters:
  ///   - graph: the model.
  ///   - configuration: kernel choice and threads.
  /// - Throws: `GraphIRError` for an invalid graph or an unsupported node (naming it);
  ///   ``EngineError/unsupported(_:)`` when no engine runs it.
  public convenience init(graph: Graph, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(try LoadedModel(graph: graph), interface: graph, configuration: configuration)
  }

  /// Compiles a loaded model: a float or int8 network on the chain plan, a graph on
  /// ``GraphPlan``, ``DynamicGraphPlan`` or the interpreter (see ``init(graph:configuration:)``).
  /// - Parameters:
  ///   - model: the model, as ``LoadedModel`` read or lowered it.
  ///   - configuration: kernel choice, threads, reference modes.
  /// - Throws: as the initializer for the model's kind.
  public convenience init(_ model: LoadedModel, configuration: EngineConfiguration = EngineConfiguration()) throws {
    try self.init(model, interface: nil, configuration: configuration)
  }

  /// ``init(_:configuration:)`` naming a chain's input and output after `graph` when given.
  convenience init(_ model: LoadedModel, interface graph: Graph?, configuration: EngineConfiguration) throws {
    switch model {
    case let .quantized(q): try self.init(quantized: q, graph: graph, configuration: configuration)
    case let .float(f): try self.init(float: f, graph: graph, configuration: configuration)
    case let .graph(g, _): try self.init(graphModel: g, configuration: configuration)
    }
  }

  /// Runs a graph that is not a chain: on ``GraphPlan`` when it compiles, else on
  /// ``DynamicGraphPlan``, else on the interpreter (always on the interpreter when
  /// ``EngineConfiguration/interpretGraphs`` is set).
  convenience init(graphModel graph: Graph, configuration: EngineConfiguration) throws {
    if configuration.interpretGraphs {
      try self.init(interpreting: graph, configuration: configuration)
    } else if let compiled = try? GraphPlan(graph: graph) {
      try self.init(compiled: compiled, configuration: configuration)
    } else if let dynamic = try? DynamicEngineGraph(graph: graph, threads: configuration.threads) {
      self.init(dynamic: dynamic, configuration: configuration)
    } else {
      try self.init(interpreting: graph, configuration: configuration)
    }
  }

  /// Runs a compiled float or QDQ graph (``isQuantized`` for a QDQ one); its first output is
  /// the engine's output.
  convenience init(compiled: GraphPlan, configuration: EngineConfiguration) throws {
    var outputCount = compiled.outputSampleShapes.first??.reduce(1, *)
    if outputCount == nil {
      // The size per sample is not known statically: run one zero batch.
      let n: Int = if case let .fixed(b) = compiled.batch { b } else { 1 }
      let probe = try compiled.run([Float](repeating: 0, count: n * compiled.inputCount), count: n)
      outputCount = (probe.first?.count ?? 0) / n
    }
    let plan = Plan(
      isQuantized: compiled.isQuantized, steps: [], inputCount: compiled.inputCount, outputCount: outputCount ?? 0,
      slotBytesPerSample: 0, scratchBytesPerSample: 0, scratchExtraBytes: 0, weightBytes: compiled.weightBytes,
      gemmKernel: nil, gemvKernel: nil)
    self.init(
      plan: plan, graphPlan: compiled, inputs: compiled.graph.inputs.map(TensorDescription.init),
      outputs: compiled.graph.outputs.map(TensorDescription.init), configuration: configuration)
  }

  /// Runs a graph on ``DynamicGraphPlan``.
  convenience init(dynamic: DynamicEngineGraph, configuration: EngineConfiguration) {
    let plan = Plan(
      isQuantized: dynamic.isQuantized, steps: [], inputCount: dynamic.flatInput?.sampleShape.reduce(1, *) ?? 0,
      outputCount: dynamic.outputCount, slotBytesPerSample: 0, scratchBytesPerSample: 0, scratchExtraBytes: 0,
      weightBytes: dynamic.weightBytes, gemmKernel: nil, gemvKernel: nil)
    self.init(
      plan: plan, dynamic: dynamic, inputs: dynamic.plan.inputs.map(TensorDescription.init),
      outputs: dynamic.plan.outputs.map(TensorDescription.init), configuration: configuration)
  }

  /// Runs `graph` on the reference interpreter.
  convenience init(interpreting graph: Graph, configuration: EngineConfiguration) throws {
    let program = try InterpretedGraph(graph: graph)
    let plan = Plan(
      isQuantized: program.isQuantized, steps: [], inputCount: program.inputCount, outputCount: program.outputCount,
      slotBytesPerSample: 0, scratchBytesPerSample: 0, scratchExtraBytes: 0, weightBytes: program.weightBytes,
      gemmKernel: nil, gemvKernel: nil)
    self.init(
      plan: plan, interpreted: program, inputs: graph.inputs.map(TensorDescription.init),
      outputs: graph.outputs.map(TensorDescription.init), configuration: configuration)
  }

  /// A chain's input and output: `graph`'s when it was lowered from one, else `input` float32
  /// `[batch, …inputShape]` and `logits` float32 `[batch, outputCount]` (the names a version-1
  /// model file gets when converted to a graph).
  static func chainInterface(_ graph: Graph?, inputShape: [Int], outputCount: Int) -> (
    inputs: [TensorDescription], outputs: [TensorDescription]
  ) {
    if let graph, graph.inputs.count == 1, graph.outputs.count == 1 {
      return (graph.inputs.map(TensorDescription.init), graph.outputs.map(TensorDescription.init))
    }
    return (
      [TensorDescription(name: "input", elementType: .float32, shape: ["batch"] + inputShape.map { .fixed($0) })],
      [TensorDescription(name: "logits", elementType: .float32, shape: ["batch", .fixed(outputCount)])]
    )
  }

  /// True when the model runs on the reference interpreter rather than compiled kernels (a
  /// graph compiled by ``GraphPlan`` or ``DynamicGraphPlan`` is not interpreted, even if some of
  /// its nodes use the reference kernels).
  public var isInterpreted: Bool { interpreted != nil }

  /// Which engine runs the model: the compiled chain plan, a compiled graph (``GraphPlan``), a
  /// dynamic graph (``DynamicGraphPlan``) or the reference interpreter.
  public var engineKind: EngineKind {
    if interpreted != nil { return .interpreter }
    if dynamic != nil { return .dynamicGraph }
    return graphPlan != nil ? .compiledGraph : .compiledChain
  }

  /// True for an int8 engine.
  public var isQuantized: Bool { plan.isQuantized }
  /// Values per input sample (pixels in [0, 1], CHW order) for ``run(_:count:)``; 0 when the
  /// model takes several inputs or a non-float one (use ``run(_:)-7or6v`` with named tensors).
  public var inputCount: Int { plan.inputCount }
  /// Values per output sample (logits) of the first output; 0 when it is not known per sample.
  public var outputCount: Int { plan.outputCount }
  /// Bytes of packed weights and parameters.
  public var weightBytes: Int { plan.weightBytes }
  /// The int8 GEMM and GEMV kernels in use (nil for a float engine).
  public var kernelNames: (gemm: String?, gemv: String?) { (plan.gemmKernel, plan.gemvKernel) }
  /// Names of the dense/conv layers, in order (the points the validation compares).
  public var linearLayerNames: [String] {
    graphPlan?.linearNodes ?? interpreted?.linearNodes ?? dynamic?.linearNodes ?? plan.steps.filter(\.isLinear).map(\.name)
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
  /// Arena bytes one call with `count` samples uses (0 for ``DynamicGraphPlan`` and the
  /// interpreter, whose buffers depend on the inputs' sizes).
  public func arenaBytes(count: Int) -> Int {
    if dynamic != nil || interpreted != nil { return 0 }
    return graphPlan?.arenaBytes(count: count) ?? plan.arenaBytes(count: count)
  }

  /// Runs a batch and returns the logits (`count × outputCount`): the first output of a model
  /// with one float32 input.
  /// - Parameters:
  ///   - input: `count × inputCount` pixels in CHW order.
  ///   - count: batch size.
  /// - Returns: `count × outputCount` floats, sample after sample.
  /// - Throws: ``EngineError/inputSize(expected:got:)`` when the size is wrong;
  ///   ``EngineError/unsupported(_:)`` for a model with several or non-float inputs.
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
  ///   - observe: called after every dense/conv/pool/relu step with its name and float values
  ///     (on a ``DynamicGraphPlan`` engine, which frees intermediate values as it goes, such a
  ///     call runs on the reference interpreter).
  /// - Returns: `count × outputCount` floats, sample after sample.
  /// - Throws: ``EngineError/inputSize(expected:got:)`` when the size is wrong;
  ///   ``EngineError/unsupported(_:)`` for a model with several or non-float inputs.
  public func run(
    _ input: [Float], count: Int, profile: Bool, diagnostics: inout RunDiagnostics,
    observe: ((String, [Float]) -> Void)?
  ) throws -> [Float] {
    if let dynamic, dynamic.flatInput == nil {
      throw EngineError.unsupported(
        "the model takes \(inputs.map(\.description).joined(separator: ", ")); run it with named tensors (run(_:)), not a float batch")
    }
    guard count > 0, input.count == count * plan.inputCount else {
      throw EngineError.inputSize(expected: plan.inputCount, got: input.count)
    }
    if let interpreted { return try interpreted.run(input, count: count, observe: observe) }
    if let graphPlan { return try runGraph(graphPlan, input, count: count, profile: profile, diagnostics: &diagnostics, observe: observe) }
    if let dynamic { return try dynamic.run(input, count: count, profile: profile, diagnostics: &diagnostics, observe: observe) }
    var output = [Float](repeating: 0, count: count * plan.outputCount)
    try input.withUnsafeBufferPointer { inputPointer in
      try output.withUnsafeMutableBufferPointer { outputPointer in
        try runChainPlan(
          inputPointer.baseAddress!, count: count, output: outputPointer.baseAddress!, profile: profile,
          diagnostics: &diagnostics, observe: observe)
      }
    }
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
