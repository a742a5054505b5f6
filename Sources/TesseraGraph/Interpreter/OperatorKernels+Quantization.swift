extension OperatorKernels {
  /// int8 or uint8 storage from values rounded half to even and saturated to the type's range
  /// (NaN becomes 0).
  static func saturatedStorage(_ values: [Double], _ type: ElementType) -> GraphTensor.Storage {
    let (lo, hi): (Double, Double) = type == .int8 ? (-128, 127) : (0, 255)
    let q = values.map { v -> Int in v.isNaN ? 0 : Int(min(max(v.rounded(.toNearestOrEven), lo), hi)) }
    return type == .int8 ? .int8(q.map { Int8($0) }) : .uint8(q.map { UInt8($0) })
  }

  /// The per-element index into a quantization parameter: per tensor (one value), per axis
  /// (1-D of `shape[axis]`, opset 13+) or blocked (`block_size` > 0, opset 21: the input's shape
  /// with ⌈shape[axis] / block_size⌉ along the axis), checked.
  private static func parameterIndex(
    _ c: KernelContext, _ parameter: GraphTensor, _ name: String, shape: [Int]
  ) throws -> (Int) -> Int {
    let block = c.opset >= 21 ? try c.int("block_size", 0) : 0
    guard block >= 0 else { throw c.error("block_size \(block) must be ≥ 0") }
    if block == 0, parameter.count == 1, parameter.shape.count <= 1 { return { _ in 0 } }
    guard c.opset >= 13 else { throw c.error("'\(name)' must be a scalar before opset 13, got shape \(parameter.shape)") }
    let axis = try c.axis(try c.int("axis", 1), rank: shape.count)
    let inner = TensorLayout.product(shape[(axis + 1)...]), dim = shape[axis]
    if block > 0 {
      var expected = shape
      expected[axis] = (dim + block - 1) / block
      guard parameter.shape == expected else {
        throw c.error("'\(name)' \(parameter.shape) must be \(expected) for block_size \(block) along axis \(axis) of \(shape)")
      }
      let blocks = expected[axis]
      return { i in ((i / (inner * dim)) * blocks + ((i / inner) % dim) / block) * inner + i % inner }
    }
    guard parameter.shape == [dim] else {
      throw c.error("'\(name)' \(parameter.shape) must be a scalar or [\(dim)] (axis \(axis) of \(shape))")
    }
    return { ($0 / inner) % dim }
  }

  /// QuantizeLinear: saturate(round_half_even(x / y_scale) + y_zero_point), per tensor, per
  /// axis (opset 13+) or blocked (opset 21). The output type is y_zero_point's, else `output_dtype` (opset 21), else
  /// uint8. float32 x is divided in float32; int32 x in double. NaN quantizes to the zero point.
  static func quantizeLinear(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "x"), scale = try c.input(1, "y_scale")
    try c.require(x, "x", [.float32, .int32])
    try c.require(scale, "y_scale", [.float32])
    let zero = c.optionalInput(2)
    var type = ElementType.uint8
    if c.opset >= 21, let code = try c.ints("output_dtype")?.first, code != 0 {
      guard let t = ElementType(onnxCode: code), t == .int8 || t == .uint8 else {
        throw c.error("output_dtype \(code) is not int8 or uint8")
      }
      if let zero, zero.elementType != t { throw c.error("output_dtype \(t) differs from y_zero_point's \(zero.elementType)") }
      type = t
    }
    if let zero {
      try c.require(zero, "y_zero_point", [.int8, .uint8])
      type = zero.elementType
    }
    let scaleAt = try parameterIndex(c, scale, "y_scale", shape: x.shape)
    var zeroAt: (Int) -> Int = { _ in 0 }
    if let zero { zeroAt = try parameterIndex(c, zero, "y_zero_point", shape: x.shape) }
    let s = scale.float32!, z = zero?.integers ?? [0]
    let values: [Double]
    switch x.storage {
    case let .float32(v):
      values = v.indices.map { i in
        let q = v[i] / s[scaleAt(i)]
        return (q.isNaN ? 0 : Double(q.rounded(.toNearestOrEven))) + Double(z[zeroAt(i)])
      }
    default:
      let v = x.doubles
      values = v.indices.map { i in (v[i] / Double(s[scaleAt(i)])).rounded(.toNearestOrEven) + Double(z[zeroAt(i)]) }
    }
    return try c.tensor(saturatedStorage(values, type), x.shape)
  }

  /// DequantizeLinear: (x − x_zero_point) · x_scale in float32, per tensor, per axis
  /// (opset 13+) or blocked (opset 21); x is int8, uint8 or int32.
  static func dequantizeLinear(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "x"), scale = try c.input(1, "x_scale")
    try c.require(x, "x", [.int8, .uint8, .int32])
    try c.require(scale, "x_scale", [.float32])
    let scaleAt = try parameterIndex(c, scale, "x_scale", shape: x.shape)
    var zeroAt: (Int) -> Int = { _ in 0 }
    var z = [0]
    if let zero = c.optionalInput(2) {
      try c.requireSameType(zero, x, "x_zero_point and x")
      zeroAt = try parameterIndex(c, zero, "x_zero_point", shape: x.shape)
      z = zero.integers!
    }
    let v = x.integers!, s = scale.float32!
    let y = v.indices.map { i in Float(Double(v[i] - z[zeroAt(i)]) * Double(s[scaleAt(i)])) }
    return try c.tensor(.float32(y), x.shape)
  }

  /// DynamicQuantizeLinear (uint8): y_scale = (max(0, max x) − min(0, min x)) / 255 (1 when
  /// that range is 0, as ONNX Runtime), y_zero_point = round_half_even(saturate(−min / y_scale)), y =
  /// saturate(round_half_even(x / y_scale) + y_zero_point), all in float32; NaN elements are
  /// ignored by min/max and quantize to the zero point.
  static func dynamicQuantizeLinear(_ c: KernelContext) throws -> [GraphTensor] {
    let x = try c.input(0, "x")
    guard case let .float32(v) = x.storage else { throw c.error("'x' is \(x.elementType), expected float32") }
    var hi: Float = 0, lo: Float = 0
    for e in v where !e.isNaN {
      hi = max(hi, e)
      lo = min(lo, e)
    }
    let scale: Float = hi == lo ? 1 : (hi - lo) / 255
    let zero = min(max(0 - lo / scale, 0), 255).rounded(.toNearestOrEven)
    let q = v.map { e -> Double in
      let r = e / scale
      return Double(r.isNaN ? zero : r.rounded(.toNearestOrEven) + zero)
    }
    return [
      try c.tensor(saturatedStorage(q, .uint8), x.shape),
      try c.tensor(.float32([scale]), []),
      try c.tensor(.uint8([UInt8(zero.isNaN ? 0 : zero)]), []),
    ]
  }
}
