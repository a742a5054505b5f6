extension OperatorKernels {
  /// Gather along `axis`: output shape data[..<axis] + indices + data[(axis+1)...]; negative
  /// indices count from the end, out-of-range indices are an error.
  static func gatherAxis(_ c: KernelContext) throws -> GraphTensor {
    let data = try c.input(0, "data"), indicesTensor = try c.input(1, "indices")
    let r = data.shape.count
    guard r >= 1 else { throw c.error("data must have rank ≥ 1") }
    let axis = try c.axis(try c.int("axis", 0), rank: r)
    let dim = data.shape[axis]
    let indices = try c.integers(indicesTensor, "indices").map { i in
      guard i >= -dim, i < dim else { throw c.error("index \(i) is out of range for axis \(axis) of size \(dim)") }
      return i < 0 ? i + dim : i
    }
    let outer = TensorLayout.product(data.shape[..<axis]), inner = TensorLayout.product(data.shape[(axis + 1)...])
    let shape = Array(data.shape[..<axis]) + indicesTensor.shape + Array(data.shape[(axis + 1)...])
    let n = try c.count(shape)
    var offsets = [Int]()
    offsets.reserveCapacity(n)
    for o in 0..<outer {
      for i in indices {
        let start = (o * dim + i) * inner
        offsets += start..<(start + inner)
      }
    }
    return try c.tensor(data.storage.gathered(offsets), shape)
  }

  /// Slice with starts, ends and optional axes and steps inputs (opset 10+): negative starts/ends
  /// count from the end and are clamped (to [0, dim] for positive steps, [−1, dim−1] for
  /// negative ones), so INT_MAX/INT_MIN mean "to the end".
  static func slice(_ c: KernelContext) throws -> GraphTensor {
    let data = try c.input(0, "data")
    let r = data.shape.count
    let starts = try c.integerList(try c.input(1, "starts"), "starts")
    let ends = try c.integerList(try c.input(2, "ends"), "ends")
    guard starts.count == ends.count else { throw c.error("starts \(starts) and ends \(ends) differ in length") }
    let axes = try c.axes(try c.optionalInput(3).map { try c.integerList($0, "axes") } ?? Array(0..<starts.count), rank: r)
    let steps = try c.optionalInput(4).map { try c.integerList($0, "steps") } ?? Array(repeating: 1, count: starts.count)
    guard axes.count == starts.count, steps.count == starts.count else {
      throw c.error("starts, ends, axes and steps must have the same length")
    }
    var begin = [Int](repeating: 0, count: r), step = [Int](repeating: 1, count: r), shape = data.shape
    for (i, axis) in axes.enumerated() {
      let dim = data.shape[axis]
      guard steps[i] != 0 else { throw c.error("steps \(steps) contain 0") }
      // A step longer than the axis selects at most one element: shorten it so offsets cannot overflow.
      let s = steps[i] > 0 ? min(steps[i], max(dim, 1)) : -Int(min(steps[i].magnitude, UInt(max(dim, 1))))
      var lo = starts[i] < 0 ? starts[i] + dim : starts[i]
      var hi = ends[i] < 0 ? ends[i] + dim : ends[i]
      if s > 0 {
        lo = min(max(lo, 0), dim)
        hi = min(max(hi, 0), dim)
        shape[axis] = hi > lo ? (hi - lo - 1) / s + 1 : 0
      } else {
        lo = min(max(lo, 0), dim - 1)
        hi = min(max(hi, -1), dim - 1)
        shape[axis] = lo > hi ? (lo - hi - 1) / (-s) + 1 : 0
      }
      begin[axis] = lo
      step[axis] = s
    }
    let strides = TensorLayout.strides(data.shape)
    let base = shape.contains(0) ? 0 : (0..<r).reduce(0) { $0 + begin[$1] * strides[$1] }
    let offsets = TensorLayout.offsets(shape: shape, strides: (0..<r).map { strides[$0] * step[$0] }, base: base)
    return try c.tensor(data.storage.gathered(offsets), shape)
  }

  /// Range: start + i·delta for i in 0..<max(⌈(limit − start)/delta⌉, 0); scalar inputs of
  /// one type (float32, float64, int32, int64).
  static func range(_ c: KernelContext) throws -> GraphTensor {
    let start = try c.input(0, "start"), limit = try c.input(1, "limit"), delta = try c.input(2, "delta")
    try c.requireSameType(start, limit, "start and limit")
    try c.requireSameType(start, delta, "start and delta")
    for (t, name) in [(start, "start"), (limit, "limit"), (delta, "delta")] where t.count != 1 {
      throw c.error("'\(name)' must be a scalar, got shape \(t.shape)")
    }
    switch start.elementType {
    case .float32, .float64:
      let s = start.doubles[0], l = limit.doubles[0], d = delta.doubles[0]
      guard d != 0, d.isFinite, s.isFinite, l.isFinite else { throw c.error("start \(s), limit \(l), delta \(d) give no finite range") }
      let steps = ((l - s) / d).rounded(.up)
      guard steps <= Double(GraphTensor.maximumElementCount) else { throw c.error("range of \(steps) elements exceeds 2^31") }
      let n = steps > 0 ? Int(steps) : 0
      if start.elementType == .float32 {
        let fs = start.float32![0], fd = delta.float32![0]
        return try c.tensor(.float32((0..<n).map { fs + Float($0) * fd }), [n])
      }
      return try c.tensor(.float64((0..<n).map { s + Double($0) * d }), [n])
    case .int32, .int64:
      let s = start.integers![0], l = limit.integers![0], d = delta.integers![0]
      guard d != 0 else { throw c.error("delta is 0") }
      // The true span fits UInt even when it overflows Int.
      let span = d > 0 ? (l > s ? UInt(bitPattern: l &- s) : 0) : (s > l ? UInt(bitPattern: s &- l) : 0)
      let count = span == 0 ? 0 : (span - 1) / d.magnitude + 1
      guard count <= UInt(GraphTensor.maximumElementCount) else { throw c.error("range of \(count) elements exceeds 2^31") }
      let values = (0..<Int(count)).map { s &+ $0 &* d }
      return try c.tensor(
        start.elementType == .int32 ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values.map { Int64($0) }), [Int(count)])
    default:
      throw c.error("'start' is \(start.elementType), expected float32, float64, int32 or int64")
    }
  }
}


extension OperatorKernels {
  /// GatherElements (opset 11+): the output has the indices' shape; element `i` takes data at
  /// `i` with the coordinate on `axis` replaced by the index there (negative indices count from
  /// the end). Indices and data have the same rank; other dimensions of the indices may be
  /// smaller than the data's.
  static func gatherElements(_ c: KernelContext) throws -> GraphTensor {
    let data = try c.input(0, "data"), indicesTensor = try c.input(1, "indices")
    let r = data.shape.count
    guard r >= 1, indicesTensor.shape.count == r else {
      throw c.error("data \(data.shape) and indices \(indicesTensor.shape) must have the same rank ≥ 1")
    }
    let axis = try c.axis(try c.int("axis", 0), rank: r)
    for d in 0..<r where d != axis && indicesTensor.shape[d] > data.shape[d] {
      throw c.error("indices \(indicesTensor.shape) exceed data \(data.shape) on axis \(d)")
    }
    let indices = try c.integers(indicesTensor, "indices")
    let dim = data.shape[axis]
    var dataStrides = [Int](repeating: 1, count: r)
    for d in stride(from: r - 2, through: 0, by: -1) { dataStrides[d] = dataStrides[d + 1] * data.shape[d + 1] }
    var offsets = [Int]()
    offsets.reserveCapacity(indices.count)
    var coordinate = [Int](repeating: 0, count: r)
    for raw in indices {
      guard raw >= -dim, raw < dim else { throw c.error("index \(raw) is out of range for axis \(axis) of size \(dim)") }
      var offset = 0
      for d in 0..<r { offset += (d == axis ? (raw < 0 ? raw + dim : raw) : coordinate[d]) * dataStrides[d] }
      offsets.append(offset)
      var d = r - 1
      while d >= 0 {
        coordinate[d] += 1
        if coordinate[d] < indicesTensor.shape[d] { break }
        coordinate[d] = 0
        d -= 1
      }
    }
    return try c.tensor(data.storage.gathered(offsets), indicesTensor.shape)
  }

  /// IsNaN: true where a float element is NaN.
  static func isNaN(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    guard x.elementType.isFloatingPoint else { throw c.error("'X' is \(x.elementType), expected a float type") }
    return try c.tensor(.bool(x.doubles.map(\.isNaN)), x.shape)
  }
}
