import TesseraNN

extension GraphLowering {
  /// The window of a 2-D Conv: strides, symmetric explicit pads (or VALID), dilations 1.
  static func window(_ node: Node, shape: [Int], kernel: (Int, Int)) throws -> WindowGeometry {
    func fail(_ why: String) -> LoweringError { LoweringError("node '\(node.name)' (\(node.op)): \(why)") }
    let autoPad = try node.string("auto_pad", default: "NOTSET")
    guard autoPad == "NOTSET" || autoPad == "VALID" else { throw fail("auto_pad \(autoPad)") }
    let strides = try node.ints("strides", default: [1, 1]) ?? [1, 1]
    let pads = autoPad == "VALID" ? [0, 0, 0, 0] : try node.ints("pads", default: [0, 0, 0, 0]) ?? [0, 0, 0, 0]
    let dilations = try node.ints("dilations", default: [1, 1]) ?? [1, 1]
    if let k = try node.ints("kernel_shape"), k != [kernel.0, kernel.1] { throw fail("kernel_shape \(k) disagrees with the weights") }
    guard strides.count == 2, pads.count == 4, dilations == [1, 1] else { throw fail("needs 2-D strides and pads, dilation 1") }
    guard pads[0] == pads[2], pads[1] == pads[3] else { throw fail("asymmetric padding \(pads)") }
    do {
      return try WindowGeometry(
        channels: shape[0], height: shape[1], width: shape[2], kernel: kernel, stride: (strides[0], strides[1]),
        padding: (pads[0], pads[1]), what: node.name)
    } catch {
      throw fail("\(error)")
    }
  }

  /// The window of a MaxPool / AveragePool (floor mode, count_include_pad when padded) or a
  /// GlobalAveragePool.
  static func poolWindow(_ node: Node, shape: [Int]) throws -> WindowGeometry {
    func fail(_ why: String) -> LoweringError { LoweringError("node '\(node.name)' (\(node.op)): \(why)") }
    if node.op == "GlobalAveragePool" {
      return try window(node, shape: shape, kernel: (shape[1], shape[2]))
    }
    guard node.outputs.count == 1 || node.outputs[1].isEmpty else { throw fail("the Indices output") }
    guard try node.int("ceil_mode", default: 0) == 0 else { throw fail("ceil_mode") }
    guard let kernel = try node.ints("kernel_shape"), kernel.count == 2 else { throw fail("needs a 2-D kernel_shape") }
    let pads = try node.ints("pads", default: [0, 0, 0, 0]) ?? []
    if node.op == "AveragePool", pads.contains(where: { $0 != 0 }), try node.int("count_include_pad", default: 0) != 1 {
      throw fail("padding excluded from the average (count_include_pad = 0)")
    }
    return try window(node, shape: shape, kernel: (kernel[0], kernel[1]))
  }
}
