/// What one kernel call sees: the node, its inputs (nil for omitted optional ones) and the opset,
/// with checked accessors whose errors name the node and operator.
struct KernelContext {
  /// The node being evaluated.
  let node: Node
  /// Inputs by position; nil for an omitted optional input.
  let inputs: [GraphTensor?]
  /// The default-domain opset the semantics follow.
  let opset: Int

  /// An ``GraphIRError/invalidNode(node:op:reason:)`` for this node.
  func error(_ reason: String) -> GraphIRError { .invalidNode(node: node.name, op: node.op, reason: reason) }

  /// The required input at `index`.
  func input(_ index: Int, _ name: String) throws -> GraphTensor {
    guard index < inputs.count, let t = inputs[index] else { throw error("input \(index) ('\(name)') is required") }
    return t
  }

  /// The optional input at `index`, nil when omitted.
  func optionalInput(_ index: Int) -> GraphTensor? { index < inputs.count ? inputs[index] : nil }

  /// True when output `index` is requested (present with a non-empty name).
  func wantsOutput(_ index: Int) -> Bool { index < node.outputs.count && !node.outputs[index].isEmpty }

  /// Throws unless `tensor` has one of `types`.
  func require(_ tensor: GraphTensor, _ name: String, _ types: Set<ElementType>) throws {
    guard types.contains(tensor.elementType) else {
      let list = types.map(\.rawValue).sorted().joined(separator: ", ")
      throw error("'\(name)' is \(tensor.elementType), expected one of \(list)")
    }
  }

  /// Throws unless `a` and `b` have the same element type.
  func requireSameType(_ a: GraphTensor, _ b: GraphTensor, _ names: String) throws {
    guard a.elementType == b.elementType else {
      throw error("\(names) must have the same element type, got \(a.elementType) and \(b.elementType)")
    }
  }

  /// `axis` in `-rank..<rank` made non-negative.
  func axis(_ axis: Int, rank: Int, _ name: String = "axis") throws -> Int {
    guard axis >= -rank, axis < rank else { throw error("\(name) \(axis) is out of range for rank \(rank)") }
    return axis < 0 ? axis + rank : axis
  }

  /// The element count of an output shape, checked: no negative dimension and at most 2³¹
  /// elements, counting zero dimensions as 1 (so an empty tensor cannot hide a 2⁶⁰ dimension
  /// that a later product would overflow).
  func count(_ shape: [Int], _ what: String = "output") throws -> Int {
    guard KernelContext.fits(shape) else {
      throw error(shape.contains { $0 < 0 } ? "\(what) shape \(shape) has a negative dimension" : "\(what) shape \(shape) has more than 2^31 elements")
    }
    return TensorLayout.product(shape)
  }

  /// True when `shape` has no negative dimension and its nonzero dimensions multiply to ≤ 2³¹.
  static func fits(_ shape: [Int]) -> Bool {
    var n = 1
    for d in shape {
      guard d >= 0 else { return false }
      let (p, overflow) = n.multipliedReportingOverflow(by: max(d, 1))
      guard !overflow, p <= GraphTensor.maximumElementCount else { return false }
      n = p
    }
    return true
  }

  /// Checks every present input's shape with ``fits(_:)``.
  func checkInputShapes() throws {
    for (i, t) in inputs.enumerated() {
      guard let t, !KernelContext.fits(t.shape) else { continue }
      throw error("input \(i) has shape \(t.shape), whose nonzero dimensions exceed 2^31 elements")
    }
  }

  /// A tensor, with a shape error reported against this node.
  func tensor(_ storage: GraphTensor.Storage, _ shape: [Int]) throws -> GraphTensor {
    do { return try GraphTensor(storage, shape: shape) } catch { throw self.error("\(error)") }
  }

  /// A float32 or float64 tensor (by `type`) from double-precision values.
  func floatTensor(_ values: [Double], _ shape: [Int], as type: ElementType) throws -> GraphTensor {
    try tensor(type == .float64 ? .float64(values) : .float32(values.map { Float($0) }), shape)
  }

  /// The elements of a float32 or float64 tensor as doubles.
  func floats(_ tensor: GraphTensor, _ name: String) throws -> [Double] {
    switch tensor.storage {
    case let .float32(v): return v.map { Double($0) }
    case let .float64(v): return v
    default: throw error("'\(name)' is \(tensor.elementType), expected float32 or float64")
    }
  }

  /// The elements of an int32 or int64 tensor (shape, index and axis inputs).
  func integers(_ tensor: GraphTensor, _ name: String) throws -> [Int] {
    switch tensor.storage {
    case let .int64(v): return v.map { Int($0) }
    case let .int32(v): return v.map { Int($0) }
    default: throw error("'\(name)' is \(tensor.elementType), expected int64 or int32")
    }
  }

  /// A one-element integer input (a scalar or a 1-element tensor).
  func scalarInteger(_ tensor: GraphTensor, _ name: String) throws -> Int {
    let v = try integers(tensor, name)
    guard v.count == 1 else { throw error("'\(name)' must hold one value, got shape \(tensor.shape)") }
    return v[0]
  }

  /// A 1-D (or scalar) integer input, e.g. axes, pads or a target shape.
  func integerList(_ tensor: GraphTensor, _ name: String) throws -> [Int] {
    guard tensor.shape.count <= 1 else { throw error("'\(name)' must be 1-D, got shape \(tensor.shape)") }
    return try integers(tensor, name)
  }

  /// An integer-list attribute, or nil when absent.
  func ints(_ key: String) throws -> [Int]? { try node.ints(key) }
  /// An integer attribute or its default.
  func int(_ key: String, _ defaultValue: Int) throws -> Int { try node.int(key, default: defaultValue) }
  /// A float attribute or its default.
  func float(_ key: String, _ defaultValue: Float) throws -> Float { try node.float(key, default: defaultValue) }
  /// A string attribute or its default.
  func string(_ key: String, _ defaultValue: String) throws -> String { try node.string(key, default: defaultValue) }

  /// Axes normalized against `rank`, rejecting duplicates.
  func axes(_ values: [Int], rank: Int, _ name: String = "axes") throws -> [Int] {
    var seen = Set<Int>()
    return try values.map { a in
      let n = try axis(a, rank: rank, name)
      guard seen.insert(n).inserted else { throw error("\(name) \(values) repeat axis \(n)") }
      return n
    }
  }
}
