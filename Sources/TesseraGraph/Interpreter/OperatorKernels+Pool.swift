extension OperatorKernels {
  /// The input X [N, C, spatial…] of a pool, its window geometry and element values as doubles.
  private static func poolInput(
    _ c: KernelContext, types: Set<ElementType>, allowDilations: Bool
  ) throws -> (x: GraphTensor, geometry: WindowGeometry, values: [Double]) {
    let x = try c.input(0, "X")
    try c.require(x, "X", types)
    guard x.shape.count >= 3 else { throw c.error("X must be [N, C, spatial…], got \(x.shape)") }
    guard let kernel = try c.ints("kernel_shape") else { throw c.error("attribute 'kernel_shape' is required") }
    let geometry = try WindowGeometry(
      c, input: Array(x.shape[2...]), kernel: kernel, allowCeilMode: true, allowDilations: allowDilations)
    _ = try c.count(Array(x.shape[0..<2]) + geometry.output)
    return (x, geometry, x.doubles)
  }

  /// MaxPool: the largest element of each window (padding never wins; NaN elements are skipped
  /// unless the whole window is NaN). The optional second output `Indices` holds the flat index
  /// into X of each maximum (the first one on ties), row-major, or with the spatial dimensions
  /// column-major when `storage_order` is 1. float32, float64, int8, uint8.
  static func maxPool(_ c: KernelContext) throws -> [GraphTensor] {
    let (x, g, xv) = try poolInput(c, types: [.float32, .float64, .int8, .uint8], allowDilations: true)
    let planes = x.shape[0] * x.shape[1], spatialIn = g.inputCount, spatialOut = g.outputCount
    let order = try c.int("storage_order", 0)
    guard order == 0 || order == 1 else { throw c.error("storage_order \(order) must be 0 or 1") }
    var values = [Double](repeating: 0, count: planes * spatialOut)
    var winners = [Int](repeating: -1, count: planes * spatialOut)
    let rowMajor = TensorLayout.strides(g.input)
    var columnMajor = [Int](repeating: 1, count: g.rank)
    for d in 1..<max(g.rank, 1) { columnMajor[d] = columnMajor[d - 1] * g.input[d - 1] }
    var row = [Int](), indexRow = [Int]()
    for p in 0..<(planes > 0 ? spatialOut : 0) {
      g.window(at: p, inputStrides: rowMajor, into: &row)
      if order == 1 { g.window(at: p, inputStrides: columnMajor, into: &indexRow) } else { indexRow = row }
      xv.withUnsafeBufferPointer { xp in
        for plane in 0..<planes {
          let base = plane * spatialIn
          var best = -1
          for kk in row.indices {
            let o = row[kk]
            guard o >= 0 else { continue }
            let v = xp[base + o]
            if best < 0 || v > xp[base + row[best]] || (xp[base + row[best]].isNaN && !v.isNaN) { best = kk }
          }
          if best >= 0 {
            values[plane * spatialOut + p] = xp[base + row[best]]
            winners[plane * spatialOut + p] = base + indexRow[best]
          }
        }
      }
    }
    let shape = Array(x.shape[0..<2]) + g.output
    let y = try c.tensor(storage(values, like: x.elementType), shape)
    guard c.wantsOutput(1) else { return [y] }
    return [y, try c.tensor(.int64(winners.map { Int64($0) }), shape)]
  }

  /// AveragePool: the mean of each window; padding is counted when `count_include_pad` is 1
  /// (never the extra positions `ceil_mode` adds past the padding). `dilations` from opset 19.
  static func averagePool(_ c: KernelContext) throws -> GraphTensor {
    let (x, g, xv) = try poolInput(c, types: [.float32, .float64], allowDilations: c.opset >= 19)
    let includePad = try c.int("count_include_pad", 0) != 0
    let planes = x.shape[0] * x.shape[1], spatialIn = g.inputCount, spatialOut = g.outputCount
    let counts = planes > 0 ? g.windowCounts(includePadding: includePad) : []
    var values = [Double](repeating: 0, count: planes * spatialOut)
    let strides = TensorLayout.strides(g.input)
    var row = [Int]()
    for p in 0..<(planes > 0 ? spatialOut : 0) {
      g.window(at: p, inputStrides: strides, into: &row)
      xv.withUnsafeBufferPointer { xp in
        for plane in 0..<planes {
          let base = plane * spatialIn
          var sum = 0.0
          for o in row where o >= 0 { sum += xp[base + o] }
          values[plane * spatialOut + p] = counts[p] > 0 ? sum / Double(counts[p]) : 0
        }
      }
    }
    return try c.floatTensor(values, Array(x.shape[0..<2]) + g.output, as: x.elementType)
  }

  /// GlobalAveragePool: the mean over all spatial dimensions, [N, C, 1, …].
  static func globalAveragePool(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X")
    guard x.shape.count >= 3 else { throw c.error("X must be [N, C, spatial…], got \(x.shape)") }
    let xv = try c.floats(x, "X")
    let planes = x.shape[0] * x.shape[1], spatial = TensorLayout.product(x.shape[2...])
    var values = [Double](repeating: 0, count: planes)
    for plane in 0..<planes {
      var sum = 0.0
      for i in 0..<spatial { sum += xv[plane * spatial + i] }
      values[plane] = spatial > 0 ? sum / Double(spatial) : .nan
    }
    return try c.floatTensor(values, Array(x.shape[0..<2]) + Array(repeating: 1, count: x.shape.count - 2), as: x.elementType)
  }

  /// Storage of `type` (float or 8-bit integer) holding `values` (exact for values that came
  /// from that type).
  static func storage(_ values: [Double], like type: ElementType) -> GraphTensor.Storage {
    switch type {
    case .float64: .float64(values)
    case .int8: .int8(values.map { Int8($0) })
    case .uint8: .uint8(values.map { UInt8($0) })
    default: .float32(values.map { Float($0) })
    }
  }
}
