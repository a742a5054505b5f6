import Tessera
import TesseraNN
import TesseraQuantization

/// An int8 dense layer or convolution, packed once for its kernels.
struct Int8LinearStep: Sendable {
  let n: Int
  let k: Int
  /// HWC im2col geometry for a convolution (nil for dense, or a 1×1 stride-1 unpadded convolution).
  let im2col: WindowGeometry?
  /// Output positions per sample (1 for dense).
  let positions: Int
  let gemm: PackedInt8Weights
  let gemv: PackedInt8Weights?
  /// Unpacked codes `[N, K]` in the engine's column order (for the reference path).
  let codes: Tensor<Int8>
  let bias: [Int32]
  let inputZeroPoint: Int32
  let requantization: Requantization
}

/// A float dense layer or convolution (BLAS).
struct FloatLinearStep: Sendable {
  let n: Int
  let k: Int
  let im2col: WindowGeometry?
  let positions: Int
  /// `[N, K]` in the engine's column order.
  let weight: [Float]
  let bias: [Float]
  let relu: Bool
}

/// The network input: float CHW → normalization → HWC, then quantized for an int8 plan.
struct InputStep: Sendable {
  let shape: [Int]
  let normalization: InputNormalization?
  let quantization: AffineQuantization?
}

/// What a step does.
enum StepKind: Sendable {
  case input(InputStep)
  case int8Linear(Int8LinearStep)
  case floatLinear(FloatLinearStep)
  case maxPool(WindowGeometry)
  case avgPool(WindowGeometry, zeroPoint: Int32)
  case relu(zeroPoint: Int32)
  /// int8 → float with the given parameters (nil = float copy).
  case output(AffineQuantization?)
}

/// One step of a compiled plan.
struct Step: Sendable {
  let name: String
  let kind: StepKind
  /// Output values per sample.
  let outputCount: Int
  /// Quantization of the output (int8 plans), for observation and dequantization.
  let outputQuantization: AffineQuantization?
  /// Multiply-accumulates per sample.
  let macs: Int
  /// Weight bytes read per call.
  let weightBytes: Int
  /// Activation bytes read + written per sample.
  let activationBytes: Int

  /// Profile label.
  var kindName: String {
    switch kind {
    case let .input(i): i.quantization == nil ? "fp32-input" : "quantize"
    case let .int8Linear(l): l.im2col != nil || l.positions > 1 ? "int8-conv" : "int8-dense"
    case let .floatLinear(l): l.im2col != nil || l.positions > 1 ? "fp32-conv" : "fp32-dense"
    case .maxPool: outputQuantization == nil ? "fp32-maxpool" : "int8-maxpool"
    case .avgPool: outputQuantization == nil ? "fp32-avgpool" : "int8-avgpool"
    case .relu: outputQuantization == nil ? "fp32-relu" : "int8-relu"
    case let .output(q): q == nil ? "fp32-output" : "dequantize"
    }
  }

  /// The int8 kernel this step runs for a batch of `count` (nil for non-int8-GEMM steps).
  func kernelName(count: Int) -> String? {
    guard case let .int8Linear(l) = kind else { return nil }
    return (count * l.positions == 1 ? (l.gemv ?? l.gemm) : l.gemm).kernel.name
  }

  /// True for the layers the validation compares (dense and convolution outputs).
  var isLinear: Bool {
    switch kind {
    case .int8Linear, .floatLinear: true
    default: false
    }
  }
}

/// A compiled network: steps in order, each reading the previous step's output, and the arena
/// layout (two ping-pong activation slots and one im2col scratch area, sized per sample).
struct Plan: Sendable {
  let isQuantized: Bool
  let steps: [Step]
  let inputCount: Int
  let outputCount: Int
  /// Bytes per sample of the largest activation (one slot).
  let slotBytesPerSample: Int
  /// Bytes per sample of the largest im2col matrix.
  let scratchBytesPerSample: Int
  /// Bytes per call for the padded copy of one sample and copy slack.
  let scratchExtraBytes: Int
  /// Packed-weight and parameter bytes.
  let weightBytes: Int
  /// Name of the int8 GEMM kernel used (nil for a float plan).
  let gemmKernel: String?
  /// Name of the int8 GEMV kernel used at batch 1.
  let gemvKernel: String?

  /// Arena bytes for a batch of `count`: two slots + scratch, each 64-byte aligned.
  func arenaBytes(count: Int) -> Int {
    2 * Self.align(count * slotBytesPerSample) + Self.align(count * scratchBytesPerSample + scratchExtraBytes)
  }

  static func align(_ bytes: Int) -> Int { (Swift.max(bytes, 1) + 63) & ~63 }
}
