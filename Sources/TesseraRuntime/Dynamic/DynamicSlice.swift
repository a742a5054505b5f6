import TesseraGraph

/// ONNX Slice of a float tensor with unit steps, as copies of contiguous runs: the engine of
/// ``DynamicStepKind/slice(_:)``. BERT's position embeddings are such a slice (the first
/// `sequence` rows of the `[512, H]` table: one copy), which the reference interpreter ran
/// by gathering element offsets from a copy of the whole table.
enum DynamicSlice {
  /// The slice's output, or nil when the fast path does not apply (data not float32, bounds not
  /// int32/int64 lists of one length, an axis out of range or repeated, a step other than 1), in
  /// which case the caller runs the reference kernel, which also produces its errors.
  static func run(data: DynamicValue, starts: DynamicValue, ends: DynamicValue, axes: DynamicValue?, steps: DynamicValue?,
                  pool: BufferPool) throws -> DynamicValue? {
    guard let starts = integers(starts), let ends = integers(ends), starts.count == ends.count else { return nil }
    let inShape = data.shape
    let rank = inShape.count
    var axisList = Array(0..<starts.count)
    if let axes {
      guard let a = integers(axes), a.count == starts.count else { return nil }
      axisList = a
    }
    if let steps {
      guard let s = integers(steps), s.count == starts.count, s.allSatisfy({ $0 == 1 }) else { return nil }
    }
    var begin = [Int](repeating: 0, count: rank), shape = inShape, seen = Set<Int>()
    for (i, given) in axisList.enumerated() {
      let axis = given < 0 ? given + rank : given
      guard axis >= 0, axis < rank, seen.insert(axis).inserted else { return nil }
      let dim = inShape[axis]
      let lo = Swift.min(Swift.max(starts[i] < 0 ? starts[i] + dim : starts[i], 0), dim)
      let hi = Swift.min(Swift.max(ends[i] < 0 ? ends[i] + dim : ends[i], 0), dim)
      begin[axis] = lo
      shape[axis] = Swift.max(hi - lo, 0)
    }
    guard case .float32? = elementType(data) else { return nil }
    let count = shape.reduce(1, *)
    let buffer = pool.take(count)
    if count > 0 {
      try data.withFloats("Slice") { src, _ in copy(src, inShape, begin: begin, shape: shape, into: buffer.pointer) }
    }
    return .buffer(buffer, shape: shape)
  }

  /// Copies the box `begin ..< begin + shape` of a contiguous tensor of `inShape` into `out`:
  /// the axes after the last cut one are whole, so each run of the cut axis and those is one copy.
  static func copy(_ src: UnsafePointer<Float>, _ inShape: [Int], begin: [Int], shape: [Int], into out: UnsafeMutablePointer<Float>) {
    let rank = inShape.count
    var strides = [Int](repeating: 1, count: rank)
    for a in stride(from: rank - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * inShape[a + 1] }
    guard let cut = (0..<rank).last(where: { shape[$0] != inShape[$0] }) else {
      out.update(from: src, count: shape.reduce(1, *))
      return
    }
    let run = shape[cut] * strides[cut]
    let outer = shape[..<cut].reduce(1, *)
    var index = [Int](repeating: 0, count: cut)
    var o = out
    for _ in 0..<outer {
      var offset = begin[cut] * strides[cut]
      for a in 0..<cut { offset += (begin[a] + index[a]) * strides[a] }
      o.update(from: src + offset, count: run)
      o += run
      var a = cut - 1
      while a >= 0 {
        index[a] += 1
        if index[a] < shape[a] { break }
        index[a] = 0
        a -= 1
      }
    }
  }

  /// The elements of a rank-0 or rank-1 int32/int64 tensor.
  static func integers(_ v: DynamicValue) -> [Int]? {
    guard case let .tensor(t) = v, t.shape.count <= 1, t.elementType == .int64 || t.elementType == .int32 else { return nil }
    return t.integers
  }

  static func elementType(_ v: DynamicValue) -> ElementType? {
    switch v {
    case .empty: nil
    case let .tensor(t): t.elementType
    case .buffer: .float32
    }
  }
}
