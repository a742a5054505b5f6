/// What calibration learned about a float network: one observer for the input and one for each
/// dense/conv output, plus (when asked for GPTQ) each layer's input Hessian `2 XᵀX / rows`.
public struct Calibration: Sendable {
  /// Observer of the normalized network input.
  public var input: ActivationObserver
  /// Observer of each quantization point, by operation index.
  public var outputs: [Int: ActivationObserver]
  /// `H = 2 XᵀX / rows` of each dense/conv input (X = im2col rows for a convolution), by operation index.
  public var hessians: [Int: [Float]]
  /// Calibration samples seen.
  public var sampleCount: Int

  /// Runs the float network over `samples` and observes every quantized tensor.
  /// - Parameters:
  ///   - network: the folded float network.
  ///   - samples: `count × network.inputCount` values (pixels in [0, 1]; normalization is applied here).
  ///   - count: number of samples.
  ///   - batchSize: samples per forward pass.
  ///   - collectHessians: also accumulate GPTQ Hessians.
  ///   - bins: histogram bins per observer.
  /// - Throws: ``QuantizationError/shapeMismatch(what:expected:got:)`` when the data does not fit the
  ///   network input, ``QuantizationError/nonFiniteValue(what:)`` when an activation is NaN/inf,
  ///   ``QuantizationError/invalidArgument(_:)`` for no samples.
  public init(
    network: FusedNetwork, samples: [Float], count: Int, batchSize: Int = 64, collectHessians: Bool = false,
    bins: Int = 2048
  ) throws {
    guard count > 0 else { throw QuantizationError.invalidArgument("calibration needs at least one sample") }
    guard samples.count == count * network.inputCount else {
      throw QuantizationError.shapeMismatch(
        what: "calibration data", expected: [count] + network.inputShape, got: [samples.count])
    }
    var inputObserver = ActivationObserver(name: "input", bins: bins)
    var observers = [Int: ActivationObserver]()
    for (i, op) in network.operations.enumerated() where op.isQuantizationPoint {
      observers[i] = ActivationObserver(name: op.name, bins: bins)
    }
    var sums = [Int: [Float]](), rows = [Int: Int]()
    let step = Swift.max(1, batchSize)
    var start = 0
    while start < count {
      let n = Swift.min(step, count - start)
      let batch = Array(samples[(start * network.inputCount)..<((start + n) * network.inputCount)])
      _ = try network.forward(batch, count: n) { index, values in
        if index == -1 {
          try inputObserver.observe(values)
        } else if observers[index] != nil {
          try observers[index]!.observe(values)
        }
        guard collectHessians else { return }
        let next = index + 1
        guard next < network.operations.count else { return }
        let (x, r) = Calibration.layerInputs(network.operations[next], values, count: n)
        guard r > 0 else { return }
        let h = try GPTQ.hessian(inputs: x, rows: r, columns: x.count / r)
        let weighted = h.map { $0 * Float(r) }
        if let s = sums[next] { sums[next] = zip(s, weighted).map(+) } else { sums[next] = weighted }
        rows[next, default: 0] += r
      }
      start += n
    }
    input = inputObserver
    outputs = observers
    sampleCount = count
    var hessians = [Int: [Float]]()
    for (k, s) in sums { hessians[k] = s.map { $0 / Float(rows[k]!) } }
    self.hessians = hessians
  }

  /// The GEMM inputs X of a dense or conv operation for a batch (`rows × K`), or no rows for other ops.
  static func layerInputs(_ op: FusedOperation, _ values: [Float], count: Int) -> ([Float], Int) {
    switch op {
    case .dense:
      return (values, count)
    case let .conv(c):
      let g = c.geometry, p = g.outputPixels
      var x = [Float](repeating: 0, count: count * p * g.patchSize)
      values.withUnsafeBufferPointer { src in
        x.withUnsafeMutableBufferPointer { dst in
          for n in 0..<count {
            Im2Col.chwRows(src.baseAddress! + n * g.inputCount, g, padding: 0, into: dst.baseAddress! + n * p * g.patchSize)
          }
        }
      }
      return (x, count * p)
    default:
      return ([], 0)
    }
  }
}
