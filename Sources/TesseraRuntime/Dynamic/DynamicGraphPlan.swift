import Tessera
import TesseraGraph

/// A graph compiled once for inputs of any size along its symbolic dimensions: several inputs
/// of any element type (token ids and an attention mask, say), dynamic batch and sequence
/// length, shapes resolved per call — no recompilation when the length changes.
///
/// Compiling runs validation, shape inference (dimensions stay symbolic), constant folding,
/// `Graph.fusingGelu()` and dead-node removal, then picks a step per node:
/// - MatMul by a constant `[K, N]` weight → one sgemm over all rows, with a following Add of a
///   constant `[N]` bias and a GELU/Relu/Tanh/Sigmoid fused into its epilogue;
/// - MatMul of two activations → batched sgemm with broadcast batch dimensions (attention's
///   Q·Kᵀ and P·V with heads as a batch dimension);
/// - Add/Sub/Mul/Div with numpy broadcasting, LayerNormalization and Softmax over the last
///   axis, GELU, Erf, Tanh, Relu, Sigmoid, Transpose, and Gather of rows from a constant float
///   table (embedding lookup) on float kernels;
/// - Reshape, Unsqueeze, Squeeze, Flatten and Identity of float values as views (no copy);
/// - anything else (shape arithmetic on int64, casts, comparisons, Where, reductions, …) on the
///   reference interpreter's kernel, so every graph the interpreter runs also runs here.
///
/// Float intermediates live in buffers borrowed from a pool that is kept between calls; a
/// buffer goes back to the pool after the last step that reads it (or any view of it). A plan is
/// immutable and `Sendable`; ``run(_:stepNanoseconds:)`` may be called from many threads at once (each call
/// takes its own pool).
public struct DynamicGraphPlan: Sendable {
  /// The graph after the compile passes, nodes in topological order.
  public let graph: Graph
  /// The graph inputs (names and types, symbolic dimensions kept).
  public let inputs: [ValueInfo]
  /// The graph outputs.
  public let outputs: [ValueInfo]
  let steps: [DynamicStep]
  let slotCount: Int
  let inputSlots: [Int]
  let outputSlots: [Int]
  /// Constants (initializers) by slot, loaded into every call's value table.
  let constants: [(slot: Int, tensor: GraphTensor)]
  /// Per step: the buffer groups (root slot and its views) whose last reader it is.
  let releases: [[(root: Int, members: [Int])]]
  let pools = BufferPoolCache()
  /// Threads the int8 Linear layers use per call.
  public let threads: Int

  /// The steps as (node name, kernel kind) pairs in execution order.
  public var stepKinds: [(node: String, kind: String)] { steps.map { ($0.name, $0.kindName) } }

  /// Names of the nodes that run on the reference interpreter's kernels.
  public var fallbackNodes: [String] {
    steps.compactMap { if case .fallback = $0.kind { $0.name } else { nil } }
  }

  /// Compiles a graph.
  /// - Parameters:
  ///   - graph: any graph whose operators the reference interpreter supports (or Tessera's
  ///     fused operators, such as `DynamicQuantizedLinear`).
  ///   - threads: threads for the int8 Linear layers (BLAS has its own setting).
  /// - Throws: `GraphIRError` when the graph is invalid or has an operator without a kernel.
  public init(graph: Graph, threads: Int = 1) throws {
    self.threads = Swift.max(1, threads)
    let checked = try graph.validate()
    for node in checked.nodes {
      if node.domain == TesseraOperators.domain, TesseraOperators.all.contains(node.op) { continue }
      guard OperatorKernels.supports(node.op, domain: node.domain, opset: checked.opset) else {
        let op = node.domain.isEmpty ? node.op : "\(node.domain).\(node.op)"
        throw GraphIRError.unsupportedOperator(node: node.name, op: op, opset: checked.opset)
      }
    }
    let opset = checked.opset
    let g = try checked.inferringTypes().foldingConstants { node, inputs in
      try OperatorKernels.evaluate(node, inputs: inputs.map { $0 }, opset: opset)
    }.fusingGelu().removingDeadNodes().inferringTypes().validate()
    var compiler = DynamicCompiler(graph: g)
    try compiler.compile()
    self.graph = g
    inputs = g.inputs
    outputs = g.outputs
    steps = compiler.steps
    slotCount = compiler.slots.count
    inputSlots = g.inputs.map { compiler.slots[$0.name]! }
    outputSlots = g.outputs.map { compiler.slots[$0.name]! }
    constants = g.initializers.map { (compiler.slots[$0.key] ?? -1, $0.value) }.filter { $0.0 >= 0 }
    releases = compiler.releases()
  }
}
