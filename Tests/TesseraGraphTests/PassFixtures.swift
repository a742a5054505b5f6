import Testing

@testable import TesseraGraph

/// Helpers for the pass tests: a tiny evaluator and naive float Conv/Gemm.
enum PassFixtures {
  /// Evaluates Add, Mul (same shapes or a one-element operand), Reshape and Concat (axis 0) on
  /// float32/int64 tensors — enough to test constant folding without the interpreter.
  static func evaluate(_ node: Node, _ inputs: [GraphTensor]) throws -> [GraphTensor] {
    func elementwise(_ f: (Double, Double) -> Double) throws -> GraphTensor {
      let a = inputs[0], b = inputs[1]
      let shape = a.count >= b.count ? a.shape : b.shape
      let n = max(a.count, b.count)
      let x = a.doubles, y = b.doubles
      let v = (0..<n).map { f(x[a.count == 1 ? 0 : $0], y[b.count == 1 ? 0 : $0]) }
      return a.elementType == .int64
        ? try GraphTensor(int64: v.map { Int64($0) }, shape: shape) : try GraphTensor(float32: v.map { Float($0) }, shape: shape)
    }
    switch node.op {
    case "Add": return [try elementwise(+)]
    case "Mul": return [try elementwise(*)]
    case "Reshape": return [try inputs[0].reshaped(inputs[1].integers!)]
    case "Concat":
      let values = inputs.flatMap { $0.int64! }
      return [try GraphTensor(int64: values, shape: [values.count])]
    default: throw GraphIRError.unsupportedOperator(node: node.name, op: node.op, opset: 17)
    }
  }

  /// Naive NCHW convolution (no padding, stride 1, group 1) in Double.
  static func conv(x: [Double], xShape: [Int], w: [Double], wShape: [Int], bias: [Double]?) -> [Double] {
    let (n, c, h, wd) = (xShape[0], xShape[1], xShape[2], xShape[3])
    let (m, kh, kw) = (wShape[0], wShape[2], wShape[3])
    let (oh, ow) = (h - kh + 1, wd - kw + 1)
    var out = [Double](repeating: 0, count: n * m * oh * ow)
    for b in 0..<n {
      for o in 0..<m {
        for i in 0..<oh {
          for j in 0..<ow {
            var acc = bias?[o] ?? 0
            for ch in 0..<c {
              for p in 0..<kh {
                for q in 0..<kw {
                  acc += x[((b * c + ch) * h + i + p) * wd + j + q] * w[((o * c + ch) * kh + p) * kw + q]
                }
              }
            }
            out[((b * m + o) * oh + i) * ow + j] = acc
          }
        }
      }
    }
    return out
  }

  /// Naive Gemm `alpha · A · B' + beta · C` (C of length N broadcast over rows) in Double.
  static func gemm(a: [Double], m: Int, k: Int, b: [Double], n: Int, transB: Bool, c: [Double]?, alpha: Double, beta: Double) -> [Double] {
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var acc = 0.0
        for p in 0..<k { acc += a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]) }
        out[i * n + j] = alpha * acc + beta * (c.map { $0.count == 1 ? $0[0] : $0[j] } ?? 0)
      }
    }
    return out
  }

  /// Inference batch normalization over axis 1 of a tensor with `channels` channels and
  /// `inner` elements per channel and sample.
  static func batchNorm(_ x: [Double], channels: Int, inner: Int, scale: [Double], bias: [Double], mean: [Double], variance: [Double], epsilon: Double) -> [Double] {
    x.indices.map { i in
      let ch = (i / inner) % channels
      return (x[i] - mean[ch]) / (variance[ch] + epsilon).squareRoot() * scale[ch] + bias[ch]
    }
  }

  /// Deterministic pseudo-random values in [-1, 1) (a linear congruential sequence).
  static func values(_ count: Int, seed: UInt64) -> [Float] {
    var s = seed
    return (0..<count).map { _ in
      s = s &* 6364136223846793005 &+ 1442695040888963407
      return Float(Double(s >> 11) / Double(1 << 53) * 2 - 1)
    }
  }
}
