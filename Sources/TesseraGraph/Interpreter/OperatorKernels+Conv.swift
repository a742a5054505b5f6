/// The shapes of a grouped N-D convolution: X [N, C, spatial…], W [M, C/group, kernel…].
struct ConvolutionPlan {
  var batch: Int, channels: Int, outputChannels: Int, group: Int
  var geometry: WindowGeometry

  /// Input channels per group and output channels per group.
  var groupChannels: Int { channels / group }
  var groupOutputs: Int { outputChannels / group }
  /// Output shape [N, M, spatial…].
  var outputShape: [Int] { [batch, outputChannels] + geometry.output }

  init(_ c: KernelContext, x: [Int], w: [Int], xName: String = "X", wName: String = "W") throws {
    guard x.count >= 3 else { throw c.error("\(xName) must be [N, C, spatial…], got \(x)") }
    guard w.count == x.count else { throw c.error("\(wName) \(w) must have the rank of \(xName) \(x)") }
    group = try c.int("group", 1)
    guard group >= 1 else { throw c.error("group \(group) must be ≥ 1") }
    batch = x[0]
    channels = x[1]
    outputChannels = w[0]
    let (wide, overflow) = w[1].multipliedReportingOverflow(by: group)
    guard !overflow, channels == wide else {
      throw c.error("channel mismatch: \(xName) \(x) has \(channels) channels, \(wName) \(w) expects \(w[1]) × group \(group)")
    }
    guard outputChannels % group == 0 else {
      throw c.error("\(wName) \(w) has \(outputChannels) output channels, not a multiple of group \(group)")
    }
    let kernel = Array(w[2...])
    if let attr = try c.ints("kernel_shape"), attr != kernel {
      throw c.error("kernel_shape \(attr) differs from the weight's \(kernel)")
    }
    geometry = try WindowGeometry(c, input: Array(x[2...]), kernel: kernel, allowCeilMode: false)
    _ = try c.count(outputShape)
  }

  /// Runs the convolution with `accumulate(acc, xIndex, wIndex)` folded over every tap; `start`
  /// gives the initial value for an output channel. Generic over the accumulator.
  func run<A>(start: (Int) -> A, _ accumulate: (inout A, Int, Int) -> Void) -> [A] {
    let spatialIn = geometry.inputCount, spatialOut = geometry.outputCount, k = geometry.kernelCount
    var out = (0..<batch * outputChannels * spatialOut).map { start(($0 / max(spatialOut, 1)) % outputChannels) }
    guard !out.isEmpty, groupChannels > 0 else { return out }
    let inStrides = TensorLayout.strides(geometry.input)
    var row = [Int]()
    for p in 0..<spatialOut {
      geometry.window(at: p, inputStrides: inStrides, into: &row)
      row.withUnsafeBufferPointer { t in
        for n in 0..<batch {
          for oc in 0..<outputChannels {
            let g = oc / groupOutputs
            let y = (n * outputChannels + oc) * spatialOut + p
            var acc = out[y]
            for ci in 0..<groupChannels {
              let xBase = (n * channels + g * groupChannels + ci) * spatialIn
              let wBase = (oc * groupChannels + ci) * k
              for kk in 0..<k {
                let o = t[kk]
                if o >= 0 { accumulate(&acc, xBase + o, wBase + kk) }
              }
            }
            out[y] = acc
          }
        }
      }
    }
    return out
  }
}

extension OperatorKernels {
  /// Conv (N-D, group, strides, dilations, pads, auto_pad, optional bias B [M]), float32/float64.
  static func conv(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "X"), w = try c.input(1, "W")
    try c.requireSameType(x, w, "X and W")
    let plan = try ConvolutionPlan(c, x: x.shape, w: w.shape)
    let xv = try c.floats(x, "X"), wv = try c.floats(w, "W")
    var bias = [Double](repeating: 0, count: plan.outputChannels)
    if let b = c.optionalInput(2) {
      try c.requireSameType(b, x, "B and X")
      guard b.count == plan.outputChannels, b.shape.count == 1 else {
        throw c.error("B \(b.shape) must be [\(plan.outputChannels)]")
      }
      bias = try c.floats(b, "B")
    }
    let y = xv.withUnsafeBufferPointer { xp in
      wv.withUnsafeBufferPointer { wp in
        plan.run(start: { bias[$0] }) { acc, i, j in acc += xp[i] * wp[j] }
      }
    }
    return try c.floatTensor(y, plan.outputShape, as: x.elementType)
  }

  /// QLinearConv: int32 convolution of (x − x_zero_point) and (w − w_zero_point) (w's per output
  /// channel or per tensor), plus the int32 bias, scaled by x_scale·w_scale/y_scale (float32),
  /// plus y_zero_point, rounded half to even and saturated to y_zero_point's type.
  static func qLinearConv(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "x"), w = try c.input(3, "w"), yZero = try c.input(7, "y_zero_point")
    try c.require(x, "x", [.int8, .uint8])
    try c.require(w, "w", [.int8, .uint8])
    try c.require(yZero, "y_zero_point", [.int8, .uint8])
    let plan = try ConvolutionPlan(c, x: x.shape, w: w.shape, xName: "x", wName: "w")
    let m = plan.outputChannels
    let xScale = try quantParameter(c, c.input(1, "x_scale"), "x_scale", length: 1, what: "a")!
    let xZero = try quantParameter(c, c.input(2, "x_zero_point"), "x_zero_point", length: 1, what: "a")!
    let wScale = try quantParameter(c, c.input(4, "w_scale"), "w_scale", length: m, what: "a per-output-channel")!
    let wZero = try quantParameter(c, c.input(5, "w_zero_point"), "w_zero_point", length: m, what: "a per-output-channel")!
    let yScale = try quantParameter(c, c.input(6, "y_scale"), "y_scale", length: 1, what: "a")!
    _ = try quantParameter(c, yZero, "y_zero_point", length: 1, what: "a")
    try c.requireSameType(xZero, x, "x_zero_point and x")
    try c.requireSameType(wZero, w, "w_zero_point and w")
    for (t, name) in [(xScale, "x_scale"), (wScale, "w_scale"), (yScale, "y_scale")] { try c.require(t, name, [.float32]) }
    var bias = [Int](repeating: 0, count: m)
    if let b = c.optionalInput(8) {
      try c.require(b, "B", [.int32])
      guard b.count == m, b.shape.count == 1 else { throw c.error("B \(b.shape) must be [\(m)]") }
      bias = b.integers!
    }
    let xz = xZero.integers![0], wz = wZero.integers!
    let xs = x.integers!.map { $0 - xz }
    let ws = w.integers!
    let perChannel = plan.geometry.kernelCount * plan.groupChannels
    let wShifted = ws.enumerated().map { i, v in v - wz[wz.count == 1 ? 0 : i / perChannel] }
    let acc = plan.run(start: { bias[$0] }) { acc, i, j in acc = acc &+ xs[i] &* wShifted[j] }
    let sx = xScale.float32![0], sy = yScale.float32![0]
    let multipliers = wScale.float32!.map { Double(sx * $0 / sy) }
    let zero = Double(yZero.integers![0])
    let spatial = plan.geometry.outputCount
    let values = acc.enumerated().map { i, v in
      Double(Int32(truncatingIfNeeded: v)) * multipliers[multipliers.count == 1 ? 0 : (i / spatial) % m] + zero
    }
    return try c.tensor(saturatedStorage(values, yZero.elementType), plan.outputShape)
  }
}
