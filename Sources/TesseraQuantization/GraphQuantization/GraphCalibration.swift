import TesseraNN

/// What the graph quantizer learns by running the float graph on the reference interpreter over
/// calibration samples: an ``ActivationObserver`` for every anchor value of the plan and, for
/// GPTQ, each layer's input Hessian `2 XᵀX / rows`.
struct GraphCalibration {
  /// Observers by value name.
  var observers: [String: ActivationObserver]
  /// Hessians by layer (node) name.
  var hessians: [String: [Float]]
  /// Samples seen.
  var sampleCount: Int

  /// Runs the float graph over `samples` in batches.
  /// - Parameters:
  ///   - plan: the quantization plan (its graph has one float32 input `[batch, …]`).
  ///   - samples: `count` samples of the input's per-sample size, row-major.
  ///   - count: number of samples.
  ///   - batchSize: samples per interpreter run (a fixed batch dimension overrides it).
  ///   - collectHessians: also accumulate GPTQ Hessians.
  /// - Throws: ``QuantizationError`` for data that does not fit the input, NaN/inf activations or
  ///   a layer GPTQ cannot handle; `GraphIRError` when a node rejects its inputs.
  init(plan: GraphQuantizationPlan, samples: [Float], count: Int, batchSize: Int, collectHessians: Bool) throws {
    let graph = plan.graph
    let (input, sample) = try GraphQuantizer.sampleShape(graph)
    let size = sample.reduce(1, *)
    guard count > 0 else { throw QuantizationError.invalidArgument("calibration needs at least one sample") }
    guard samples.count == count * size else {
      throw QuantizationError.shapeMismatch(what: "calibration data", expected: [count] + sample, got: [samples.count])
    }
    var step = Swift.max(1, batchSize)
    if case let .fixed(b)? = graph.inputs[0].type.shape?.first {
      guard count % b == 0 else {
        throw QuantizationError.invalidArgument("the graph input has a fixed batch of \(b); \(count) calibration samples are not a multiple")
      }
      step = b
    }
    var observers = [String: ActivationObserver]()
    for v in plan.anchors.keys { observers[v] = ActivationObserver(name: v) }
    // Layers whose Hessian needs each value.
    var hessianReaders = [String: [QuantizableNode]]()
    if collectHessians {
      for name in plan.order { hessianReaders[plan.layers[name]!.activation, default: []].append(plan.layers[name]!) }
    }
    var sums = [String: [Float]](), rows = [String: Int]()
    var failure: (any Error)?
    func see(_ value: String, _ tensor: GraphTensor) {
      guard failure == nil, observers[value] != nil || hessianReaders[value] != nil else { return }
      guard let values = tensor.float32 else {
        failure = QuantizationError.invalidModel("value '\(value)' is \(tensor.elementType), not float32")
        return
      }
      do {
        try observers[value]?.observe(values)
        for layer in hessianReaders[value] ?? [] {
          let (x, r) = try Self.layerInputs(layer, values, shape: tensor.shape)
          guard r > 0 else { continue }
          let weighted = try GPTQ.hessian(inputs: x, rows: r, columns: layer.inner).map { $0 * Float(r) }
          sums[layer.node.name] = sums[layer.node.name].map { zip($0, weighted).map(+) } ?? weighted
          rows[layer.node.name, default: 0] += r
        }
      } catch {
        failure = error
      }
    }
    var start = 0
    let interpreter = try ReferenceInterpreter(graph: graph)
    while start < count {
      let n = Swift.min(step, count - start)
      let batch = try GraphTensor(float32: Array(samples[(start * size)..<((start + n) * size)]), shape: [n] + sample)
      see(input, batch)
      _ = try interpreter.run([input: batch]) { node, outputs in
        for (name, tensor) in zip(node.outputs.filter { !$0.isEmpty }, outputs) { see(name, tensor) }
      }
      if let failure { throw failure }
      start += n
    }
    self.observers = observers
    var hessians = [String: [Float]]()
    for (k, s) in sums { hessians[k] = s.map { $0 / Float(rows[k]!) } }
    self.hessians = hessians
    sampleCount = count
  }

  /// The GEMM inputs X (`rows × K`) of a layer for one batch of its activation: the rows of a
  /// Gemm/MatMul input, the im2col patches of a 2-D convolution.
  /// - Throws: ``QuantizationError/invalidArgument(_:)`` for a convolution GPTQ does not handle
  ///   (not 2-D, grouped, dilated or asymmetrically padded).
  static func layerInputs(_ layer: QuantizableNode, _ values: [Float], shape: [Int]) throws -> ([Float], Int) {
    let k = layer.inner
    guard layer.kind == .conv else { return (values, values.count / Swift.max(k, 1)) }
    guard shape.count == 4, layer.codeShape.count == 4 else {
      throw QuantizationError.invalidArgument("GPTQ: convolution '\(layer.node.name)' is not 2-D")
    }
    let geometry: WindowGeometry
    do {
      geometry = try GraphLowering.window(
        layer.node, shape: Array(shape[1...]), kernel: (layer.codeShape[2], layer.codeShape[3]))
    } catch {
      throw QuantizationError.invalidArgument("GPTQ handles 2-D convolutions with group 1, dilation 1 and symmetric padding: \(error)")
    }
    guard (try? layer.node.int("group", default: 1)) == 1, geometry.patchSize == k else {
      throw QuantizationError.invalidArgument("GPTQ: convolution '\(layer.node.name)' is grouped")
    }
    let p = geometry.outputPixels
    var x = [Float](repeating: 0, count: shape[0] * p * k)
    values.withUnsafeBufferPointer { src in
      x.withUnsafeMutableBufferPointer { dst in
        for n in 0..<shape[0] {
          Im2Col.chwRows(src.baseAddress! + n * geometry.inputCount, geometry, padding: 0, into: dst.baseAddress! + n * p * k)
        }
      }
    }
    return (x, shape[0] * p)
  }
}
