import Tessera
import TesseraNN
import TesseraQuantization

/// Tracks the engine's activation layout while lowering: rank-3 tensors are HWC; a flattened
/// HWC tensor makes the next dense layer permute its weight columns from the float model's CHW
/// flatten order (docs/quantization.md §4).
struct LayoutState {
  var shape: [Int]
  /// Set after flattening a `[C, H, W]` tensor with C > 1 and H·W > 1.
  var pendingFlatten: (c: Int, h: Int, w: Int)?

  init(inputShape: [Int]) {
    shape = inputShape
    pendingFlatten = nil
  }

  /// Reorders the columns of a row-major `[n, k]` matrix from CHW-flatten to HWC-flatten order.
  func denseColumns<T>(_ w: [T], n: Int, k: Int) -> [T] {
    guard let f = pendingFlatten, f.c * f.h * f.w == k else { return w }
    let index = Im2Col.chwToHWCIndex(channels: f.c, height: f.h, width: f.w)
    var out = w
    for row in 0..<n {
      for j in 0..<k { out[row * k + j] = w[row * k + index[j]] }
    }
    return out
  }

  mutating func flatten() {
    if shape.count == 3, shape[0] > 1, shape[1] * shape[2] > 1 {
      pendingFlatten = (shape[0], shape[1], shape[2])
    }
    shape = [shape.reduce(1, *)]
  }
}

/// The GEMM kernel for one layer: among the enumerated kernels of the dispatch table's chosen ISA,
/// the one with the least padded work `⌈M/MR⌉·MR · ⌈N/NR⌉·NR · ⌈K/KR⌉·KR` (the dispatch default
/// on ties), where M is the layer's rows per sample (16 for a dense layer, a typical batch).
func layerGEMMKernel(default: Int8Kernel, m: Int, n: Int, k: Int) -> Int8Kernel {
  func work(_ kernel: Int8Kernel) -> Int {
    func up(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b * b }
    return up(m, kernel.mr) * up(n, kernel.nr) * up(k, kernel.kr)
  }
  var best = `default`
  for kernel in Int8Kernel.all(isa: `default`.isa, op: .gemm) where kernel.isSupported && work(kernel) < work(best) {
    best = kernel
  }
  return best
}

/// True when a convolution reads its HWC input directly as the GEMM's A (1×1, stride 1, no padding).
func isPointwise(_ g: WindowGeometry) -> Bool {
  g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideY == 1 && g.strideX == 1 && g.padY == 0 && g.padX == 0
}

extension Plan {
  /// Compiles an int8 network: packs every layer once for the chosen GEMM (and GEMV) kernel.
  /// - Throws: `TesseraError.unsupportedISA(_:)` when the forced ISA is unavailable,
  ///   ``TesseraError`` from packing, ``EngineError/unsupported(_:)``.
  init(quantized q: QuantizedNetwork, configuration: EngineConfiguration) throws {
    let gemmKernel: Int8Kernel
    var gemvKernel: Int8Kernel?
    if let isa = configuration.isa {
      guard let kernel = Int8Kernel.forISA(isa, op: .gemm) else {
        throw TesseraError.unsupportedISA("no \(isa.rawValue) int8 GEMM kernel is compiled and supported on this machine")
      }
      gemmKernel = kernel
      gemvKernel = Int8Kernel.forISA(isa, op: .gemv)
    } else {
      gemmKernel = try Int8Kernel.selected(for: .gemm)
      gemvKernel = try? Int8Kernel.selected(for: .gemv)
    }
    if !configuration.useGEMV { gemvKernel = nil }
    let float = try q.floatNetwork()
    var layout = LayoutState(inputShape: q.inputShape)
    var steps = [Step]()
    var current = q.input
    var slot = q.inputShape.reduce(1, *), scratch = 0, weights = 0, extra = 0
    steps.append(Step(
      name: "input", kind: .input(InputStep(shape: q.inputShape, normalization: q.normalization, quantization: q.input)),
      outputCount: slot, outputQuantization: current, macs: 0, weightBytes: 0, activationBytes: 5 * slot))
    for (index, op) in q.operations.enumerated() {
      let outCount = float.shapes[index].reduce(1, *), inCount = layout.shape.reduce(1, *)
      switch op {
      case let .linear(l):
        var codes: [Int8]
        var im2col: WindowGeometry?
        var positions = 1
        var n = l.outputs, k = l.inner
        var layerKernel = layerGEMMKernel(default: gemmKernel, m: 16, n: l.outputs, k: l.inner)
        var bias = l.bias, multipliers = l.multipliers
        if let g = l.convolution {
          codes = Im2Col.filtersToHWC(l.codes, outputs: l.outputs, g)
          positions = g.outputPixels
          if !isPointwise(g) {
            let tiling = try ConvTiling(g, outputs: l.outputs, default: gemmKernel)
            layerKernel = tiling.kernel
            if tiling.t > 1 {
              codes = tiling.widenedCodes(codes, outputs: l.outputs, original: g)
              bias = tiling.repeated(bias)
              multipliers = tiling.repeated(multipliers)
              n = tiling.t * l.outputs
              k = tiling.geometry.patchSize
              positions = tiling.geometry.outputPixels
            }
            im2col = tiling.geometry
            scratch = Swift.max(scratch, positions * k)
            extra = Swift.max(extra, Im2ColHWC.slackBytes + Im2ColHWC.paddedBytes(tiling.geometry, elementSize: 1))
          } else {
            layerKernel = layerGEMMKernel(default: gemmKernel, m: positions, n: l.outputs, k: l.inner)
          }
        } else {
          codes = layout.denseColumns(l.codes, n: l.outputs, k: l.inner)
          layout.pendingFlatten = nil
        }
        let w = try Tensor<Int8>(shape: [n, k], scalars: codes)
        let rq = try Requantization(
          scales: multipliers, outputZeroPoint: l.output.zeroPoint, min: Int8(l.outputMin), max: Int8(l.output.grid.qmax))
        let gemm = try PackedInt8Weights(weights: w, bias: bias, inputZeroPoint: l.input.zeroPoint, kernel: layerKernel)
        let gemv = try (positions == 1 ? gemvKernel : nil).map {
          try PackedInt8Weights(weights: w, bias: bias, inputZeroPoint: l.input.zeroPoint, kernel: $0)
        }
        let step = Int8LinearStep(
          n: n, k: k, im2col: im2col, positions: positions, gemm: gemm, gemv: gemv, codes: w,
          bias: bias, inputZeroPoint: l.input.zeroPoint, requantization: rq)
        weights += gemm.byteCount
        current = l.output
        let truePositions = l.convolution?.outputPixels ?? 1
        steps.append(Step(
          name: l.name, kind: .int8Linear(step), outputCount: outCount, outputQuantization: current,
          macs: truePositions * l.outputs * l.inner, weightBytes: gemm.byteCount + 4 * n,
          activationBytes: (im2col != nil ? 2 * positions * k : 0) + inCount + outCount))
      case let .maxPool(name, g):
        steps.append(Step(name: name, kind: .maxPool(g), outputCount: outCount, outputQuantization: current, macs: 0, weightBytes: 0, activationBytes: inCount + outCount))
      case let .avgPool(name, g):
        steps.append(Step(name: name, kind: .avgPool(g, zeroPoint: current.zeroPoint), outputCount: outCount, outputQuantization: current, macs: 0, weightBytes: 0, activationBytes: inCount + outCount))
      case let .relu(name):
        steps.append(Step(name: name, kind: .relu(zeroPoint: current.zeroPoint), outputCount: outCount, outputQuantization: current, macs: 0, weightBytes: 0, activationBytes: 2 * outCount))
      case .flatten:
        layout.flatten()
        continue
      }
      layout.shape = float.shapes[index]
      slot = Swift.max(slot, outCount)
    }
    let outputs = float.outputCount
    steps.append(Step(
      name: "logits", kind: .output(current), outputCount: outputs, outputQuantization: nil, macs: 0, weightBytes: 0,
      activationBytes: 5 * outputs))
    self.init(
      isQuantized: true, steps: steps, inputCount: float.inputCount, outputCount: outputs,
      slotBytesPerSample: slot, scratchBytesPerSample: scratch, scratchExtraBytes: extra, weightBytes: weights,
      gemmKernel: gemmKernel.name, gemvKernel: gemvKernel?.name)
  }

  /// Compiles a float network (BLAS sgemm/sgemv, same layouts as the int8 plan).
  /// - Throws: ``EngineError/unsupported(_:)``.
  init(float f: FusedNetwork) throws {
    var layout = LayoutState(inputShape: f.inputShape)
    var steps = [Step]()
    var slot = f.inputCount, scratch = 0, weights = 0, extra = 0
    steps.append(Step(
      name: "input", kind: .input(InputStep(shape: f.inputShape, normalization: f.normalization, quantization: nil)),
      outputCount: slot, outputQuantization: nil, macs: 0, weightBytes: 0, activationBytes: 8 * slot))
    for (index, op) in f.operations.enumerated() {
      let outCount = f.shapes[index].reduce(1, *), inCount = layout.shape.reduce(1, *)
      switch op {
      case let .dense(d):
        let w = layout.denseColumns(d.weight, n: d.outputs, k: d.inputs)
        layout.pendingFlatten = nil
        let step = FloatLinearStep(n: d.outputs, k: d.inputs, im2col: nil, positions: 1, weight: w, bias: d.bias, relu: d.relu)
        weights += 4 * (w.count + d.bias.count)
        steps.append(Step(
          name: d.name, kind: .floatLinear(step), outputCount: outCount, outputQuantization: nil,
          macs: d.inputs * d.outputs, weightBytes: 4 * (w.count + d.bias.count), activationBytes: 4 * (inCount + outCount)))
      case let .conv(c):
        let g = c.geometry
        let w = Im2Col.filtersToHWC(c.weight, outputs: c.outputChannels, g)
        let pointwise = isPointwise(g)
        if !pointwise {
          scratch = Swift.max(scratch, 4 * g.outputPixels * g.patchSize)
          extra = Swift.max(extra, Im2ColHWC.slackBytes + Im2ColHWC.paddedBytes(g, elementSize: 4))
        }
        let step = FloatLinearStep(
          n: c.outputChannels, k: g.patchSize, im2col: pointwise ? nil : g, positions: g.outputPixels, weight: w,
          bias: c.bias, relu: c.relu)
        weights += 4 * (w.count + c.bias.count)
        steps.append(Step(
          name: c.name, kind: .floatLinear(step), outputCount: outCount, outputQuantization: nil,
          macs: g.outputPixels * g.patchSize * c.outputChannels, weightBytes: 4 * (w.count + c.bias.count),
          activationBytes: 4 * ((pointwise ? 0 : 2 * g.outputPixels * g.patchSize) + inCount + outCount)))
      case let .maxPool(name, g):
        steps.append(Step(name: name, kind: .maxPool(g), outputCount: outCount, outputQuantization: nil, macs: 0, weightBytes: 0, activationBytes: 4 * (inCount + outCount)))
      case let .avgPool(name, g):
        steps.append(Step(name: name, kind: .avgPool(g, zeroPoint: 0), outputCount: outCount, outputQuantization: nil, macs: 0, weightBytes: 0, activationBytes: 4 * (inCount + outCount)))
      case let .relu(name):
        steps.append(Step(name: name, kind: .relu(zeroPoint: 0), outputCount: outCount, outputQuantization: nil, macs: 0, weightBytes: 0, activationBytes: 8 * outCount))
      case .flatten:
        layout.flatten()
        continue
      }
      layout.shape = f.shapes[index]
      slot = Swift.max(slot, outCount)
    }
    steps.append(Step(
      name: "logits", kind: .output(nil), outputCount: f.outputCount, outputQuantization: nil, macs: 0, weightBytes: 0,
      activationBytes: 8 * f.outputCount))
    self.init(
      isQuantized: false, steps: steps, inputCount: f.inputCount, outputCount: f.outputCount,
      slotBytesPerSample: 4 * slot, scratchBytesPerSample: scratch, scratchExtraBytes: extra, weightBytes: weights, gemmKernel: nil, gemvKernel: nil)
  }
}
