/// The broadcasting comparisons; every one returns bool.
enum ComparisonOperator {
  case equal, less, greater, lessOrEqual, greaterOrEqual

  /// The operator of an ONNX op type (Equal, Less, Greater, LessOrEqual, GreaterOrEqual).
  init?(op: String) {
    switch op {
    case "Equal": self = .equal
    case "Less": self = .less
    case "Greater": self = .greater
    case "LessOrEqual": self = .lessOrEqual
    case "GreaterOrEqual": self = .greaterOrEqual
    default: return nil
    }
  }

  /// IEEE comparison: any comparison with NaN is false.
  func apply<T: Comparable>(_ a: T, _ b: T) -> Bool {
    switch self {
    case .equal: a == b
    case .less: a < b
    case .greater: a > b
    case .lessOrEqual: a <= b
    case .greaterOrEqual: a >= b
    }
  }
}

extension OperatorKernels {
  /// Equal, Less, Greater, LessOrEqual, GreaterOrEqual: `A op B` with multidirectional
  /// broadcasting, as bool. A and B have one type: float (compared exactly, NaN unequal to
  /// everything), integer, or bool (Equal only).
  static func comparison(_ c: KernelContext, _ op: ComparisonOperator) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    try c.requireSameType(a, b, "A and B")
    let plan = try BroadcastPlan(c, [a, b])
    let result: [Bool]
    switch a.storage {
    case .float32, .float64: result = plan.map(a.doubles, b.doubles, op.apply)  // float32 → double is exact
    case .bool where op != .equal: throw c.error("'A' is bool, expected a numeric type")
    default: result = plan.map(a.integers!, b.integers!, op.apply)
    }
    return try c.tensor(.bool(result), plan.shape)
  }

  /// And, Or, Xor of two bool tensors with multidirectional broadcasting.
  static func logical(_ c: KernelContext) throws -> GraphTensor {
    let a = try c.input(0, "A"), b = try c.input(1, "B")
    guard case let .bool(x) = a.storage, case let .bool(y) = b.storage else {
      throw c.error("A and B must be bool, got \(a.elementType) and \(b.elementType)")
    }
    let plan = try BroadcastPlan(c, [a, b])
    let f: (Bool, Bool) -> Bool =
      switch c.node.op {
      case "And": { $0 && $1 }
      case "Or": { $0 || $1 }
      default: { $0 != $1 }
      }
    return try c.tensor(.bool(plan.map(x, y, f)), plan.shape)
  }

  /// Not of a bool tensor.
  static func not(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    guard case let .bool(v) = x.storage else { throw c.error("'X' is \(x.elementType), expected bool") }
    return try c.tensor(.bool(v.map { !$0 }), x.shape)
  }

  /// Where: `condition ? X : Y` element by element, the three inputs broadcast together; X and Y
  /// of one (any) type, the output's.
  static func whereSelect(_ c: KernelContext) throws -> GraphTensor {
    let condition = try c.input(0, "condition"), x = try c.input(1, "X"), y = try c.input(2, "Y")
    guard case let .bool(pick) = condition.storage else {
      throw c.error("'condition' is \(condition.elementType), expected bool")
    }
    try c.requireSameType(x, y, "X and Y")
    let plan = try BroadcastPlan(c, [condition, x, y])
    // One gather from X's elements followed by Y's: offsets past x.count read Y.
    let offsets = (0..<plan.count).map { i in
      pick[plan.index(0, i)] ? plan.index(1, i) : x.count + plan.index(2, i)
    }
    let both = GraphTensor.Storage.concatenated([x.storage, y.storage])!
    return try c.tensor(both.gathered(offsets), plan.shape)
  }

  /// Max, Min, Sum and Mean of one or more inputs of one numeric type, all broadcast together,
  /// element by element. Max and Min let NaN win (as numpy's maximum/minimum); Sum and Mean add
  /// in double and round once (integer Sum wraps; Mean takes floats only).
  static func variadic(_ c: KernelContext) throws -> GraphTensor {
    let tensors = c.inputs.compactMap { $0 }  // omitted (empty-named) inputs are skipped
    guard let first = tensors.first else { throw c.error("needs at least one input") }
    for (i, t) in tensors.enumerated() { try c.requireSameType(first, t, "'data_0' and 'data_\(i)'") }
    let op = c.node.op
    guard first.elementType != .bool, first.elementType.isFloatingPoint || op != "Mean" else {
      throw c.error("'data_0' is \(first.elementType), expected \(op == "Mean" ? "float32 or float64" : "a numeric type")")
    }
    let plan = try BroadcastPlan(c, tensors)
    if first.elementType.isFloatingPoint {
      let inputs = tensors.map(\.doubles)
      let combine: (Double, Double) -> Double =
        switch op {
        case "Max": { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        case "Min": { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        default: { $0 + $1 }
        }
      let divisor = op == "Mean" ? Double(tensors.count) : 1
      let values = (0..<plan.count).map { i in
        inputs.indices.dropFirst().reduce(inputs[0][plan.index(0, i)]) { combine($0, inputs[$1][plan.index($1, i)]) } / divisor
      }
      return try c.tensor(converted(.float64(values), to: first.elementType), plan.shape)
    }
    let inputs = tensors.map { $0.integers! }
    let combine: (Int, Int) -> Int =
      switch op {
      case "Max": { Swift.max($0, $1) }
      case "Min": { Swift.min($0, $1) }
      default: { $0 &+ $1 }
      }
    let values = (0..<plan.count).map { i in
      inputs.indices.dropFirst().reduce(inputs[0][plan.index(0, i)]) { combine($0, inputs[$1][plan.index($1, i)]) }
    }
    return try c.tensor(converted(.int64(values.map { Int64($0) }), to: first.elementType), plan.shape)
  }
}
