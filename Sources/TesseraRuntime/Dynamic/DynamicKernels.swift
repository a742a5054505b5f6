import CTesseraKernels
import Foundation
import Tessera

/// The float vector-math kernels for this CPU (exp, erf, GELU, softmax, LayerNorm; AVX-512F,
/// AVX2+FMA or scalar C, docs/kernels.md §9), chosen once per process (honours `TESSERA_ISA`).
nonisolated(unsafe) let vectorMath: UnsafePointer<tsr_f32_vmath_config> =
  tsr_f32_vmath() ?? tsr_f32_vmath_for_isa(TSR_ISA_SCALAR)!

/// The float kernels of ``DynamicGraphPlan``'s fast steps.
enum DynamicKernels {
  /// Numpy broadcasting of two shapes, nil when they do not broadcast.
  static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
    var out = [Int](repeating: 0, count: rank)
    for i in 0..<rank {
      guard pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1 else { return nil }
      out[i] = pa[i] == 1 ? pb[i] : pa[i]
    }
    return out
  }

  /// Row-major strides of `shape` broadcast to `out` (0 along broadcast dimensions).
  static func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    let padded = [Int](repeating: 1, count: out.count - shape.count) + shape
    var strides = [Int](repeating: 0, count: out.count)
    var s = 1
    for i in stride(from: out.count - 1, through: 0, by: -1) {
      strides[i] = padded[i] == 1 && out[i] != 1 ? 0 : s
      s *= padded[i]
    }
    return strides
  }

  /// Elementwise binary operators.
  enum Binary: Sendable {
    case add, sub, mul, div
  }

  /// `out = a ∘ b` with broadcasting; `out` has `outShape` (from ``broadcast(_:_:)``).
  static func binary(
    _ op: Binary, _ a: UnsafePointer<Float>, _ aShape: [Int], _ b: UnsafePointer<Float>, _ bShape: [Int],
    _ out: UnsafeMutablePointer<Float>, _ outShape: [Int]
  ) {
    let count = outShape.reduce(1, *)
    guard count > 0 else { return }
    let rank = outShape.count
    let sa = broadcastStrides(aShape, to: outShape), sb = broadcastStrides(bShape, to: outShape)
    // Fold the trailing dimensions where each operand is contiguous throughout (stride 1 runs)
    // or broadcast throughout (stride 0) into one run of `inner` elements.
    var inner = 1, d = rank, innerA = -1, innerB = -1
    while d > 0 {
      let dim = outShape[d - 1]
      if dim == 1 {
        d -= 1
        continue
      }
      let ka = sa[d - 1] == 0 ? 0 : 1, kb = sb[d - 1] == 0 ? 0 : 1
      if innerA < 0 { (innerA, innerB) = (ka, kb) }
      guard ka == innerA, kb == innerB, ka == 0 || sa[d - 1] == inner, kb == 0 || sb[d - 1] == inner else { break }
      inner *= dim
      d -= 1
    }
    if innerA < 0 { (innerA, innerB) = (1, 1) }
    if inner == 0 { return }
    let outer = count / inner
    var index = [Int](repeating: 0, count: d)
    var offA = 0, offB = 0
    for r in 0..<outer {
      run(op, a + offA, innerA, b + offB, innerB, out + r * inner, inner)
      var k = d - 1
      while k >= 0 {
        index[k] += 1
        offA += sa[k]
        offB += sb[k]
        if index[k] < outShape[k] { break }
        offA -= sa[k] * outShape[k]
        offB -= sb[k] * outShape[k]
        index[k] = 0
        k -= 1
      }
    }
  }

  /// One contiguous run: strides 0 (broadcast scalar) or 1.
  @inline(__always)
  static func run(
    _ op: Binary, _ a: UnsafePointer<Float>, _ da: Int, _ b: UnsafePointer<Float>, _ db: Int,
    _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) {
    switch (op, da, db) {
    case (.add, 1, 1): for i in 0..<n { out[i] = a[i] + b[i] }
    case (.add, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] + s }
    case (.add, 0, 1): let s = a[0]; for i in 0..<n { out[i] = s + b[i] }
    case (.sub, 1, 1): for i in 0..<n { out[i] = a[i] - b[i] }
    case (.sub, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] - s }
    case (.sub, 0, 1): let s = a[0]; for i in 0..<n { out[i] = s - b[i] }
    case (.mul, 1, 1): for i in 0..<n { out[i] = a[i] * b[i] }
    case (.mul, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] * s }
    case (.mul, 0, 1): let s = a[0]; for i in 0..<n { out[i] = s * b[i] }
    case (.div, 1, 1): for i in 0..<n { out[i] = a[i] / b[i] }
    case (.div, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] / s }
    case (.div, 0, 1): let s = a[0]; for i in 0..<n { out[i] = s / b[i] }
    default:
      let x = a[0], y = b[0]
      let v: Float = switch op { case .add: x + y; case .sub: x - y; case .mul: x * y; case .div: x / y }
      for i in 0..<n { out[i] = v }
    }
  }

  /// LayerNorm over rows of `n`: `(x − mean)/√(var + ε)·γ + β` (C kernel, statistics in float
  /// over the row shifted by its first element).
  static func layerNorm(
    _ x: UnsafePointer<Float>, rows: Int, n: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>?,
    epsilon: Float, _ out: UnsafeMutablePointer<Float>
  ) {
    vectorMath.pointee.layernorm(rows, n, x, n, nil, 0, out, n, gamma, beta, epsilon)
  }

  /// LayerNorm of `a + b` over rows of `n` into `out` (of `shape`): equal shapes in one kernel
  /// call (`add_layernorm`), broadcasting ones through ``binary(_:_:_:_:_:_:_:)`` first.
  static func addLayerNorm(
    _ a: UnsafePointer<Float>, _ aShape: [Int], _ b: UnsafePointer<Float>, _ bShape: [Int], rows: Int, n: Int,
    gamma: UnsafePointer<Float>, beta: [Float]?, epsilon: Float, into out: UnsafeMutablePointer<Float>, _ shape: [Int]
  ) {
    let equal = aShape == bShape
    if !equal { binary(.add, a, aShape, b, bShape, out, shape) }
    func run(_ beta: UnsafePointer<Float>?) {
      if equal {
        vectorMath.pointee.add_layernorm(rows, n, a, n, b, n, out, n, gamma, beta, epsilon)
      } else {
        vectorMath.pointee.layernorm(rows, n, out, n, nil, 0, out, n, gamma, beta, epsilon)
      }
    }
    if let beta { beta.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
  }

  /// Softmax over rows of `n` (a fully masked row, all −∞, gives zeros).
  static func softmax(_ x: UnsafePointer<Float>, rows: Int, n: Int, _ out: UnsafeMutablePointer<Float>) {
    vectorMath.pointee.softmax(rows, n, x, n, out, n, 1, nil)
  }

  /// Unary activations.
  enum Unary: Sendable, Equatable {
    case gelu, geluTanh, erf, tanh, relu, sigmoid
  }

  /// `out[i] = f(x[i])`.
  static func unary(_ op: Unary, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    switch op {
    case .gelu: vectorMath.pointee.gelu_erf(n, x, out)
    case .geluTanh: vectorMath.pointee.gelu_tanh(n, x, out)
    case .erf: vectorMath.pointee.erf(n, x, out)
    case .tanh: for i in 0..<n { out[i] = tanhf(x[i]) }
    case .relu: for i in 0..<n { out[i] = max(x[i], 0) }
    case .sigmoid: for i in 0..<n { out[i] = 1 / (1 + expf(-x[i])) }
    }
  }

  /// Copies `x` of `shape` into `out` with axes permuted by `perm` (`out` dimension i is input dimension perm[i]).
  static func transpose(_ x: UnsafePointer<Float>, _ shape: [Int], _ perm: [Int], _ out: UnsafeMutablePointer<Float>) {
    let rank = shape.count
    let count = shape.reduce(1, *)
    guard count > 0 else { return }
    var inStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
    let outShape = perm.map { shape[$0] }
    let strides = perm.map { inStrides[$0] }
    // Innermost output dimension: contiguous copy when it is the input's innermost too.
    let n = outShape[rank - 1], s = strides[rank - 1]
    let outer = count / n
    var index = [Int](repeating: 0, count: rank - 1)
    var offset = 0
    for r in 0..<outer {
      let dst = out + r * n, src = x + offset
      if s == 1 { dst.update(from: src, count: n) } else { for i in 0..<n { dst[i] = src[i * s] } }
      var k = rank - 2
      while k >= 0 {
        index[k] += 1
        offset += strides[k]
        if index[k] < outShape[k] { break }
        offset -= strides[k] * outShape[k]
        index[k] = 0
        k -= 1
      }
    }
  }
}

extension DynamicKernels {
  /// Adds the bias to each of `rows` rows of `n` and applies the activation, in place.
  static func epilogue(_ y: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: [Float]?, activation: Unary?) {
    if let bias {
      bias.withUnsafeBufferPointer { b in
        for r in 0..<rows {
          let row = y + r * n
          for j in 0..<n { row[j] += b[j] }
        }
      }
    }
    if let activation { unary(activation, y, y, rows * n) }
  }
}
