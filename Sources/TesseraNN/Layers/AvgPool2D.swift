import Tessera

/// Average pooling over NCHW input; padded positions count as zeros (the divisor is always the
/// window area, PyTorch's `count_include_pad=True`).
///
/// For example:
/// ```swift
/// let pool = AvgPool2D(kernelSize: 2)
/// let y = try pool(x)                      // [b, c, 28, 28] → [b, c, 14, 14]
/// ```
/// ### See Also
/// ``MaxPool2D``
public final class AvgPool2D: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"avgpool2d"`.
  public var kind: String { "avgpool2d" }
  /// Training mode: keeps the input shape for ``backward(_:)``.
  public var isTraining = true
  /// Window `(height, width)`.
  public let kernelSize: (Int, Int)
  /// Step `(y, x)`.
  public let stride: (Int, Int)
  /// Padding `(y, x)` on each side.
  public let padding: (Int, Int)
  private var cache: (geometry: ConvGeometry, batch: Int)?

  /// Makes an average-pooling layer.
  /// - Parameters:
  ///   - kernelSize: window `(height, width)`.
  ///   - stride: step; defaults to the window.
  ///   - padding: zero padding on each side (at most half the window).
  ///   - name: unique name inside the model.
  public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), name: String = "avgpool") {
    self.name = name
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }

  /// Makes an average-pooling layer with a square window.
  /// - Parameters:
  ///   - kernelSize: window side.
  ///   - stride: step; defaults to the window side.
  ///   - padding: zero padding on each side.
  ///   - name: unique name inside the model.
  public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, name: String = "avgpool") {
    let s = stride ?? kernelSize
    self.init(kernelSize: (kernelSize, kernelSize), stride: (s, s), padding: (padding, padding), name: name)
  }

  /// `kernel`, `stride`, `padding`.
  public var attributes: [String: GraphValue] { PoolingShape.attributes(kernelSize, stride, padding) }

  /// `[C, OH, OW]`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the window does not fit.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    let g = try PoolingShape.geometry(inputShape, kernelSize, stride, padding, "AvgPool2D \(name)")
    return [g.channels, g.outputHeight, g.outputWidth]
  }

  /// Window area multiply-accumulates per output (counted as additions).
  public func multiplyAccumulates(for inputShape: [Int]) -> Int {
    guard let out = try? outputShape(for: inputShape) else { return 0 }
    return out.reduce(1, *) * kernelSize.0 * kernelSize.1
  }

  /// The window mean of each output position.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the window does not fit.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try LayerCheck.rank(input, 4, "AvgPool2D \(name)")
    let g = try PoolingShape.geometry(
      Array(input.shape.dropFirst()), kernelSize, stride, padding, "AvgPool2D \(name)")
    let batch = input.shape[0], planes = batch * g.channels
    let oh = g.outputHeight, ow = g.outputWidth, plane = g.height * g.width
    let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
    var y = [Float](repeating: 0, count: planes * oh * ow)
    input.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        for p in 0..<planes {
          let src = xp.baseAddress! + p * plane
          forEachWindow(g) { o, y0, y1, x0, x1 in
            var sum: Float = 0
            for iy in y0..<y1 { for ix in x0..<x1 { sum += src[iy * g.width + ix] } }
            yp[p * oh * ow + o] = sum * scale
          }
        }
      }
    }
    cache = isTraining ? (g, batch) : nil
    return try .make([batch, g.channels, oh, ow], y)
  }

  /// Spreads each output gradient evenly over its window.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let (g, batch) = cache else { throw LayerCheck.noCache("AvgPool2D \(name)") }
    let oh = g.outputHeight, ow = g.outputWidth, plane = g.height * g.width
    try LayerCheck.gradient(outputGradient, [batch, g.channels, oh, ow], "AvgPool2D \(name)")
    let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
    var dx = [Float](repeating: 0, count: batch * g.channels * plane)
    outputGradient.withUnsafeBufferPointer { dyp in
      dx.withUnsafeMutableBufferPointer { dxp in
        for p in 0..<(batch * g.channels) {
          let dst = dxp.baseAddress! + p * plane
          forEachWindow(g) { o, y0, y1, x0, x1 in
            let share = dyp[p * oh * ow + o] * scale
            for iy in y0..<y1 { for ix in x0..<x1 { dst[iy * g.width + ix] += share } }
          }
        }
      }
    }
    return try .make([batch, g.channels, g.height, g.width], dx)
  }
}

/// Calls `body(outputIndex, y0, y1, x0, x1)` for every output position with its window clipped
/// to the image.
@inline(__always)
func forEachWindow(_ g: ConvGeometry, _ body: (Int, Int, Int, Int, Int) -> Void) {
  let ow = g.outputWidth
  for oy in 0..<g.outputHeight {
    let y0 = max(0, oy * g.strideY - g.padY), y1 = min(g.height, oy * g.strideY - g.padY + g.kernelHeight)
    for ox in 0..<ow {
      let x0 = max(0, ox * g.strideX - g.padX), x1 = min(g.width, ox * g.strideX - g.padX + g.kernelWidth)
      body(oy * ow + ox, y0, y1, x0, x1)
    }
  }
}
