import Tessera

/// A 2-D convolution over NCHW input (cross-correlation, as in every framework), computed as
/// im2col followed by one `cblas_sgemm` over the whole batch.
///
/// Weights are `[outChannels, inChannels, kernelHeight, kernelWidth]`, biases `[outChannels]`;
/// output size per axis is `(in + 2·padding − kernel) / stride + 1`.
///
/// For example:
/// ```swift
/// let conv = Conv2D(inputChannels: 1, outputChannels: 16, kernelSize: 5, padding: 2)
/// let y = try conv(x)      // [batch, 1, 28, 28] → [batch, 16, 28, 28]
/// ```
/// ### See Also
/// ``Dense``, ``MaxPool2D``
public final class Conv2D: Layer, GEMMTimed {
  /// Unique name inside the model.
  public var name: String
  /// `"conv2d"`.
  public var kind: String { "conv2d" }
  /// Training mode: keeps the column matrix for ``backward(_:)``.
  public var isTraining = true
  /// Input channels.
  public let inputChannels: Int
  /// Output channels (filters).
  public let outputChannels: Int
  /// Kernel `(height, width)`.
  public let kernelSize: (Int, Int)
  /// Stride `(y, x)`.
  public let stride: (Int, Int)
  /// Zero padding `(y, x)` on each side.
  public let padding: (Int, Int)
  /// Weights `[outputChannels, inputChannels, kh, kw]`.
  public let weight: Parameter
  /// Biases `[outputChannels]`, or nil.
  public let bias: Parameter?
  var gemmTimer: GEMMTimer?
  private var cache: (columns: [Float], geometry: ConvGeometry, batch: Int)?

  /// Makes a convolution with He-uniform weights and zero biases.
  /// - Parameters:
  ///   - inputChannels: channels of the input.
  ///   - outputChannels: number of filters.
  ///   - kernelSize: `(height, width)` of each filter.
  ///   - stride: `(y, x)` step.
  ///   - padding: `(y, x)` zero padding on each side.
  ///   - bias: whether to add a bias per output channel.
  ///   - name: unique name inside the model.
  public init(
    inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
    padding: (Int, Int) = (0, 0), bias: Bool = true, name: String = "conv"
  ) {
    self.name = name
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelSize = kernelSize
    self.stride = stride
    self.padding = padding
    weight = Parameter(
      role: "weight", shape: [outputChannels, inputChannels, kernelSize.0, kernelSize.1], decays: true)
    self.bias = bias ? Parameter(role: "bias", shape: [outputChannels]) : nil
    var generator = SplitMix64(seed: UInt64(weight.count))
    resetParameters(using: &generator)
  }

  /// Makes a convolution with a square kernel and equal stride and padding on both axes.
  /// - Parameters:
  ///   - inputChannels: channels of the input.
  ///   - outputChannels: number of filters.
  ///   - kernelSize: side of the square filter.
  ///   - stride: step on both axes.
  ///   - padding: zero padding on each side of both axes.
  ///   - bias: whether to add a bias per output channel.
  ///   - name: unique name inside the model.
  public convenience init(
    inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    bias: Bool = true, name: String = "conv"
  ) {
    self.init(
      inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (kernelSize, kernelSize),
      stride: (stride, stride), padding: (padding, padding), bias: bias, name: name)
  }

  /// Weight, then bias.
  public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

  /// `in_channels`, `out_channels`, `kernel`, `stride`, `padding`, `bias`.
  public var attributes: [String: GraphValue] {
    [
      "in_channels": .int(inputChannels), "out_channels": .int(outputChannels),
      "kernel": GraphValue([kernelSize.0, kernelSize.1]), "stride": GraphValue([stride.0, stride.1]),
      "padding": GraphValue([padding.0, padding.1]), "bias": .bool(bias != nil),
    ]
  }

  /// He-uniform weights (bound √(6 / fan-in)), zero biases.
  /// - Parameter generator: the seeded source of randomness.
  public func resetParameters(using generator: inout SplitMix64) {
    let fanIn = inputChannels * kernelSize.0 * kernelSize.1
    weight.fillUniform(bound: (6 / Float(max(fanIn, 1))).squareRoot(), using: &generator)
    bias?.value = [Float](repeating: 0, count: outputChannels)
  }

  func geometry(_ inputShape: [Int]) throws -> ConvGeometry {
    guard inputShape.count == 3, inputShape[0] == inputChannels else {
      throw TesseraError.invalidShape(
        operation: "Conv2D \(name)", shape: inputShape, reason: "expected [\(inputChannels), H, W] per sample")
    }
    let g = ConvGeometry(
      channels: inputChannels, height: inputShape[1], width: inputShape[2],
      kernelHeight: kernelSize.0, kernelWidth: kernelSize.1, strideY: stride.0, strideX: stride.1,
      padY: padding.0, padX: padding.1)
    guard g.isValid else {
      throw TesseraError.invalidShape(
        operation: "Conv2D \(name)", shape: inputShape,
        reason: "kernel \(kernelSize) with padding \(padding) does not fit (or stride/padding invalid)")
    }
    return g
  }

  /// `[outputChannels, OH, OW]`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the input does not fit.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    let g = try geometry(inputShape)
    return [outputChannels, g.outputHeight, g.outputWidth]
  }

  /// `outputChannels × OH × OW × inputChannels × kh × kw`.
  public func multiplyAccumulates(for inputShape: [Int]) -> Int {
    guard let g = try? geometry(inputShape) else { return 0 }
    return outputChannels * g.outputPixels * g.patchSize
  }

  /// The convolution of `x: [batch, inputChannels, H, W]`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when the input does not fit.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try LayerCheck.rank(input, 4, "Conv2D \(name)")
    let g = try geometry(Array(input.shape.dropFirst()))
    let batch = input.shape[0], pixels = g.outputPixels, k = g.patchSize
    let x = input.contiguous()
    var columns = uninitializedFloats(k * batch * pixels)
    x.withUnsafeBufferPointer { xp in
      columns.withUnsafeMutableBufferPointer { cp in im2col(xp.baseAddress!, batch: batch, g, into: cp.baseAddress!) }
    }
    // outT[O, batch·P] = W[O, K] · columns[K, batch·P]
    var outT = uninitializedFloats(outputChannels * batch * pixels)
    weight.value.withUnsafeBufferPointer { wp in
      columns.withUnsafeBufferPointer { cp in
        outT.withUnsafeMutableBufferPointer { op in
          timedSGEMM(
            gemmTimer, transposeA: false, transposeB: false, m: outputChannels, n: batch * pixels, k: k,
            a: wp.baseAddress!, lda: k, b: cp.baseAddress!, ldb: batch * pixels,
            beta: 0, c: op.baseAddress!, ldc: batch * pixels)
        }
      }
    }
    // y[n, o, p] = outT[o, n·P + p] + b[o]
    var y = uninitializedFloats(batch * outputChannels * pixels)
    let biasValues = bias?.value
    outT.withUnsafeBufferPointer { op in
      y.withUnsafeMutableBufferPointer { yp in
        for o in 0..<outputChannels {
          let b = biasValues?[o] ?? 0
          for n in 0..<batch {
            let src = op.baseAddress! + (o * batch + n) * pixels
            let dst = yp.baseAddress! + (n * outputChannels + o) * pixels
            for p in 0..<pixels { dst[p] = src[p] + b }
          }
        }
      }
    }
    cache = isTraining ? (columns, g, batch) : nil
    return try .make([batch, outputChannels, g.outputHeight, g.outputWidth], y)
  }

  /// dW = dOutT · columnsᵀ, db = Σ dOut, dColumns = Wᵀ · dOutT, dX = col2im(dColumns).
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    try backward(outputGradient, inputGradient: true)
  }

  /// The backward pass; skips dColumns and col2im when `inputGradient` is false (first layer).
  func backward(_ outputGradient: Tensor<Float>, inputGradient: Bool) throws -> Tensor<Float> {
    guard let (columns, g, batch) = cache else { throw LayerCheck.noCache("Conv2D \(name)") }
    let pixels = g.outputPixels, k = g.patchSize, o = outputChannels
    try LayerCheck.gradient(outputGradient, [batch, o, g.outputHeight, g.outputWidth], "Conv2D \(name)")
    let dy = outputGradient.contiguous()
    var dyT = uninitializedFloats(o * batch * pixels)
    dy.withUnsafeBufferPointer { dyp in
      dyT.withUnsafeMutableBufferPointer { tp in
        for n in 0..<batch {
          for c in 0..<o {
            (tp.baseAddress! + (c * batch + n) * pixels)
              .update(from: dyp.baseAddress! + (n * o + c) * pixels, count: pixels)
          }
        }
      }
    }
    if let bias {
      dyT.withUnsafeBufferPointer { tp in
        for c in 0..<o {
          var sum: Float = 0
          let row = tp.baseAddress! + c * batch * pixels
          for i in 0..<(batch * pixels) { sum += row[i] }
          bias.gradient[c] = sum
        }
      }
    }
    var dColumns = uninitializedFloats(inputGradient ? k * batch * pixels : 0)
    dyT.withUnsafeBufferPointer { tp in
      columns.withUnsafeBufferPointer { cp in
        weight.gradient.withUnsafeMutableBufferPointer { dwp in
          timedSGEMM(
            gemmTimer, transposeA: false, transposeB: true, m: o, n: k, k: batch * pixels,
            a: tp.baseAddress!, lda: batch * pixels, b: cp.baseAddress!, ldb: batch * pixels,
            beta: 0, c: dwp.baseAddress!, ldc: k)
        }
      }
      guard inputGradient else { return }
      weight.value.withUnsafeBufferPointer { wp in
        dColumns.withUnsafeMutableBufferPointer { dcp in
          timedSGEMM(
            gemmTimer, transposeA: true, transposeB: false, m: k, n: batch * pixels, k: o,
            a: wp.baseAddress!, lda: k, b: tp.baseAddress!, ldb: batch * pixels,
            beta: 0, c: dcp.baseAddress!, ldc: batch * pixels)
        }
      }
    }
    guard inputGradient else { return try .make([0], []) }
    var dx = [Float](repeating: 0, count: batch * g.channels * g.height * g.width)
    dColumns.withUnsafeBufferPointer { dcp in
      dx.withUnsafeMutableBufferPointer { dxp in col2im(dcp.baseAddress!, batch: batch, g, into: dxp.baseAddress!) }
    }
    return try .make([batch, g.channels, g.height, g.width], dx)
  }
}
