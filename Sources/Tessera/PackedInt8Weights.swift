import CTesseraKernels

/// Int8 weights `W[N, K]` and their int32 bias, packed once into one kernel's layout.
///
/// Packing folds the activation zero point into the biases (using column sums computed
/// here, as gemmlowp does), so a GEMM only streams the panels. The object is immutable
/// after `init`; its 64-byte aligned buffer is freed when it is released, and it can be
/// shared by any number of threads.
///
/// For example:
/// ```swift
/// let kernel = try Int8Kernel.selected(for: .gemm)
/// let packed = try PackedInt8Weights(weights: w, bias: b, inputZeroPoint: -5, kernel: kernel)
/// let y = try int8GEMM(x, weights: packed, requantization: rq)
/// ```
public final class PackedInt8Weights: @unchecked Sendable {
  /// Output channels (rows of `W`).
  public let n: Int
  /// Inner dimension (columns of `W`).
  public let k: Int
  /// The kernel whose layout the buffer holds.
  public let kernel: Int8Kernel
  /// Zero point of the activations this packing expects.
  public let inputZeroPoint: Int32
  /// The packed bytes.
  let buffer: AlignedBuffer

  /// Largest K for which int32 accumulation is exact in the worst case (255 · 128 · K < 2³¹).
  public static let maximumInnerDimension = 65_793

  /// Size of the packed buffer in bytes.
  public var byteCount: Int { buffer.byteCount }

  /// Packs `weights` for `kernel`.
  /// - Parameters:
  ///   - weights: rank-2 `[N, K]` int8 weights (row `n` = output channel `n`); any strides.
  ///   - bias: `N` int32 biases (scale `s_in · s_w[n]`), or nil for zeros.
  ///   - inputZeroPoint: zero point of the int8 activations, in `-128...127`.
  ///   - kernel: the kernel that will consume the packing; must be supported by this CPU.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for a non-matrix or empty
  ///   weight tensor or K > ``maximumInnerDimension``, ``TesseraError/shapeMismatch(operation:lhs:rhs:)`` when the bias length
  ///   is not N, ``TesseraError/invalidArgument(_:)`` for a bad zero point, and
  ///   ``TesseraError/unsupportedISA(_:)`` when the CPU cannot run `kernel`.
  /// - Complexity: O(N·K).
  public init(weights: Tensor<Int8>, bias: [Int32]?, inputZeroPoint: Int32, kernel: Int8Kernel) throws {
    let op = "PackedInt8Weights"
    guard weights.rank == 2 else {
      throw TesseraError.invalidShape(operation: op, shape: weights.shape, reason: "expected [N, K] weights")
    }
    let n = weights.shape[0], k = weights.shape[1]
    guard n > 0, k > 0 else {
      throw TesseraError.invalidShape(operation: op, shape: weights.shape, reason: "N and K must be > 0")
    }
    guard k <= Self.maximumInnerDimension else {
      throw TesseraError.invalidShape(
        operation: op, shape: weights.shape,
        reason: "K above \(Self.maximumInnerDimension) can overflow the int32 accumulator")
    }
    if let bias, bias.count != n {
      throw TesseraError.shapeMismatch(operation: "\(op) bias", lhs: [n], rhs: [bias.count])
    }
    guard (-128...127).contains(inputZeroPoint) else {
      throw TesseraError.invalidArgument("\(op): input zero point \(inputZeroPoint) is outside -128...127")
    }
    guard kernel.isSupported else {
      throw TesseraError.unsupportedISA(
        "\(op): kernel \(kernel.name) needs \(kernel.isa.rawValue), which this CPU or build lacks")
    }
    self.n = n
    self.k = k
    self.kernel = kernel
    self.inputZeroPoint = inputZeroPoint
    let entry = kernel.cKernel
    buffer = AlignedBuffer(byteCount: tsr_qs8_qc8w_packed_size(entry, n, k))
    let dense = weights.contiguous()
    let packedPointer = buffer.pointer
    dense.withUnsafeBufferPointer { w in
      let pack: (UnsafePointer<Int32>?) -> Void = { biasPointer in
        entry.pointee.pack(
          n, k, Int(entry.pointee.nr), Int(entry.pointee.kr), w.baseAddress, k,
          biasPointer, inputZeroPoint, packedPointer)
      }
      if let bias { bias.withUnsafeBufferPointer { pack($0.baseAddress) } } else { pack(nil) }
    }
  }

  /// Start of the packed panel holding column `column` (a multiple of `kernel.nr`).
  func panel(startingAt column: Int) -> UnsafeRawPointer {
    UnsafeRawPointer(buffer.pointer) + (column / kernel.nr) * tsr_qs8_qc8w_packed_panel_bytes(kernel.cKernel, k)
  }

  /// Start of the whole packed buffer.
  var packedPointer: UnsafeRawPointer { UnsafeRawPointer(buffer.pointer) }
}
