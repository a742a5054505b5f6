import Tessera

/// Max pooling over NCHW input; padded positions never win (they act as −∞).
///
/// For example:
/// ```swift
/// let pool = MaxPool2D(kernelSize: 2)      // stride defaults to the kernel size
/// let y = try pool(x)                      // [b, c, 28, 28] → [b, c, 14, 14]
/// ```
/// ### See Also
/// ``AvgPool2D``
public final class MaxPool2D: Layer {
  /// Unique name inside the model.
  public var name: String
  /// `"maxpool2d"`.
  public var kind: String { "maxpool2d" }
  /// Training mode: keeps the argmax positions for ``backward(_:)``.
  public var isTraining = true
  /// Window `(height, width)`.
  public let kernelSize: (Int, Int)
  /// Step `(y, x)`.
  public let stride: (Int, Int)
  /// Padding `(y, x)` on each side.
  public let padding: (Int, Int)
  private var cache: (argmax: [Int32], geometry: ConvGeometry, batch: Int)?

  /// Makes a max-pooling layer.
  /// - Parameters:
  ///   - kernelSize: window `(height, width)`.
  ///   - stride: step; defaults to the window.
  ///   - padding: padding on each side (must be at most half the window).
  ///   - name: unique name inside the model.
  public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), name: String = "maxpool") {
    self.name = name
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }

  /// Makes a max-pooling layer with a square window.
  /// - Parameters:
  ///   - kernelSize: window side.
  ///   - stride: step; defaults to the window side.
  ///   - padding: padding on each side.
  ///   - name: unique name inside the model.
  public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, name: String = "maxpool") {
    let s = stride ?? kernelSize
    self.init(kernelSize: (kernelSize, kernelSize), stride: (s, s), padding: (padding, padding), name: name)
  }

  /// `kernel`, `stride`, `padding`.
  public var attributes: [String: GraphValue] {
    PoolingShape.attributes(kernelSize, stride, padding)
  }

  /// `[C, OH, OW]`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the window does not fit.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    let g = try PoolingShape.geometry(inputShape, kernelSize, stride, padding, "MaxPool2D \(name)")
    return [g.channels, g.outputHeight, g.outputWidth]
  }

  /// The window maximum of each output position.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the window does not fit.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try LayerCheck.rank(input, 4, "MaxPool2D \(name)")
    let g = try PoolingShape.geometry(
      Array(input.shape.dropFirst()), kernelSize, stride, padding, "MaxPool2D \(name)")
    let batch = input.shape[0], planes = batch * g.channels
    let oh = g.outputHeight, ow = g.outputWidth, plane = g.height * g.width
    var y = uninitializedFloats(planes * oh * ow)
    var argmax = [Int32](repeating: 0, count: isTraining ? y.count : 0)
    let keep = isTraining
    input.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        argmax.withUnsafeMutableBufferPointer { ap in
          for p in 0..<planes {
            let src = xp.baseAddress! + p * plane
            for oy in 0..<oh {
              let y0 = max(0, oy * g.strideY - g.padY), y1 = min(g.height, oy * g.strideY - g.padY + g.kernelHeight)
              for ox in 0..<ow {
                let x0 = max(0, ox * g.strideX - g.padX), x1 = min(g.width, ox * g.strideX - g.padX + g.kernelWidth)
                var best = -Float.infinity, bestIndex = y0 * g.width + x0
                for iy in y0..<y1 {
                  for ix in x0..<x1 where src[iy * g.width + ix] > best {
                    best = src[iy * g.width + ix]
                    bestIndex = iy * g.width + ix
                  }
                }
                let o = (p * oh + oy) * ow + ox
                yp[o] = best
                if keep { ap[o] = Int32(bestIndex) }
              }
            }
          }
        }
      }
    }
    cache = isTraining ? (argmax, g, batch) : nil
    return try .make([batch, g.channels, oh, ow], y)
  }

  /// Routes each output gradient to the input position that won the forward pass.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let (argmax, g, batch) = cache else { throw LayerCheck.noCache("MaxPool2D \(name)") }
    let oh = g.outputHeight, ow = g.outputWidth, plane = g.height * g.width
    try LayerCheck.gradient(outputGradient, [batch, g.channels, oh, ow], "MaxPool2D \(name)")
    var dx = [Float](repeating: 0, count: batch * g.channels * plane)
    outputGradient.withUnsafeBufferPointer { dyp in
      dx.withUnsafeMutableBufferPointer { dxp in
        for p in 0..<(batch * g.channels) {
          for o in (p * oh * ow)..<((p + 1) * oh * ow) { dxp[p * plane + Int(argmax[o])] += dyp[o] }
        }
      }
    }
    return try .make([batch, g.channels, g.height, g.width], dx)
  }
}

/// Shape rules shared by the pooling layers.
enum PoolingShape {
  static func attributes(_ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int)) -> [String: GraphValue] {
    ["kernel": GraphValue([k.0, k.1]), "stride": GraphValue([s.0, s.1]), "padding": GraphValue([p.0, p.1])]
  }

  static func geometry(
    _ inputShape: [Int], _ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int), _ layer: String
  ) throws -> ConvGeometry {
    guard inputShape.count == 3 else {
      throw TesseraError.invalidShape(operation: layer, shape: inputShape, reason: "expected [C, H, W] per sample")
    }
    let g = ConvGeometry(
      channels: inputShape[0], height: inputShape[1], width: inputShape[2], kernelHeight: k.0,
      kernelWidth: k.1, strideY: s.0, strideX: s.1, padY: p.0, padX: p.1)
    guard g.isValid, 2 * p.0 <= k.0, 2 * p.1 <= k.1 else {
      throw TesseraError.invalidShape(
        operation: layer, shape: inputShape,
        reason: "window \(k) stride \(s) padding \(p) does not fit (padding must be at most half the window)")
    }
    return g
  }
}
