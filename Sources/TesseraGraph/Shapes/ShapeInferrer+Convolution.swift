/// Shape rules for sliding-window operators: Conv (and QLinearConv, FusedConv), MaxPool,
/// AveragePool, GlobalAveragePool.
extension ShapeInferrer {
  /// The sliding-window attributes of a node with `spatial` spatial axes.
  struct Window {
    var kernel: [Int]?
    var strides: [Int]
    var dilations: [Int]
    var pads: [Int]
    var autoPad: String
    var ceilMode: Bool
  }

  /// Reads and checks `kernel_shape`, `strides`, `dilations`, `pads`, `auto_pad`, `ceil_mode`.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` for a list of the wrong length or a
  ///   non-positive stride, dilation or kernel size, or a negative pad.
  func window(_ n: Node, spatial: Int, kernel: [Int]?) throws -> Window {
    func list(_ key: String, _ count: Int, default value: Int) throws -> [Int] {
      let v = try n.ints(key) ?? Array(repeating: value, count: count)
      guard v.count == count else { throw fail(n, "attribute '\(key)' has \(v.count) values, expected \(count)") }
      return v
    }
    let w = Window(
      kernel: kernel, strides: try list("strides", spatial, default: 1), dilations: try list("dilations", spatial, default: 1),
      pads: try list("pads", 2 * spatial, default: 0), autoPad: try n.string("auto_pad", default: "NOTSET"),
      ceilMode: try n.int("ceil_mode", default: 0) != 0)
    if let k = kernel, k.count != spatial || k.contains(where: { $0 < 1 }) {
      throw fail(n, "kernel_shape \(k) does not fit \(spatial) spatial axes")
    }
    guard !w.strides.contains(where: { $0 < 1 }), !w.dilations.contains(where: { $0 < 1 }), !w.pads.contains(where: { $0 < 0 })
    else { throw fail(n, "strides \(w.strides) and dilations \(w.dilations) must be ≥ 1 and pads \(w.pads) ≥ 0") }
    return w
  }

  /// The output size of spatial axis `axis`.
  ///
  /// NOTSET/VALID: `⌊(in + pad_begin + pad_end − ((k − 1)·d + 1)) / stride⌋ + 1` (VALID has no
  /// pads); with `ceil_mode` the division rounds up, and a last window that would start in the
  /// end padding is dropped (as PyTorch and ONNX Runtime do). SAME_UPPER/SAME_LOWER:
  /// `⌈in / stride⌉`. A symbolic input keeps its symbol when the output equals the input
  /// (stride 1 and total padding `(k − 1)·d`), else gets a fresh symbol.
  func windowOutput(_ n: Node, _ input: Dimension, axis: Int, _ w: Window) throws -> Dimension {
    guard let k = w.kernel?[axis] else { return fresh(n) }
    let stride = w.strides[axis]
    let extent = w.dilations[axis] * (k - 1) + 1
    switch w.autoPad {
    case "SAME_UPPER", "SAME_LOWER":
      if let v = input.value { return .fixed((v + stride - 1) / stride) }
      return stride == 1 ? input : fresh(n)
    case "NOTSET", "VALID":
      let valid = w.autoPad == "VALID"
      let begin = valid ? 0 : w.pads[axis], end = valid ? 0 : w.pads[axis + w.strides.count]
      guard let v = input.value else { return stride == 1 && begin + end == extent - 1 ? input : fresh(n) }
      let span = v + begin + end - extent
      guard span >= 0 else {
        throw fail(n, "spatial axis \(axis): size \(v) with pads \(begin)+\(end) is smaller than the kernel extent \(extent)")
      }
      var out = (w.ceilMode ? (span + stride - 1) / stride : span / stride) + 1
      if w.ceilMode, (out - 1) * stride >= v + begin { out -= 1 }
      return .fixed(out)
    default:
      throw fail(n, "auto_pad '\(w.autoPad)' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID")
    }
  }

  /// Conv-shaped output `[N, M, out…]` for input `x` and weight `w` (input indices), checking
  /// channels: `C == w[1] · group` and `M % group == 0` when fixed.
  func convShape(_ n: Node, x xi: Int, w wi: Int) throws -> [Dimension]? {
    guard let x = shape(n, xi) else { return nil }
    guard x.count >= 3 else { throw fail(n, "input \(describe(n, xi)) must have rank ≥ 3 (N, C, spatial…)") }
    let group = try n.int("group", default: 1)
    guard group >= 1 else { throw fail(n, "group \(group) must be ≥ 1") }
    var kernel = try n.ints("kernel_shape")
    var m: Dimension?
    if let w = shape(n, wi) {
      guard w.count == x.count else {
        throw fail(n, "weight \(describe(n, wi)) and input \(describe(n, xi)) have different ranks")
      }
      if let c = x[1].value, let wc = w[1].value, c != wc * group {
        throw fail(n, "input \(describe(n, xi)) has \(c) channels but weight \(describe(n, wi)) with group \(group) expects \(wc * group)")
      }
      if let mm = w[0].value, mm % group != 0 {
        throw fail(n, "weight \(describe(n, wi)) has \(mm) output channels, not a multiple of group \(group)")
      }
      m = w[0]
      let spatialWeight = w.dropFirst(2).compactMap(\.value)
      if let k = kernel, spatialWeight.count == k.count, spatialWeight != k {
        throw fail(n, "kernel_shape \(k) differs from weight \(describe(n, wi))")
      }
      if kernel == nil, spatialWeight.count == x.count - 2 { kernel = spatialWeight }
    }
    let win = try window(n, spatial: x.count - 2, kernel: kernel)
    var out = [x[0], m ?? fresh(n)]
    for axis in 0..<(x.count - 2) { out.append(try windowOutput(n, x[axis + 2], axis: axis, win)) }
    return out
  }

  /// Conv and FusedConv: the input's element type, Conv-shaped output.
  func conv(_ n: Node) throws -> TensorType? {
    guard let t = type(n, 0) else { return nil }
    return TensorType(t.elementType, try convShape(n, x: 0, w: 1))
  }

  /// MaxPool (with optional int64 Indices) and AveragePool: `[N, C, out…]`.
  func pool(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let kernel = try n.ints("kernel_shape") else { throw fail(n, "attribute 'kernel_shape' is required") }
    guard let x = t.shape else { return outputs(n, t, TensorType(.int64, nil)) }
    guard x.count == kernel.count + 2 else {
      throw fail(n, "input \(describe(n, 0)) does not fit kernel_shape \(kernel)")
    }
    let win = try window(n, spatial: kernel.count, kernel: kernel)
    var out = [x[0], x[1]]
    for axis in 0..<kernel.count { out.append(try windowOutput(n, x[axis + 2], axis: axis, win)) }
    return outputs(n, TensorType(t.elementType, out), TensorType(.int64, out))
  }

  /// GlobalAveragePool: `[N, C, 1, …, 1]`.
  func globalPool(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    guard x.count >= 3 else { throw fail(n, "input \(describe(n, 0)) must have rank ≥ 3 (N, C, spatial…)") }
    return outputs(n, TensorType(t.elementType, [x[0], x[1]] + Array(repeating: .fixed(1), count: x.count - 2)))
  }
}
