import Tessera
import TesseraNN

/// One step of a ``GraphPlan``: a node compiled to a fast kernel, or run by the reference
/// kernels (`fallback`). Views (Flatten, Reshape, Squeeze, Unsqueeze, Identity, Dropout) have
/// no step: their output aliases their input.
struct GraphStep: Sendable {
  /// The node's name.
  let name: String
  /// What runs.
  let kind: GraphStepKind
  /// Values read, by index into ``GraphPlan/values``: the batched operands of a fast kernel in
  /// its order, or every node input of a fallback (−1 for an omitted optional input).
  let inputs: [Int]
  /// Values written (−1 for an output nobody reads).
  var outputs: [Int]
  /// True for Gemm/MatMul/Conv (and fused) nodes, whose outputs the observer receives.
  let observed: Bool
  /// Multiply-accumulates per sample.
  let macs: Int
  /// For an observed node the passes changed (BatchNorm folded into it, a bias added): the
  /// kernel of the node as the unfused graph has it, run only when observing so the observer
  /// sees what the interpreter reports for that node.
  var observation: GraphStepKind? = nil

  /// Profile label (`fp32-conv`, `fp32-gemm`, `fp32-add`, `reference-Transpose`, …).
  var kindName: String {
    switch kind {
    case .linear: "fp32-gemm"
    case .conv: "fp32-conv"
    case let .binary(b): "fp32-\(b.op)"
    case let .unary(u): "fp32-\(u.name)"
    case let .pool(p): p.isMax ? "fp32-maxpool" : "fp32-avgpool"
    case .globalAveragePool: "fp32-global-avgpool"
    case .concat: "fp32-concat"
    case .softmax: "fp32-softmax"
    case let .fallback(f): "reference-\(f.node.op)"
    }
  }

  /// True when the step may write its output over its first input's buffer (elementwise).
  var isElementwise: Bool {
    switch kind {
    case .binary, .unary: true
    default: false
    }
  }
}

/// The kernel of a ``GraphStep``.
enum GraphStepKind: Sendable {
  /// Gemm/MatMul with a constant weight (BLAS), fused bias and activation.
  case linear(LinearKernel)
  /// 2-D convolution, groups 1 (im2col + BLAS), fused bias and activation.
  case conv(ConvKernel)
  /// Add/Sub/Mul/Div of two equal-shape values or a value and a broadcast constant.
  case binary(BinaryKernel)
  /// An elementwise function of one value.
  case unary(UnaryKernel)
  /// MaxPool or AveragePool (2-D).
  case pool(PoolKernel)
  /// GlobalAveragePool: `planes` planes of `spatial` values per sample.
  case globalAveragePool(planes: Int, spatial: Int)
  /// Concat off the batch axis.
  case concat(ConcatKernel)
  /// Softmax over contiguous groups of `length` values.
  case softmax(length: Int)
  /// Any other node, on the reference kernels.
  case fallback(FallbackKernel)
}

/// `Y[rows, N] = X[rows, K] · Wᵀ + bias`, then the activation; `rows` per sample.
struct LinearKernel: Sendable {
  let rows: Int, k: Int, n: Int
  /// `[N, K]` row-major (ONNX's B transposed, scaled by alpha).
  let weight: [Float]
  /// `[N]` (beta · C), or nil.
  let bias: [Float]?
  let activation: Activation

  func run(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, activate: Bool) {
    let m = count * rows
    if let bias {
      bias.withUnsafeBufferPointer { b in for r in 0..<m { (y + r * n).update(from: b.baseAddress!, count: n) } }
    }
    let beta: Float = bias == nil ? 0 : 1
    weight.withUnsafeBufferPointer { w in
      if m == 1 {
        BLAS.sgemv(transposeA: false, m: n, n: k, alpha: 1, a: w.baseAddress!, lda: k, x: x, beta: beta, y: y)
      } else {
        BLAS.sgemm(
          transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: x, lda: k, b: w.baseAddress!, ldb: k,
          beta: beta, c: y, ldc: n)
      }
    }
    if activate { activation.apply(y, count: m * n) }
  }
}

/// A 2-D convolution per sample: `Y[M, OH·OW] = W[M, C·kh·kw] · im2col(X) + bias`, then the
/// activation (a 1×1 stride-1 unpadded convolution reads X directly).
struct ConvKernel: Sendable {
  let channels: Int, outputs: Int
  let window: Window2D
  /// `[M, C · kh · kw]`.
  let weight: [Float]
  let bias: [Float]?
  let activation: Activation

  var patch: Int { channels * window.taps }
  /// Floats of im2col scratch (one sample at a time).
  var scratchFloats: Int { window.isPointwise ? 0 : patch * window.outputPlane }

  func run(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, scratch: UnsafeMutablePointer<Float>,
    activate: Bool
  ) {
    let p = window.outputPlane, k = patch
    let inSample = channels * window.inputPlane, outSample = outputs * p
    for s in 0..<count {
      var b = x + s * inSample
      if !window.isPointwise {
        NCHWKernels.im2col(b, channels: channels, window, into: scratch)
        b = UnsafePointer(scratch)
      }
      let out = y + s * outSample
      if let bias {
        for m in 0..<outputs { (out + m * p).update(repeating: bias[m], count: p) }
      }
      weight.withUnsafeBufferPointer { w in
        BLAS.sgemm(
          transposeA: false, transposeB: false, m: outputs, n: p, k: k, alpha: 1, a: w.baseAddress!, lda: k, b: b,
          ldb: p, beta: bias == nil ? 0 : 1, c: out, ldc: p)
      }
    }
    if activate { activation.apply(y, count: count * outSample) }
  }
}

/// MaxPool or AveragePool over `planes` planes per sample.
struct PoolKernel: Sendable {
  let isMax: Bool
  let planes: Int
  let window: Window2D
  /// AveragePool divisors per output row and column (tap counts).
  let rows: [Int], columns: [Int]

  func run(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    if isMax {
      NCHWKernels.maxPool(x, planes: count * planes, window, into: y)
    } else {
      NCHWKernels.averagePool(x, planes: count * planes, window, rows: rows, columns: columns, into: y)
    }
  }
}

/// Concat along an axis after the batch: per sample, `outer` rows each made of one chunk from
/// every input.
struct ConcatKernel: Sendable {
  let chunks: [Int]
  let outer: Int
}

/// A node the fast kernels do not cover, evaluated by `OperatorKernels` (a fused node runs as
/// its base operator, then its activation).
struct FallbackKernel: Sendable {
  /// The node as evaluated (a fused node's base operator, without the activation attributes).
  let node: Node
  /// The fused activation to apply after it.
  let activation: Activation
  let opset: Int
}
