/// The sliding-window arithmetic of Conv, QLinearConv, MaxPool and AveragePool: kernel, strides,
/// dilations, pads (explicit or from `auto_pad`), `ceil_mode`, and the output size.
struct WindowGeometry {
  /// Input spatial sizes.
  var input: [Int]
  /// Kernel spatial sizes.
  var kernel: [Int]
  /// Strides (≥ 1).
  var strides: [Int]
  /// Dilations (≥ 1).
  var dilations: [Int]
  /// Padding before and after each spatial dimension (as given or derived from `auto_pad`).
  var padsBegin: [Int], padsEnd: [Int]
  /// Output spatial sizes.
  var output: [Int]

  /// Number of spatial dimensions.
  var rank: Int { input.count }
  /// Product of the kernel sizes.
  var kernelCount: Int { TensorLayout.product(kernel) }
  /// Product of the output sizes.
  var outputCount: Int { TensorLayout.product(output) }
  /// Product of the input sizes.
  var inputCount: Int { TensorLayout.product(input) }
  /// The most kernel positions a window may have (2²⁴), so one window's offsets stay small.
  static let maximumTaps = 1 << 24

  /// Reads the window attributes of `c.node`.
  /// - Parameters:
  ///   - input: the input's spatial sizes.
  ///   - kernel: the kernel's spatial sizes (from the weight for Conv, `kernel_shape` for pools).
  ///   - allowCeilMode: pools read `ceil_mode`; Conv does not.
  ///   - allowDilations: whether the `dilations` attribute applies (AveragePool before opset 19 ignores it).
  init(_ c: KernelContext, input: [Int], kernel: [Int], allowCeilMode: Bool, allowDilations: Bool = true) throws {
    let r = input.count
    guard r >= 1 else { throw c.error("the input needs at least one spatial dimension") }
    guard kernel.count == r else { throw c.error("kernel_shape \(kernel) does not match \(r) spatial dimensions") }
    func list(_ key: String, _ fill: Int, count: Int) throws -> [Int] {
      guard let v = try c.ints(key) else { return Array(repeating: fill, count: count) }
      guard v.count == count else { throw c.error("\(key) \(v) must have \(count) values") }
      return v
    }
    let strides = try list("strides", 1, count: r)
    let dilations = allowDilations ? try list("dilations", 1, count: r) : Array(repeating: 1, count: r)
    for k in kernel where k < 1 || k > 1 << 31 { throw c.error("kernel_shape \(kernel) must be in 1...2^31") }
    guard kernel.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= Self.maximumTaps,
      kernel.allSatisfy({ $0 <= Self.maximumTaps })
    else { throw c.error("kernel \(kernel) has more than 2^24 taps") }
    for s in strides where s < 1 || s > 1 << 31 { throw c.error("strides \(strides) must be in 1...2^31") }
    for d in dilations where d < 1 || d > 1 << 31 { throw c.error("dilations \(dilations) must be in 1...2^31") }
    let ceilMode = allowCeilMode ? try c.int("ceil_mode", 0) != 0 : false
    let autoPad = try c.string("auto_pad", "NOTSET")
    let extents = (0..<r).map { (kernel[$0] - 1) * dilations[$0] + 1 }
    for e in extents where e > 1 << 31 { throw c.error("dilated kernel \(kernel) × \(dilations) is too large") }
    var output = Array(repeating: 0, count: r)
    var padsBegin = Array(repeating: 0, count: r), padsEnd = padsBegin
    switch autoPad {
    case "NOTSET":
      let pads = try list("pads", 0, count: 2 * r)
      for p in pads where p < 0 || p > 1 << 31 { throw c.error("pads \(pads) must be in 0...2^31") }
      padsBegin = Array(pads[0..<r])
      padsEnd = Array(pads[r...])
      for d in 0..<r {
        let span = input[d] + padsBegin[d] + padsEnd[d] - extents[d]
        guard span >= 0 else {
          throw c.error("kernel \(kernel) (dilations \(dilations)) is larger than the padded input \(input) (pads \(pads))")
        }
        var size = span / strides[d] + 1
        if ceilMode, span % strides[d] != 0 {
          size += 1
          // The last window must start inside the input or the leading padding.
          if (size - 1) * strides[d] >= input[d] + padsBegin[d] { size -= 1 }
        }
        output[d] = size
      }
    case "VALID":
      for d in 0..<r {
        guard input[d] >= extents[d] else { throw c.error("kernel \(kernel) is larger than the input \(input) (auto_pad VALID)") }
        output[d] = (input[d] - extents[d]) / strides[d] + 1
      }
    case "SAME_UPPER", "SAME_LOWER":
      for d in 0..<r {
        output[d] = (input[d] + strides[d] - 1) / strides[d]
        let total = max(0, (output[d] - 1) * strides[d] + extents[d] - input[d])
        padsBegin[d] = autoPad == "SAME_UPPER" ? total / 2 : (total + 1) / 2
        padsEnd[d] = total - padsBegin[d]
      }
    default:
      throw c.error("auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
    }
    _ = try c.count(output, "output spatial")
    (self.input, self.kernel, self.strides, self.dilations) = (input, kernel, strides, dilations)
    (self.padsBegin, self.padsEnd, self.output) = (padsBegin, padsEnd, output)
  }

  /// The input spatial offsets read by the window of output position `p` (row-major), one per
  /// kernel position (row-major), -1 in the padding. Offsets use `inputStrides`.
  /// - Parameter row: reused storage, resized to ``kernelCount``.
  func window(at p: Int, inputStrides: [Int], into row: inout [Int]) {
    let k = kernelCount
    if row.count != k { row = [Int](repeating: -1, count: k) }
    // Each axis: the first input coordinate of the window; then walk the kernel odometer.
    var start = [Int](repeating: 0, count: rank), rest = p
    for d in stride(from: rank - 1, through: 0, by: -1) {
      start[d] = (rest % output[d]) * strides[d] - padsBegin[d]
      rest /= output[d]
    }
    var tap = [Int](repeating: 0, count: rank)
    row.withUnsafeMutableBufferPointer { r in
      for kk in 0..<k {
        var offset = 0
        for d in 0..<rank {
          let i = start[d] + tap[d] * dilations[d]
          if i < 0 || i >= input[d] { offset = -1; break }
          offset += i * inputStrides[d]
        }
        r[kk] = offset
        var d = rank - 1
        while d >= 0 {
          tap[d] += 1
          if tap[d] < kernel[d] { break }
          tap[d] = 0
          d -= 1
        }
      }
    }
  }

  /// For each output position, how many window positions lie inside the explicitly padded input
  /// (`includePadding`, as AveragePool's count_include_pad counts; positions past it that
  /// ceil_mode adds are never counted) or inside the input alone.
  func windowCounts(includePadding: Bool) -> [Int] {
    // Per axis and output index: the taps k with low ≤ start + k·dilation < high.
    let perAxis = (0..<rank).map { d -> [Int] in
      let low = includePadding ? -padsBegin[d] : 0, high = includePadding ? input[d] + padsEnd[d] : input[d]
      return (0..<output[d]).map { o in
        let start = o * strides[d] - padsBegin[d], dil = dilations[d]
        let first = start >= low ? 0 : (low - start + dil - 1) / dil
        let end = start >= high ? 0 : min(kernel[d], (high - start + dil - 1) / dil)
        return max(0, end - first)
      }
    }
    return (0..<outputCount).map { p in
      var n = 1, rest = p
      for d in stride(from: rank - 1, through: 0, by: -1) {
        n *= perAxis[d][rest % output[d]]
        rest /= output[d]
      }
      return n
    }
  }
}
