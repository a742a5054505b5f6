import Foundation

extension OperatorKernels {
  /// Neg, Abs, Sqrt, Exp, Log, Reciprocal, Erf and Gelu, element by element.
  ///
  /// Neg and Abs also take signed integers (wrapping: `-(-128)` is −128 in int8) and Abs uint8.
  /// The others take float32/float64: Neg, Abs, Sqrt and Reciprocal are the exact IEEE operations
  /// of the element type; Exp, Log, Erf and Gelu are computed in double and rounded once. Gelu
  /// (opset 20) is `x·Φ(x) = ½·x·(1 + erf(x/√2))` with `approximate` "none" (default), or
  /// `½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` with "tanh".
  static func unaryMath(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    let op = c.node.op
    if !x.elementType.isFloatingPoint {
      guard op == "Neg" || op == "Abs", x.elementType != .bool, x.elementType != .uint8 || op == "Abs" else {
        throw c.error("'X' is \(x.elementType), expected float32 or float64")
      }
      let values = x.integers!.map { Int64(op == "Neg" || $0 < 0 ? 0 &- $0 : $0) }
      return try c.tensor(converted(.int64(values), to: x.elementType), x.shape)  // wraps to the width
    }
    let gelu: ((Double) -> Double)?
    if op == "Gelu" {
      switch try c.string("approximate", "none") {
      case "none": gelu = { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
      case "tanh":
        let k = (2 / Double.pi).squareRoot()
        gelu = { 0.5 * $0 * (1 + Foundation.tanh(k * ($0 + 0.044715 * $0 * $0 * $0))) }
      case let other: throw c.error("approximate '\(other)' must be \"none\" or \"tanh\"")
      }
    } else {
      gelu = nil
    }
    func map<T: BinaryFloatingPoint>(_ v: [T]) -> [T] {
      switch op {
      case "Neg": return v.map { -$0 }
      case "Abs": return v.map { Swift.abs($0) }
      case "Sqrt": return v.map { $0.squareRoot() }
      case "Reciprocal": return v.map { 1 / $0 }
      case "Exp": return v.map { T(Foundation.exp(Double($0))) }
      case "Log": return v.map { T(Foundation.log(Double($0))) }
      case "Erf": return v.map { T(Foundation.erf(Double($0))) }
      default: return v.map { T(gelu!(Double($0))) }
      }
    }
    switch x.storage {
    case let .float32(v): return try c.tensor(.float32(map(v)), x.shape)
    case let .float64(v): return try c.tensor(.float64(map(v)), x.shape)
    default: throw c.error("'X' is \(x.elementType), expected float32 or float64")
    }
  }

  /// Pow: `X ^ Y` with multidirectional broadcasting, in X's type. X is float32, float64, int32
  /// or int64; Y any numeric type (opset 12+ mixes them). Integer `X ^ Y` with Y ≥ 0 is exact
  /// wrapping integer arithmetic; everything else is `pow` in double, rounded to X's type (integers
  /// truncated toward zero, as numpy's `astype`).
  static func pow(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X"), y = try c.input(1, "Y")
    try c.require(x, "X", [.float32, .float64, .int32, .int64])
    try c.require(y, "Y", [.float32, .float64, .int8, .uint8, .int32, .int64])
    let plan = try BroadcastPlan(c, [x, y])
    if let base = x.integers, let exponent = y.integers {
      let values = plan.map(base, exponent) { b, e -> Int64 in
        guard e >= 0 else { return truncatedInt64(Foundation.pow(Double(b), Double(e))) }
        var result: Int64 = 1, square = Int64(b), k = e
        while k > 0 {
          if k & 1 == 1 { result = result &* square }
          square = square &* square
          k >>= 1
        }
        return result
      }
      return try c.tensor(converted(.int64(values), to: x.elementType), plan.shape)
    }
    let values = plan.map(x.doubles, y.doubles) { Foundation.pow($0, $1) }
    return try c.tensor(converted(.float64(values), to: x.elementType), plan.shape)
  }
}
