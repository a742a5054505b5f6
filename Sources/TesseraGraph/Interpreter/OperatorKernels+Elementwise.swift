import Foundation

/// The four broadcasting arithmetic operators.
enum ArithmeticOperator {
  case add, sub, mul, div

  func apply<T: FloatingPoint>(_ a: T, _ b: T) -> T {
    switch self {
    case .add: a + b
    case .sub: a - b
    case .mul: a * b
    case .div: a / b
    }
  }

  /// Wrapping integer arithmetic; division truncates toward zero (the divisor is checked
  /// non-zero beforehand, and `min / -1` wraps to `min`).
  func apply<T: FixedWidthInteger>(_ a: T, _ b: T) -> T {
    switch self {
    case .add: a &+ b
    case .sub: a &- b
    case .mul: a &* b
    case .div: a.dividedReportingOverflow(by: b).partialValue
    }
  }
}

/// `f(x[ox[i]], y[oy[i]])` for every output element (nil offsets read element i).
private func broadcastMap<T>(_ x: [T], _ ox: [Int]?, _ y: [T], _ oy: [Int]?, count n: Int, _ f: (T, T) -> T) -> [T] {
  [T](unsafeUninitializedCapacity: n) { out, initialized in
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeBufferPointer { yp in
        let scalarX = xp.count == 1, scalarY = yp.count == 1
        for i in 0..<n {
          let a = scalarX ? xp[0] : ox.map { xp[$0[i]] } ?? xp[i]
          let b = scalarY ? yp[0] : oy.map { yp[$0[i]] } ?? yp[i]
          (out.baseAddress! + i).initialize(to: f(a, b))
        }
      }
    }
    initialized = n
  }
}

extension OperatorKernels {
  /// Add, Sub, Mul, Div with multidirectional broadcasting, for float and integer types.
  static func arithmetic(_ c: KernelContext, _ op: ArithmeticOperator) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    try c.requireSameType(a, b, "A and B")
    guard let shape = TensorLayout.broadcast(a.shape, b.shape) else {
      throw c.error("cannot broadcast shapes \(a.shape) and \(b.shape)")
    }
    let n = try c.count(shape)
    let oa = TensorLayout.broadcastOffsets(from: a.shape, to: shape)
    let ob = TensorLayout.broadcastOffsets(from: b.shape, to: shape)
    func ints<T: FixedWidthInteger>(_ x: [T], _ y: [T]) throws -> [T] {
      if op == .div, y.contains(0) { throw c.error("integer division by zero") }
      return broadcastMap(x, oa, y, ob, count: n) { op.apply($0, $1) }
    }
    let storage: GraphTensor.Storage
    switch (a.storage, b.storage) {
    case let (.float32(x), .float32(y)): storage = .float32(broadcastMap(x, oa, y, ob, count: n) { op.apply($0, $1) })
    case let (.float64(x), .float64(y)): storage = .float64(broadcastMap(x, oa, y, ob, count: n) { op.apply($0, $1) })
    case let (.int8(x), .int8(y)): storage = .int8(try ints(x, y))
    case let (.uint8(x), .uint8(y)): storage = .uint8(try ints(x, y))
    case let (.int32(x), .int32(y)): storage = .int32(try ints(x, y))
    case let (.int64(x), .int64(y)): storage = .int64(try ints(x, y))
    default: throw c.error("\(a.elementType) is not a numeric type")
    }
    return try c.tensor(storage, shape)
  }

  /// Relu: max(x, 0) for float and signed integer types (NaN stays NaN).
  static func relu(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    let storage: GraphTensor.Storage
    switch x.storage {
    case let .float32(v): storage = .float32(v.map { $0 < 0 ? 0 : $0 })
    case let .float64(v): storage = .float64(v.map { $0 < 0 ? 0 : $0 })
    case let .int8(v): storage = .int8(v.map { max($0, 0) })
    case let .int32(v): storage = .int32(v.map { max($0, 0) })
    case let .int64(v): storage = .int64(v.map { max($0, 0) })
    default: throw c.error("'X' is \(x.elementType), expected a float or signed integer type")
    }
    return try c.tensor(storage, x.shape)
  }

  /// LeakyRelu (alpha, default 0.01), Sigmoid and Tanh for float32/float64.
  static func floatActivation(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    func map<T: BinaryFloatingPoint>(_ v: [T]) throws -> [T] {
      switch c.node.op {
      case "LeakyRelu":
        let alpha = T(try c.float("alpha", 0.01))
        return v.map { $0 < 0 ? $0 * alpha : $0 }
      case "Sigmoid":
        // exp of a non-positive argument only, so nothing overflows.
        return v.map { t in
          let d = Double(t)
          return T(d >= 0 ? 1 / (1 + Foundation.exp(-d)) : Foundation.exp(d) / (1 + Foundation.exp(d)))
        }
      default:
        return v.map { T(Foundation.tanh(Double($0))) }
      }
    }
    switch x.storage {
    case let .float32(v): return try c.tensor(.float32(try map(v)), x.shape)
    case let .float64(v): return try c.tensor(.float64(try map(v)), x.shape)
    default: throw c.error("'X' is \(x.elementType), expected float32 or float64")
    }
  }

  /// Clip: min/max as optional scalar inputs (opset 11+). Values below min become min, then
  /// values above max become max (so min > max gives max); NaN passes through.
  static func clip(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    func bound(_ index: Int, _ name: String) throws -> GraphTensor.Storage? {
      guard let t = c.optionalInput(index) else { return nil }
      try c.requireSameType(t, x, "'\(name)' and 'input'")
      guard t.count == 1 else { throw c.error("'\(name)' must be a scalar, got shape \(t.shape)") }
      return t.storage
    }
    let lo = try bound(1, "min"), hi = try bound(2, "max")
    func clamp<T: Comparable>(_ v: [T], _ pick: (GraphTensor.Storage) -> [T]?) -> [T] {
      let l = lo.flatMap(pick)?.first, h = hi.flatMap(pick)?.first
      return v.map { value in
        var y = value
        if let l, y < l { y = l }
        if let h, y > h { y = h }
        return y
      }
    }
    let storage: GraphTensor.Storage
    switch x.storage {
    case let .float32(v): storage = .float32(clamp(v) { if case let .float32(b) = $0 { b } else { nil } })
    case let .float64(v): storage = .float64(clamp(v) { if case let .float64(b) = $0 { b } else { nil } })
    case let .int8(v): storage = .int8(clamp(v) { if case let .int8(b) = $0 { b } else { nil } })
    case let .uint8(v): storage = .uint8(clamp(v) { if case let .uint8(b) = $0 { b } else { nil } })
    case let .int32(v): storage = .int32(clamp(v) { if case let .int32(b) = $0 { b } else { nil } })
    case let .int64(v): storage = .int64(clamp(v) { if case let .int64(b) = $0 { b } else { nil } })
    case .bool: throw c.error("'input' is bool, expected a numeric type")
    }
    return try c.tensor(storage, x.shape)
  }
}
