import Tessera
import TesseraGraph

/// The weights of a Linear step (`y = x · W + b`, then an optional activation).
final class LinearWeights: Sendable {
  /// Inputs per row (K).
  let k: Int
  /// Outputs per row (N).
  let n: Int
  /// `[K, N]` row-major float weights (nil when only the int8 form is kept).
  let weights: [Float]?
  /// `[N]` bias.
  let bias: [Float]?
  /// Activation applied after the bias.
  let activation: DynamicKernels.Unary?
  /// The int8 form (weights per output channel, activations quantized per row; bias inside).
  let int8: DynamicQuantizedLinear?
  /// Float weights packed once for the f32-gemm kernels (bias inside), used instead of sgemm
  /// where that kernel is AVX-512 (docs/kernels.md: 1.05–3.6× OpenBLAS at 16–128 rows).
  let packed: PackedFloatLinear?

  init(
    k: Int, n: Int, weights: [Float]?, bias: [Float]?, activation: DynamicKernels.Unary?,
    int8: DynamicQuantizedLinear? = nil, packed: PackedFloatLinear? = nil
  ) {
    self.k = k
    self.n = n
    self.weights = weights
    self.bias = bias
    self.activation = activation
    self.int8 = int8
    self.packed = packed
  }
}

/// How a view step derives its output shape.
enum ViewRule: Sendable {
  /// Reshape with the target shape in input 1 (ONNX 0 = copy, −1 = infer).
  case reshape(allowZero: Bool)
  /// Unsqueeze with axes in an attribute or input 1.
  case unsqueeze(axes: [Int]?)
  /// Squeeze with axes in an attribute or input 1 (nil and no input: every size-1 axis).
  case squeeze(axes: [Int]?)
  /// Flatten at an axis.
  case flatten(axis: Int)
  /// The same shape.
  case identity
}

/// What one step of a ``DynamicGraphPlan`` does.
enum DynamicStepKind: Sendable {
  /// `x[…, K] · W[K, N] + b`, then an activation (sgemm).
  case linear(LinearWeights)
  /// Batched `A[…, M, K] · B[…, K, N]` with broadcast batch dimensions. An operand may be read
  /// through a transpose that was folded in (`aPerm`, `bPerm`: the folded Transpose's `perm`,
  /// applied to the stored tensor), and the result may be written already transposed (`outPerm`,
  /// the folded consumer Transpose's `perm`, which keeps the last axis last): attention's
  /// head split/merge transposes then cost nothing (strided sgemm).
  case matMul(aPerm: [Int]?, bPerm: [Int]?, outPerm: [Int]?)
  /// Softmax over the last axis of `scale · x + mask`, mask `[B or 1, 1, 1, S]` shared by every
  /// row of a batch entry (attention scores: folded Mul by a scalar and Add of the mask).
  case maskedSoftmax(scale: Float)
  /// Elementwise Add/Sub/Mul/Div with broadcasting.
  case binary(DynamicKernels.Binary)
  /// LayerNormalization over the last axis.
  case layerNorm(gamma: [Float], beta: [Float]?, epsilon: Float)
  /// LayerNormalization over the last axis of `a + b` (a folded residual Add; one pass for the
  /// add when the shapes are equal, the broadcasting add first otherwise).
  case addLayerNorm(gamma: [Float], beta: [Float]?, epsilon: Float)
  /// Softmax over the last axis.
  case softmax
  /// ReduceSum or ReduceMean of a float tensor over one axis (negative: from the end).
  case reduce(axis: Int, keepDims: Bool, mean: Bool)
  /// An elementwise activation.
  case unary(DynamicKernels.Unary)
  /// A transposed copy.
  case transpose([Int])
  /// A new shape over the same memory.
  case view(ViewRule)
  /// Rows of a constant float table `[V, H]` picked by integer indices (Gather axis 0).
  case gatherRows(table: GraphTensor)
  /// ONNX Slice of a float tensor with unit steps as contiguous copies (inputs: data, starts,
  /// ends, optional axes and steps); the reference kernel runs any other Slice it meets.
  case slice(Node)
  /// The reference interpreter's kernel.
  case fallback(Node)
}

/// One step: a kind, the value slots it reads (−1 for an omitted input) and the slot it writes.
struct DynamicStep: Sendable {
  /// The node's name.
  let name: String
  /// The node's operator (for profiles).
  let op: String
  let kind: DynamicStepKind
  let inputs: [Int]
  let outputs: [Int]

  /// A short name of the kernel (`fp32-linear`, `fp32-matmul`, `reference-Where`, …).
  var kindName: String {
    switch kind {
    case let .linear(w):
      if let q = w.int8 { "qd8-linear-\(q.isa)" } else if let p = w.packed { "fp32-linear-\(p.isa)" } else { "fp32-linear" }
    case .matMul: "fp32-matmul"
    case .binary: "fp32-binary"
    case .layerNorm: "fp32-layernorm"
    case .addLayerNorm: "fp32-add-layernorm"
    case .softmax, .maskedSoftmax: "fp32-softmax"
    case .unary: "fp32-unary"
    case .reduce: "fp32-reduce"
    case .transpose: "fp32-transpose"
    case .view: "view"
    case .gatherRows: "fp32-gather"
    case .slice: "fp32-slice"
    case let .fallback(node): "reference-\(node.op)"
    }
  }
}
