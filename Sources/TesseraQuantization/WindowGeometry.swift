/// The geometry of a convolution or pooling window over one sample `[C, H, W]`.
///
/// Output size per axis is `(in + 2·padding − kernel) / stride + 1`.
public struct WindowGeometry: Sendable, Hashable, Codable {
  /// Input channels.
  public var channels: Int
  /// Input height.
  public var height: Int
  /// Input width.
  public var width: Int
  /// Window height.
  public var kernelHeight: Int
  /// Window width.
  public var kernelWidth: Int
  /// Vertical step.
  public var strideY: Int
  /// Horizontal step.
  public var strideX: Int
  /// Padding above and below.
  public var padY: Int
  /// Padding left and right.
  public var padX: Int

  /// Makes a geometry.
  /// - Throws: ``QuantizationError/invalidModel(_:)`` when the window does not fit the input or a
  ///   size is not positive (`what` names the layer).
  public init(
    channels: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
    what: String
  ) throws {
    self.channels = channels
    self.height = height
    self.width = width
    kernelHeight = kernel.0
    kernelWidth = kernel.1
    strideY = stride.0
    strideX = stride.1
    padY = padding.0
    padX = padding.1
    guard channels > 0, height > 0, width > 0, kernelHeight > 0, kernelWidth > 0, strideY > 0, strideX > 0,
      padY >= 0, padX >= 0, height + 2 * padY >= kernelHeight, width + 2 * padX >= kernelWidth
    else {
      throw QuantizationError.invalidModel(
        "\(what): window \(kernel) stride \(stride) padding \(padding) does not fit input [\(channels), \(height), \(width)]")
    }
  }

  /// Output rows.
  public var outputHeight: Int { (height + 2 * padY - kernelHeight) / strideY + 1 }
  /// Output columns.
  public var outputWidth: Int { (width + 2 * padX - kernelWidth) / strideX + 1 }
  /// Output positions per sample and channel.
  public var outputPixels: Int { outputHeight * outputWidth }
  /// Window elements over all channels (`C · kh · kw`, the GEMM's K for a convolution).
  public var patchSize: Int { channels * kernelHeight * kernelWidth }
  /// Elements of one input sample.
  public var inputCount: Int { channels * height * width }
}
