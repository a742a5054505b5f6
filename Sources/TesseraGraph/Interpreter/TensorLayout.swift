/// Row-major index arithmetic shared by the kernels: strides, broadcasting and strided gathers.
enum TensorLayout {
  /// Row-major strides of `shape` (the last dimension has stride 1).
  static func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
      s[d] = acc
      acc &*= max(shape[d], 1)
    }
    return s
  }

  /// The product of `dims` (0 when any is 0; shapes are checked so the rest cannot overflow).
  static func product<C: Collection<Int>>(_ dims: C) -> Int { dims.contains(0) ? 0 : dims.reduce(1, &*) }

  /// The multidirectional (numpy) broadcast of two shapes, or nil when incompatible.
  static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if x == y || y == 1 {
        out[i] = x
      } else if x == 1 {
        out[i] = y
      } else {
        return nil
      }
    }
    return out
  }

  /// Strides that read a tensor of shape `input` as if it had the broadcast shape `output`
  /// (stride 0 along broadcast dimensions; `input` aligned to the right).
  static func broadcastStrides(from input: [Int], to output: [Int]) -> [Int] {
    let own = strides(input)
    let lead = output.count - input.count
    return (0..<output.count).map { i in
      i < lead || input[i - lead] == 1 ? 0 : own[i - lead]
    }
  }

  /// For every element of `shape` in row-major order, the source offset
  /// `base + Σ index[d] × strides[d]`.
  static func offsets(shape: [Int], strides: [Int], base: Int = 0) -> [Int] {
    let n = product(shape)
    if n == 0 { return [] }
    let rank = shape.count
    return [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
      var index = [Int](repeating: 0, count: rank)
      var offset = base
      for i in 0..<n {
        (buffer.baseAddress! + i).initialize(to: offset)
        var d = rank - 1
        while d >= 0 {
          index[d] += 1
          offset += strides[d]
          if index[d] < shape[d] { break }
          offset -= strides[d] * shape[d]
          index[d] = 0
          d -= 1
        }
      }
      initialized = n
    }
  }

  /// The offsets that read `input` broadcast to `output`, or nil when the shapes are equal.
  static func broadcastOffsets(from input: [Int], to output: [Int]) -> [Int]? {
    input == output ? nil : offsets(shape: output, strides: broadcastStrides(from: input, to: output))
  }
}

extension TensorLayout {
  /// Picks `values[offsets[i]]` (or `fill` where the offset is negative).
  static func gather<T>(_ values: [T], _ offsets: [Int], fill: T? = nil) -> [T] {
    [T](unsafeUninitializedCapacity: offsets.count) { buffer, initialized in
      values.withUnsafeBufferPointer { v in
        offsets.withUnsafeBufferPointer { o in
          for i in 0..<o.count {
            let k = o[i]
            (buffer.baseAddress! + i).initialize(to: k >= 0 ? v[k] : fill!)
          }
        }
      }
      initialized = offsets.count
    }
  }
}

extension GraphTensor.Storage {
  /// The elements at `offsets`, in order; negative offsets take the first element of `fill`
  /// (which must then have this storage's type and at least one element).
  func gathered(_ offsets: [Int], fill: GraphTensor.Storage? = nil) -> GraphTensor.Storage {
    switch (self, fill) {
    case let (.float32(v), f): .float32(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .float32(x) = $0 { x.first } else { nil } }))
    case let (.float64(v), f): .float64(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .float64(x) = $0 { x.first } else { nil } }))
    case let (.int8(v), f): .int8(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .int8(x) = $0 { x.first } else { nil } }))
    case let (.uint8(v), f): .uint8(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .uint8(x) = $0 { x.first } else { nil } }))
    case let (.int32(v), f): .int32(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .int32(x) = $0 { x.first } else { nil } }))
    case let (.int64(v), f): .int64(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .int64(x) = $0 { x.first } else { nil } }))
    case let (.bool(v), f): .bool(TensorLayout.gather(v, offsets, fill: f.flatMap { if case let .bool(x) = $0 { x.first } else { nil } }))
    }
  }

  /// One element of this type holding zero (false for bool).
  var zeroElement: GraphTensor.Storage {
    switch self {
    case .float32: .float32([0])
    case .float64: .float64([0])
    case .int8: .int8([0])
    case .uint8: .uint8([0])
    case .int32: .int32([0])
    case .int64: .int64([0])
    case .bool: .bool([false])
    }
  }

  /// The concatenation of storages of one type (nil when the types differ).
  static func concatenated(_ parts: [GraphTensor.Storage]) -> GraphTensor.Storage? {
    guard let first = parts.first else { return nil }
    func join<T>(_ pick: (GraphTensor.Storage) -> [T]?) -> [T]? {
      var out = [T]()
      out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
      for p in parts {
        guard let v = pick(p) else { return nil }
        out += v
      }
      return out
    }
    switch first {
    case .float32: return join { if case let .float32(v) = $0 { v } else { nil } }.map { .float32($0) }
    case .float64: return join { if case let .float64(v) = $0 { v } else { nil } }.map { .float64($0) }
    case .int8: return join { if case let .int8(v) = $0 { v } else { nil } }.map { .int8($0) }
    case .uint8: return join { if case let .uint8(v) = $0 { v } else { nil } }.map { .uint8($0) }
    case .int32: return join { if case let .int32(v) = $0 { v } else { nil } }.map { .int32($0) }
    case .int64: return join { if case let .int64(v) = $0 { v } else { nil } }.map { .int64($0) }
    case .bool: return join { if case let .bool(v) = $0 { v } else { nil } }.map { .bool($0) }
    }
  }
}
