/// The definition of Tessera's `QGemm` operator (domain `com.tessera`), written as plain loops so
/// the reference interpreter can call it and the engine can be tested against it.
///
/// Inputs, by position: `x_q` (int8 or uint8, `[M, K]`), `x_scale` (float32, one value),
/// `x_zero_point` (one value of x's type; 0 when omitted), `w_q` (int8 or uint8, `[N, K]` with
/// `transB` 1 or `[K, N]` with `transB` 0), `w_scale` (float32, one value or N values: per output
/// channel), `w_zero_point` (w's type, as many values as `w_scale`; 0 when omitted), `bias`
/// (int32 `[N]` or omitted), `y_scale` (float32, one value), `y_zero_point` (int8 or uint8, one
/// value; uint8 0 when omitted). Output `y`: `[M, N]` of `y_zero_point`'s type.
///
/// ```
/// acc[m, n] = bias[n] + Σₖ (x[m, k] − x_zp) · (w[k, n] − w_zp[n])     int32, wrapping on overflow
/// y[m, n]   = saturate(round_half_even(acc[m, n] · x_scale · w_scale[n] / y_scale) + y_zp)
/// ```
/// The multiplier `x_scale · w_scale[n] / y_scale` and the product with `acc` are computed in
/// Double from the float32 scales; saturation clamps to the output type's range (−128…127 or
/// 0…255). The bias is the float bias quantized with scale `x_scale · w_scale[n]` and zero
/// point 0 (``quantizeBias(_:xScale:wScale:)``).
public enum QGemmReference {
  /// Evaluates QGemm.
  /// - Parameters:
  ///   - x: `x_q`, `[M, K]`.
  ///   - xScale: `x_scale`.
  ///   - xZeroPoint: `x_zero_point` (nil: 0).
  ///   - w: `w_q`, `[N, K]` (transB) or `[K, N]`.
  ///   - wScale: `w_scale`, one or N values.
  ///   - wZeroPoint: `w_zero_point` (nil: 0), as many values as `wScale`.
  ///   - bias: int32 `[N]` or nil.
  ///   - yScale: `y_scale`.
  ///   - yZeroPoint: `y_zero_point` (nil: uint8 0); its type is the output's.
  ///   - transB: whether `w` is `[N, K]`.
  ///   - node: the node name for messages.
  /// - Returns: `y`, `[M, N]`.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` for wrong types, shapes or counts, or
  ///   a scale that is not positive and finite.
  public static func evaluate(
    x: GraphTensor, xScale: GraphTensor, xZeroPoint: GraphTensor?, w: GraphTensor, wScale: GraphTensor,
    wZeroPoint: GraphTensor?, bias: GraphTensor?, yScale: GraphTensor, yZeroPoint: GraphTensor?, transB: Bool,
    node: String = "QGemm"
  ) throws -> GraphTensor {
    func bad(_ reason: String) -> GraphIRError { .invalidNode(node: node, op: TesseraOperators.qGemm, reason: reason) }
    let codes: Set<ElementType> = [.int8, .uint8]
    guard codes.contains(x.elementType), codes.contains(w.elementType), x.shape.count == 2, w.shape.count == 2 else {
      throw bad("x \(x.type) and w \(w.type) must be rank-2 int8 or uint8")
    }
    let (m, k) = (x.shape[0], x.shape[1])
    let (wk, n) = transB ? (w.shape[1], w.shape[0]) : (w.shape[0], w.shape[1])
    guard k == wk else { throw bad("x \(x.type) and w \(w.type) (transB \(transB ? 1 : 0)) have inner sizes \(k) and \(wk)") }
    let scales = [xScale, wScale, yScale]
    guard scales.allSatisfy({ $0.elementType == .float32 && $0.doubles.allSatisfy { $0 > 0 && $0.isFinite } }),
      xScale.count == 1, yScale.count == 1, wScale.count == 1 || wScale.count == n
    else { throw bad("scales must be positive finite float32: one x_scale, one y_scale, 1 or \(n) w_scale values") }
    let xz = try zeroPoint(xZeroPoint, type: x.elementType, count: 1, what: "x_zero_point", bad)
    let wz = try zeroPoint(wZeroPoint, type: w.elementType, count: wScale.count, what: "w_zero_point", bad)
    let yType = yZeroPoint?.elementType ?? .uint8
    guard codes.contains(yType) else { throw bad("y_zero_point must be int8 or uint8, got \(yType)") }
    let yz = try zeroPoint(yZeroPoint, type: yType, count: 1, what: "y_zero_point", bad)[0]
    var b = [Int32](repeating: 0, count: n)
    if let bias {
      guard bias.elementType == .int32, bias.count == n, case let .int32(v) = bias.storage else { throw bad("bias must be int32 with \(n) values, got \(bias.type)") }
      b = v
    }
    let xs = x.integers!, ws = w.integers!, wsc = wScale.doubles
    let (lo, hi) = yType == .int8 ? (-128.0, 127.0) : (0.0, 255.0)
    var y = [Int](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        let c = wScale.count == 1 ? 0 : j
        var acc = b[j]
        for p in 0..<k {
          let wv = transB ? ws[j * k + p] : ws[p * n + j]
          acc = acc &+ Int32(truncatingIfNeeded: (xs[i * k + p] - xz[0]) * (wv - wz[c]))
        }
        let multiplier = xScale.doubles[0] * wsc[c] / yScale.doubles[0]
        let v = (Double(acc) * multiplier).rounded(.toNearestOrEven) + Double(yz)
        y[i * n + j] = Int(min(max(v, lo), hi))
      }
    }
    let storage: GraphTensor.Storage = yType == .int8 ? .int8(y.map { Int8($0) }) : .uint8(y.map { UInt8($0) })
    return try GraphTensor(storage, shape: [m, n])
  }

  /// Evaluates a QGemm node from its input tensors by position (nil for omitted inputs).
  /// - Parameters:
  ///   - node: the node (its `transB` attribute, default 0, and its name for messages).
  ///   - inputs: up to nine tensors in QGemm's input order.
  /// - Returns: `y`.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` for missing required inputs or any
  ///   error of ``evaluate(x:xScale:xZeroPoint:w:wScale:wZeroPoint:bias:yScale:yZeroPoint:transB:node:)``.
  public static func evaluate(_ node: Node, inputs: [GraphTensor?]) throws -> GraphTensor {
    func input(_ i: Int) -> GraphTensor? { i < inputs.count ? inputs[i] : nil }
    guard let x = input(0), let xs = input(1), let w = input(3), let ws = input(4), let ys = input(7) else {
      throw GraphIRError.invalidNode(node: node.name, op: node.op, reason: "x, x_scale, w, w_scale and y_scale are required")
    }
    return try evaluate(
      x: x, xScale: xs, xZeroPoint: input(2), w: w, wScale: ws, wZeroPoint: input(5), bias: input(6), yScale: ys,
      yZeroPoint: input(8), transB: try node.int("transB", default: 0) != 0, node: node.name)
  }

  /// Quantizes a float bias to int32 with scale `xScale · wScale[n]` (Double) and zero point 0,
  /// rounding half to even and saturating to the int32 range.
  /// - Parameters:
  ///   - bias: N float values.
  ///   - xScale: the input scale.
  ///   - wScale: one weight scale, or N (per output channel).
  /// - Returns: N int32 values.
  public static func quantizeBias(_ bias: [Double], xScale: Double, wScale: [Double]) -> [Int32] {
    bias.indices.map { j in
      let v = (bias[j] / (xScale * wScale[wScale.count == 1 ? 0 : j])).rounded(.toNearestOrEven)
      return Int32(min(max(v, Double(Int32.min)), Double(Int32.max)))
    }
  }

  private static func zeroPoint(
    _ t: GraphTensor?, type: ElementType, count: Int, what: String, _ bad: (String) -> GraphIRError
  ) throws -> [Int] {
    guard let t else { return Array(repeating: 0, count: count) }
    guard t.elementType == type, t.count == count, let v = t.integers else { throw bad("\(what) must hold \(count) \(type) values, got \(t.type)") }
    return v
  }
}
