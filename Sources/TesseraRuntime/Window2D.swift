import TesseraNN

/// A 2-D sliding window over NCHW planes (Conv, MaxPool, AveragePool), read from the node's
/// ONNX attributes exactly as the reference kernels read them: `strides`, `dilations`, `pads`
/// or `auto_pad` (NOTSET, VALID, SAME_UPPER, SAME_LOWER), and `ceil_mode` for pools, where a
/// last window that would start in the end padding is dropped.
struct Window2D: Sendable, Equatable {
  var height: Int, width: Int
  var kernelHeight: Int, kernelWidth: Int
  var strideY: Int, strideX: Int
  var dilationY: Int, dilationX: Int
  var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
  var outputHeight: Int, outputWidth: Int

  /// Reads the window of `node` over `height × width` planes; nil when an attribute is malformed
  /// (the reference fallback then reports it).
  /// - Parameters:
  ///   - node: a Conv, FusedConv, MaxPool or AveragePool node.
  ///   - kernel: the kernel's two sizes (the weight's for Conv, `kernel_shape` for pools).
  ///   - ceilMode: whether `ceil_mode` applies (pools).
  ///   - dilations: whether `dilations` applies (AveragePool only from opset 19).
  init?(node: Node, height: Int, width: Int, kernel: [Int], ceilMode: Bool, dilations: Bool = true) {
    guard kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else { return nil }
    func pair(_ key: String, _ fill: Int, count: Int = 2) -> [Int]? {
      guard let v = try? node.ints(key, default: Array(repeating: fill, count: count)), v.count == count else { return nil }
      return v
    }
    guard let strides = pair("strides", 1), strides.allSatisfy({ $0 >= 1 }),
      let dilation = dilations ? pair("dilations", 1) : [1, 1], dilation.allSatisfy({ $0 >= 1 }),
      let ceil = ceilMode ? (try? node.int("ceil_mode", default: 0)) : 0,
      let autoPad = try? node.string("auto_pad", default: "NOTSET")
    else { return nil }
    let input = [height, width]
    let extents = (0..<2).map { (kernel[$0] - 1) * dilation[$0] + 1 }
    var output = [0, 0], begin = [0, 0], end = [0, 0]
    switch autoPad {
    case "NOTSET":
      guard let pads = pair("pads", 0, count: 4), pads.allSatisfy({ $0 >= 0 }) else { return nil }
      begin = Array(pads[0..<2])
      end = Array(pads[2...])
      for d in 0..<2 {
        let span = input[d] + begin[d] + end[d] - extents[d]
        guard span >= 0 else { return nil }
        output[d] = span / strides[d] + 1
        if ceil != 0, span % strides[d] != 0 {
          output[d] += 1
          if (output[d] - 1) * strides[d] >= input[d] + begin[d] { output[d] -= 1 }
        }
      }
    case "VALID":
      for d in 0..<2 {
        guard input[d] >= extents[d] else { return nil }
        output[d] = (input[d] - extents[d]) / strides[d] + 1
      }
    case "SAME_UPPER", "SAME_LOWER":
      for d in 0..<2 {
        output[d] = (input[d] + strides[d] - 1) / strides[d]
        let total = Swift.max(0, (output[d] - 1) * strides[d] + extents[d] - input[d])
        begin[d] = autoPad == "SAME_UPPER" ? total / 2 : (total + 1) / 2
        end[d] = total - begin[d]
      }
    default: return nil
    }
    (self.height, self.width, kernelHeight, kernelWidth) = (height, width, kernel[0], kernel[1])
    (strideY, strideX, dilationY, dilationX) = (strides[0], strides[1], dilation[0], dilation[1])
    (padTop, padLeft, padBottom, padRight) = (begin[0], begin[1], end[0], end[1])
    (outputHeight, outputWidth) = (output[0], output[1])
  }

  /// Input values per plane.
  var inputPlane: Int { height * width }
  /// Output values per plane.
  var outputPlane: Int { outputHeight * outputWidth }
  /// Taps per window.
  var taps: Int { kernelHeight * kernelWidth }
  /// True for a 1×1 stride-1 unpadded window (a convolution is then a plain matrix product).
  var isPointwise: Bool {
    taps == 1 && strideY == 1 && strideX == 1 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
  }

  /// For each output position along one axis, how many taps fall inside `[low, high)`:
  /// the input (`includePadding` false) or the explicitly padded input (AveragePool's
  /// `count_include_pad`; positions `ceil_mode` adds past the padding never count).
  func tapCounts(vertical: Bool, includePadding: Bool) -> [Int] {
    let (size, out, stride, dilation, kernel, begin, end) =
      vertical
      ? (height, outputHeight, strideY, dilationY, kernelHeight, padTop, padBottom)
      : (width, outputWidth, strideX, dilationX, kernelWidth, padLeft, padRight)
    let low = includePadding ? -begin : 0, high = includePadding ? size + end : size
    return (0..<out).map { o in
      let start = o * stride - begin
      let first = start >= low ? 0 : (low - start + dilation - 1) / dilation
      let last = start >= high ? 0 : Swift.min(kernel, (high - start + dilation - 1) / dilation)
      return Swift.max(0, last - first)
    }
  }
}
