extension OperatorKernels {
  /// Pad (opset 11+: `pads` input [begin…, end…], optional `constant_value` input, optional `axes`
  /// input from opset 18). Modes: `constant`, `reflect` (mirror without repeating the edge,
  /// repeated for pads longer than the axis, as numpy), `edge`, `wrap` (opset 19). Negative pads
  /// crop.
  static func pad(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    let r = x.shape.count
    let pads: [Int]
    if let t = c.optionalInput(1) {
      pads = try c.integerList(t, "pads")
    } else if let attribute = try c.ints("pads") {
      pads = attribute
    } else {
      throw c.error("input 1 ('pads') is required")
    }
    let axes = c.opset >= 18 ? try c.optionalInput(3).map { try c.axes(try c.integerList($0, "axes"), rank: r) } : nil
    let padded = axes ?? Array(0..<r)
    guard pads.count == 2 * padded.count else {
      throw c.error("pads \(pads) must have \(2 * padded.count) values (begin and end for \(padded.count) axes)")
    }
    let mode = try c.string("mode", "constant")
    guard ["constant", "reflect", "edge"].contains(mode) || (mode == "wrap" && c.opset >= 19) else {
      throw c.error("mode '\(mode)' is not one of constant, reflect, edge\(c.opset >= 19 ? ", wrap" : "")")
    }
    var begin = [Int](repeating: 0, count: r), end = begin
    for (i, axis) in padded.enumerated() {
      begin[axis] = pads[i]
      end[axis] = pads[padded.count + i]
    }
    var shape = x.shape
    for d in 0..<r {
      let (s1, o1) = x.shape[d].addingReportingOverflow(begin[d])
      let (s2, o2) = s1.addingReportingOverflow(end[d])
      guard !o1, !o2, s2 >= 0 else { throw c.error("pads \(pads) give a negative or huge size for axis \(d) of \(x.shape)") }
      shape[d] = s2
    }
    _ = try c.count(shape)
    var fill = x.storage.zeroElement
    if mode == "constant", let value = c.optionalInput(2) {
      try c.requireSameType(value, x, "constant_value and data")
      guard value.count == 1 else { throw c.error("constant_value must be a scalar, got shape \(value.shape)") }
      fill = value.storage
    }
    // Row-major offsets built axis by axis; -1 marks the constant fill.
    let strides = TensorLayout.strides(x.shape)
    var offsets = [0]
    for d in 0..<r {
      let n = x.shape[d]
      let sources = try (0..<shape[d]).map { j -> Int in
        let i = j - begin[d]
        if i >= 0, i < n { return i }
        if mode == "constant" { return -1 }
        guard n > 0 else { throw c.error("cannot pad the empty axis \(d) of \(x.shape) in mode \(mode)") }
        switch mode {
        case "edge": return i < 0 ? 0 : n - 1
        case "wrap": return ((i % n) + n) % n
        default:
          if n == 1 { return 0 }
          let period = 2 * (n - 1)
          let m = ((i % period) + period) % period
          return m >= n ? period - m : m
        }
      }
      var next = [Int]()
      next.reserveCapacity(offsets.count * sources.count)
      for p in offsets {
        for s in sources { next.append(p < 0 || s < 0 ? -1 : p + s * strides[d]) }
      }
      offsets = next
    }
    return try c.tensor(x.storage.gathered(offsets, fill: fill), shape)
  }
}
