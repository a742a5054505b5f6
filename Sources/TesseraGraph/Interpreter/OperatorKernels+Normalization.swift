import Foundation

extension OperatorKernels {
  /// Softmax: exp(x − max) / Σ exp(x − max). From opset 13 along the single `axis` (default −1);
  /// before, over the input coerced to 2-D [∏ before axis, ∏ from axis] (default axis 1).
  static func softmax(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let values = try c.floats(x, "input")
    let r = x.shape.count
    let coerced = c.opset < 13
    let rawAxis = try c.int("axis", coerced ? 1 : -1)
    // Coerced to 2-D, axis may equal the rank (one group per element).
    guard rawAxis >= -r, rawAxis < r || (coerced && rawAxis == r), r > 0 || coerced else {
      throw c.error("axis \(rawAxis) is out of range for rank \(r)")
    }
    let axis = rawAxis < 0 ? rawAxis + r : rawAxis
    // Softmax over `length` elements spaced `inner` apart, for each of `outer × inner` groups.
    let outer: Int, length: Int, inner: Int
    if coerced {
      (outer, length, inner) = (TensorLayout.product(x.shape[..<axis]), TensorLayout.product(x.shape[axis...]), 1)
    } else {
      (outer, length, inner) = (TensorLayout.product(x.shape[..<axis]), x.shape[axis], TensorLayout.product(x.shape[(axis + 1)...]))
    }
    var y = values
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var top = -Double.infinity
        for j in 0..<length {
          let v = values[base + j * inner]
          if v.isNaN { top = v; break }  // NaN spreads over the whole group, as in numpy
          top = Swift.max(top, v)
        }
        var sum = 0.0
        for j in 0..<length {
          let e = Foundation.exp(values[base + j * inner] - top)
          y[base + j * inner] = e
          sum += e
        }
        for j in 0..<length { y[base + j * inner] /= sum }
      }
    }
    return try c.floatTensor(y, x.shape, as: x.elementType)
  }

  /// BatchNormalization: y = scale · (x − mean) / √(var + epsilon) + B per channel (axis 1).
  /// With `training_mode` 1 (opset 14+) the batch statistics are used and the running mean and
  /// variance (momentum-weighted) are the second and third outputs.
  static func batchNormalization(_ c: KernelContext) throws -> [GraphTensor] {
    let x = try c.input(0, "X")
    guard x.shape.count >= 2 else { throw c.error("X must be [N, C, …], got \(x.shape)") }
    let channels = x.shape[1]
    let names = ["scale", "B", "input_mean", "input_var"]
    var params = [[Double]]()
    for (i, name) in names.enumerated() {
      let t = try c.input(i + 1, name)
      guard t.shape == [channels] else { throw c.error("'\(name)' \(t.shape) must be [\(channels)] (X is \(x.shape))") }
      params.append(try c.floats(t, name))
    }
    let epsilon = Double(try c.float("epsilon", 1e-5))
    let training = c.opset >= 14 ? try c.int("training_mode", 0) != 0 : false
    if c.opset < 14, (1..<c.node.outputs.count).contains(where: c.wantsOutput) {
      throw c.error("training-mode outputs (mean, var, saved_mean, saved_var) are not supported before opset 14")
    }
    let values = try c.floats(x, "X")
    let inner = TensorLayout.product(x.shape[2...]), batch = x.shape[0]
    var mean = params[2], variance = params[3]
    var outputs = [GraphTensor]()
    if training {
      let n = Double(batch * inner)
      var batchMean = [Double](repeating: 0, count: channels), batchVar = batchMean
      for ch in 0..<channels {
        var sum = 0.0
        for b in 0..<batch { for i in 0..<inner { sum += values[(b * channels + ch) * inner + i] } }
        batchMean[ch] = sum / n
        var sq = 0.0
        for b in 0..<batch { for i in 0..<inner { let d = values[(b * channels + ch) * inner + i] - batchMean[ch]; sq += d * d } }
        batchVar[ch] = sq / n
      }
      let momentum = Double(try c.float("momentum", 0.9))
      let runningMean = (0..<channels).map { mean[$0] * momentum + batchMean[$0] * (1 - momentum) }
      let runningVar = (0..<channels).map { variance[$0] * momentum + batchVar[$0] * (1 - momentum) }
      outputs = [
        try c.floatTensor(runningMean, [channels], as: x.elementType),
        try c.floatTensor(runningVar, [channels], as: x.elementType),
      ]
      (mean, variance) = (batchMean, batchVar)
    }
    var y = values
    for b in 0..<batch {
      for ch in 0..<channels {
        let inv = 1 / (variance[ch] + epsilon).squareRoot(), s = params[0][ch], bias = params[1][ch], m = mean[ch]
        let base = (b * channels + ch) * inner
        for i in 0..<inner { y[base + i] = s * (values[base + i] - m) * inv + bias }
      }
    }
    return [try c.floatTensor(y, x.shape, as: x.elementType)] + outputs
  }

  /// Dropout in inference: the input unchanged, and (when requested) a mask of all true. In
  /// training mode (opset 12+ input) only a ratio of 0 is deterministic; other ratios are rejected.
  static func dropout(_ c: KernelContext) throws -> [GraphTensor] {
    let x = try c.input(0, "data")
    var ratio = 0.5
    var training = false
    if c.opset >= 12 {
      if let r = c.optionalInput(1) {
        guard r.count == 1, r.elementType.isFloatingPoint else { throw c.error("'ratio' must be a float scalar") }
        ratio = r.doubles[0]
      }
      if let t = c.optionalInput(2) {
        guard t.count == 1, t.elementType == .bool else { throw c.error("'training_mode' must be a bool scalar") }
        training = t.doubles[0] != 0
      }
    } else {
      ratio = Double(try c.float("ratio", 0.5))
    }
    guard ratio >= 0, ratio < 1 else { throw c.error("ratio \(ratio) must be in [0, 1)") }
    if training, ratio > 0 { throw c.error("training-mode dropout (random) is not supported; ratio must be 0") }
    guard c.wantsOutput(1) else { return [x] }
    return [x, try c.tensor(.bool(Array(repeating: true, count: x.count)), x.shape)]
  }
}
