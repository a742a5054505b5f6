/// Shape rules for the quantized operators and Tessera's QGemm.
extension ShapeInferrer {
  /// The element type a quantizing operator writes: the zero point's type at `zeroPoint`,
  /// else uint8 (ONNX's default). Nil when the zero point is given but its type is unknown.
  private func quantizedType(_ n: Node, zeroPoint: Int) -> ElementType? {
    if n.input(zeroPoint) != nil { return type(n, zeroPoint)?.elementType }
    return .uint8
  }

  /// Checks a per-axis scale (1-D, length L) against the data's size on `axis`.
  private func checkScale(_ n: Node, data: Int, scale: Int) throws {
    guard try n.int("block_size", default: 0) == 0, let x = shape(n, data), let s = shape(n, scale), s.count == 1,
      let length = s[0].value, length != 1
    else { return }
    guard !x.isEmpty else { throw fail(n, "a per-axis scale \(describe(n, scale)) needs data of rank ≥ 1, got \(describe(n, data))") }
    let axis = try normalize(n, axis: try n.int("axis", default: 1), rank: x.count)
    if let size = x[axis].value, size != length {
      throw fail(n, "per-axis scale \(describe(n, scale)) has \(length) values but \(describe(n, data)) has \(size) on axis \(axis)")
    }
  }

  /// QuantizeLinear: the zero point's type (or `output_dtype` at opset 21, else uint8), x's shape.
  func quantizeLinear(_ n: Node) throws -> [TensorType?] {
    try checkScale(n, data: 0, scale: 1)
    var elementType = quantizedType(n, zeroPoint: 2)
    if opset >= 21, let code = n.attributes["output_dtype"]?.int, code != 0 {
      elementType = ElementType(onnxCode: code)
    }
    guard let elementType else { return unknown(n) }
    return outputs(n, TensorType(elementType, shape(n, 0)))
  }

  /// DequantizeLinear: the scale's floating type (float32 when unknown), x's shape.
  func dequantizeLinear(_ n: Node) throws -> [TensorType?] {
    try checkScale(n, data: 0, scale: 1)
    let scaleType = type(n, 1)?.elementType
    return outputs(n, TensorType(scaleType?.isFloatingPoint == true ? scaleType! : .float32, shape(n, 0)))
  }

  /// QLinearConv: Conv's shape from x (input 0) and w (input 3), y_zero_point's type (input 7).
  func qLinearConv(_ n: Node) throws -> [TensorType?] {
    let shape = try convShape(n, x: 0, w: 3)
    guard let elementType = type(n, 7)?.elementType else { return unknown(n) }
    return outputs(n, TensorType(elementType, shape))
  }

  /// QLinearMatMul: MatMul's shape from a (input 0) and b (input 3), y_zero_point's type (input 7).
  func qLinearMatMul(_ n: Node) throws -> [TensorType?] {
    let t = try matMul(n, a: 0, b: 3, elementType: type(n, 7)?.elementType ?? .uint8)
    return type(n, 7) == nil ? unknown(n) : outputs(n, t)
  }

  /// DynamicQuantizeLinear: uint8 y like x, float32 scalar scale, uint8 scalar zero point.
  func dynamicQuantizeLinear(_ n: Node) -> [TensorType?] {
    outputs(n, TensorType(.uint8, shape(n, 0)), TensorType(.float32, []), TensorType(.uint8, []))
  }

  /// QGemm (com.tessera): Gemm's shape from x (input 0) and w (input 3) with transB, the bias
  /// (input 6) as C, and y_zero_point's type (input 8, uint8 when omitted).
  func qGemm(_ n: Node) throws -> [TensorType?] {
    let elementType = quantizedType(n, zeroPoint: 8)
    return outputs(n, try gemm(n, a: 0, b: 3, c: 6, elementType: elementType))
  }
}
