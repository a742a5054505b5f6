import Foundation

/// Add, Sub, Mul or Div in float32, exactly as the reference kernels compute them.
enum BinaryOperator: String, Sendable {
  case add, sub, mul, div

  /// The ONNX operator's arithmetic.
  init?(op: String) {
    switch op {
    case "Add": self = .add
    case "Sub": self = .sub
    case "Mul": self = .mul
    case "Div": self = .div
    default: return nil
    }
  }
}

/// The second operand of a ``BinaryKernel``.
enum BinaryOperand: Sendable {
  /// Another batched value of the same shape.
  case value
  /// One constant for every element.
  case scalar(Float)
  /// A constant per channel (the axis after the batch), each repeated over `inner` values.
  case channel([Float], inner: Int)
  /// A constant per element of one sample (the constant broadcast to the sample shape).
  case sample([Float])
}

/// `Y = A ∘ B` where A is a batched value and B another one of the same shape or a constant
/// broadcast to A's shape (`constantFirst`: the constant is the left operand, as in `c − x`).
struct BinaryKernel: Sendable {
  let op: BinaryOperator
  let operand: BinaryOperand
  let constantFirst: Bool
  /// Values per sample.
  let sampleCount: Int

  func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, count: Int) {
    switch op {
    case .add: body(a, b, y, count, +)
    case .sub: body(a, b, y, count, -)
    case .mul: body(a, b, y, count, *)
    case .div: body(a, b, y, count, /)
    }
  }

  @inline(__always)
  private func body(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ count: Int,
    _ f: (Float, Float) -> Float
  ) {
    let total = count * sampleCount
    switch operand {
    case .value:
      let b = b!
      for i in 0..<total { y[i] = f(a[i], b[i]) }
    case let .scalar(c):
      if constantFirst { for i in 0..<total { y[i] = f(c, a[i]) } } else { for i in 0..<total { y[i] = f(a[i], c) } }
    case let .channel(values, inner):
      let channels = values.count
      for s in 0..<count {
        for ch in 0..<channels {
          let c = values[ch], base = (s * channels + ch) * inner
          if constantFirst {
            for i in base..<(base + inner) { y[i] = f(c, a[i]) }
          } else {
            for i in base..<(base + inner) { y[i] = f(a[i], c) }
          }
        }
      }
    case let .sample(values):
      values.withUnsafeBufferPointer { v in
        for s in 0..<count {
          let base = s * sampleCount
          if constantFirst {
            for i in 0..<sampleCount { y[base + i] = f(v[i], a[base + i]) }
          } else {
            for i in 0..<sampleCount { y[base + i] = f(a[base + i], v[i]) }
          }
        }
      }
    }
  }
}

/// A float function of one value, elementwise.
enum UnaryKernel: Sendable {
  /// Relu or Clip.
  case activation(Activation)
  /// `x < 0 ? alpha · x : x`.
  case leakyRelu(alpha: Float)
  /// `1 / (1 + e^(−x))`, in double as the reference (no overflow for either sign).
  case sigmoid
  /// `tanh(x)` in double.
  case tanh
  /// Inference BatchNormalization not folded into a producer: `x · scale[c] + shift[c]` per
  /// channel (the axis after the batch), each over `inner` values.
  case affine(scale: [Float], shift: [Float], inner: Int)
  /// QuantizeLinear then DequantizeLinear with one scale and zero point:
  /// `(clamp(round_half_even(x / scale) + zeroPoint, low, high) − zeroPoint) · scale`, NaN → 0,
  /// bit for bit as the reference kernels (`low`/`high`: the integer type's range).
  case fakeQuantize(scale: Float, zeroPoint: Float, low: Float, high: Float)

  /// Profile label.
  var name: String {
    switch self {
    case .activation(.relu): "relu"
    case .activation: "clip"
    case .leakyRelu: "leakyrelu"
    case .sigmoid: "sigmoid"
    case .tanh: "tanh"
    case .affine: "batchnorm"
    case .fakeQuantize: "fakequant"
    }
  }

  /// Runs on `total` values (`x` may equal `y`).
  func run(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, total: Int) {
    switch self {
    case let .activation(a):
      if UnsafePointer(y) != x { y.update(from: x, count: total) }
      a.apply(y, count: total)
    case let .leakyRelu(alpha):
      for i in 0..<total { y[i] = x[i] < 0 ? x[i] * alpha : x[i] }
    case .sigmoid:
      for i in 0..<total {
        let d = Double(x[i])
        y[i] = Float(d >= 0 ? 1 / (1 + Foundation.exp(-d)) : Foundation.exp(d) / (1 + Foundation.exp(d)))
      }
    case .tanh:
      for i in 0..<total { y[i] = Float(Foundation.tanh(Double(x[i]))) }
    case let .affine(scale, shift, inner):
      let channels = scale.count
      for base in stride(from: 0, to: total, by: channels * inner) {
        for ch in 0..<channels {
          let s = scale[ch], t = shift[ch], start = base + ch * inner
          for i in start..<(start + inner) { y[i] = x[i] * s + t }
        }
      }
    case let .fakeQuantize(scale, zeroPoint, low, high):
      Self.fakeQuantize(x, into: y, total: total, scale: scale, low: low - zeroPoint, high: high - zeroPoint)
    }
  }
}

extension UnaryKernel {
  /// `round_half_even(clamp(x / scale, low, high)) · scale` (NaN → 0): with integer bounds,
  /// clamping before rounding equals the reference's rounding, adding the zero point and
  /// saturating. Rounding adds and subtracts 1.5 · 2²³ (exact half-to-even for |v| < 2²²);
  /// the result is +0 for every zero, as the reference's integer arithmetic. Eight lanes at a
  /// time (`x` may equal `y`).
  static func fakeQuantize(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, total: Int, scale: Float, low: Float, high: Float
  ) {
    let magic: Float = 12_582_912
    let s = SIMD8<Float>(repeating: scale), m = SIMD8<Float>(repeating: magic)
    let lo = SIMD8<Float>(repeating: low), hi = SIMD8<Float>(repeating: high)
    var start = 0
    while start + 8 <= total {
      // Lane selects (`clamped` and `replace` are ~4× slower here).
      let v = UnsafeRawPointer(x + start).loadUnaligned(as: SIMD8<Float>.self) / s
      var c = v.replacing(with: lo, where: v .< lo)
      c = c.replacing(with: hi, where: c .> hi)
      c = c.replacing(with: 0, where: v .!= v)
      UnsafeMutableRawPointer(y + start).storeBytes(of: ((c + m) - m) * s, as: SIMD8<Float>.self)
      start += 8
    }
    for i in start..<total {
      let v = x[i] / scale
      let clamped = v.isNaN ? 0 : Swift.min(Swift.max(v, low), high)
      y[i] = ((clamped + magic) - magic) * scale
    }
  }
}
