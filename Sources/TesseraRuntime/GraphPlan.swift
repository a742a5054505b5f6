import TesseraNN

/// A float or QDQ graph compiled for fast execution: any DAG (residual adds, concatenations, several
/// outputs) with one float32 input `[batch, …fixed]`, run as a list of steps over one arena per
/// call (kept for the next call), with the reference interpreter's semantics.
///
/// Compiling runs shape inference (the batch dimension stays symbolic), constant folding and
/// the fusion passes (BatchNorm into Conv/Gemm, bias into Gemm, Relu/Clip into the producer),
/// then picks a kernel per node:
/// - Gemm, MatMul (constant weight) and 2-D Conv (groups 1, constant weight) on BLAS sgemm with
///   the bias and the Relu/Clip epilogue fused; Add/Sub/Mul/Div of equal shapes or with a
///   scalar, per-channel or per-sample constant; Relu, LeakyRelu, Sigmoid, Tanh, Clip, an
///   unfused inference BatchNormalization; MaxPool, AveragePool, GlobalAveragePool (NCHW);
///   Concat off the batch axis; Softmax over the last axis;
/// - Flatten, Reshape, Squeeze, Unsqueeze, Identity and inference Dropout as views (the output
///   aliases the input's memory; no copy);
/// - every other node on a *fallback* step that evaluates it with `OperatorKernels` (correct,
///   slower), so every float graph the interpreter runs also runs here;
/// - QDQ graphs: DequantizeLinear of constants folded into float weights (which then take the
///   fast Gemm/Conv steps), an activation QuantizeLinear → DequantizeLinear pair (per tensor)
///   as one fake-quantize step on floats, other int8 operators on the fallback.
///
/// Each batched value gets an arena offset by liveness (`ArenaPlanner`: a value's memory is
/// free after its last reader; elementwise steps run in place), so a chain of N residual blocks
/// needs the same arena as one block. A plan is immutable and `Sendable`; ``run(_:count:observe:)``
/// may be called from many threads at once.
///
/// For example:
/// ```swift
/// let plan = try GraphPlan(graph: graph)          // input ["batch", 1, 28, 28]
/// let outputs = try plan.run(pixels, count: 1)    // one GraphTensor per graph output
/// print(outputs[0].float32!)
/// ```
public struct GraphPlan: Sendable {
  /// The graph after the compile passes, nodes in topological order.
  public let graph: Graph
  /// The graph input's name.
  public let inputName: String
  /// The per-sample input shape (the batch dimension excluded).
  public let sampleShape: [Int]
  /// The batch dimension (a symbol, or a fixed size every call must use).
  let batch: Dimension
  /// The graph output names, in order.
  public let outputNames: [String]
  /// Per-sample shape of each output (nil when its shape is not `[batch, …fixed]`).
  public let outputSampleShapes: [[Int]?]
  /// Arena bytes per sample (every batched value's buffer, reused by liveness).
  public let arenaBytesPerSample: Int
  /// Bytes of im2col scratch per call (independent of the batch).
  public let scratchBytes: Int
  /// Bytes of the graph's constants after the passes.
  public let weightBytes: Int
  /// Names of the Gemm/MatMul/Conv nodes (fused or not), whose outputs the observer receives.
  public let linearNodes: [String]
  /// True when the graph computes in int8 (QuantizeLinear, QLinear*, MatMulInteger nodes): a QDQ
  /// graph, computed in float with fake-quantize steps as the interpreter does.
  public let isQuantized: Bool

  /// Every value the steps read or write.
  let values: [PlannedValue]
  /// The steps in execution order.
  let steps: [GraphStep]
  /// Value index of each graph output.
  let outputValues: [Int]
  /// How many values live in the per-call table of fallback-only values.
  let sideCount: Int
  /// The arenas of past calls, reused by the next ones (see `ArenaPool`).
  let arenas = ArenaPool()

  /// Values per input sample.
  public var inputCount: Int { sampleShape.reduce(1, *) }

  /// Arena bytes one call with `count` samples allocates (activations + scratch).
  /// - Parameter count: samples in the call.
  public func arenaBytes(count: Int) -> Int { count * arenaBytesPerSample + scratchBytes }

  /// The steps as (node name, kernel kind) pairs in execution order; kinds are `fp32-conv`,
  /// `fp32-gemm`, `fp32-add`, `fp32-relu`, `fp32-maxpool`, …, or `reference-<op>` for a node on
  /// the reference fallback. Views have no step.
  public var stepKinds: [(node: String, kind: String)] { steps.map { ($0.name, $0.kindName) } }

  /// Names of the nodes that run on the reference fallback.
  public var fallbackNodes: [String] {
    steps.compactMap { if case .fallback = $0.kind { $0.name } else { nil } }
  }
}

/// Where a value of a ``GraphPlan`` lives during a call.
enum ValueLocation: Sendable {
  /// The caller's input buffer (the graph input and views of it; never written).
  case input
  /// The arena, at this byte offset per sample (× the call's sample count).
  case arena(Int)
  /// The per-call table of values only fallback steps read (not `[batch, …fixed]` float32).
  case side(Int)
  /// A constant.
  case constant(GraphTensor)
}

/// A value of a ``GraphPlan``.
struct PlannedValue: Sendable {
  let name: String
  var location: ValueLocation
  /// Per-sample shape of a batched float32 value (`[batch] + sampleShape`), nil otherwise.
  let sampleShape: [Int]?

  /// Values per sample (0 for an unbatched value).
  var sampleCount: Int { sampleShape?.reduce(1, *) ?? 0 }
  /// True for a value the fast kernels can read (batched, in the input or the arena).
  var isBatched: Bool {
    switch location {
    case .input, .arena: sampleShape != nil
    default: false
    }
  }
}
