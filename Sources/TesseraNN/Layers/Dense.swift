import Tessera

/// A fully connected layer: `y = x · Wᵀ + b`, with `W` stored `[outputs, inputs]`.
///
/// Forward and backward passes are single `cblas_sgemm` calls over the whole batch.
///
/// For example:
/// ```swift
/// let fc = Dense(inputs: 784, outputs: 256)
/// let y = try fc(x)            // x: [batch, 784] → y: [batch, 256]
/// ```
/// ### See Also
/// ``Conv2D``, ``Sequential``
public final class Dense: Layer, GEMMTimed {
  /// Unique name inside the model.
  public var name: String
  /// `"dense"`.
  public var kind: String { "dense" }
  /// Training mode: keeps the input for ``backward(_:)``.
  public var isTraining = true
  /// Input features.
  public let inputs: Int
  /// Output features.
  public let outputs: Int
  /// Weights `[outputs, inputs]`.
  public let weight: Parameter
  /// Biases `[outputs]`, or nil.
  public let bias: Parameter?
  var gemmTimer: GEMMTimer?
  private var cachedInput: Tensor<Float>?

  /// Makes a dense layer with He-uniform weights (fixed seed; call
  /// ``resetParameters(using:)`` for a chosen one) and zero biases.
  /// - Parameters:
  ///   - inputs: input features.
  ///   - outputs: output features.
  ///   - bias: whether to add a bias.
  ///   - name: unique name inside the model.
  public init(inputs: Int, outputs: Int, bias: Bool = true, name: String = "dense") {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    weight = Parameter(role: "weight", shape: [outputs, inputs], decays: true)
    self.bias = bias ? Parameter(role: "bias", shape: [outputs]) : nil
    var generator = SplitMix64(seed: UInt64(inputs &* 7919 &+ outputs))
    resetParameters(using: &generator)
  }

  /// Weight, then bias.
  public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

  /// `inputs`, `outputs`, `bias`.
  public var attributes: [String: GraphValue] {
    ["inputs": .int(inputs), "outputs": .int(outputs), "bias": .bool(bias != nil)]
  }

  /// He-uniform weights (bound √(6 / inputs)), zero biases.
  /// - Parameter generator: the seeded source of randomness.
  public func resetParameters(using generator: inout SplitMix64) {
    weight.fillUniform(bound: (6 / Float(max(inputs, 1))).squareRoot(), using: &generator)
    bias?.value = [Float](repeating: 0, count: outputs)
  }

  /// `[outputs]` for an input of `inputs` elements.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` otherwise.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    guard inputShape.reduce(1, *) == inputs, inputShape.count == 1 else {
      throw TesseraError.invalidShape(
        operation: "Dense \(name)", shape: inputShape, reason: "expected [\(inputs)] per sample")
    }
    return [outputs]
  }

  /// `inputs × outputs`.
  public func multiplyAccumulates(for inputShape: [Int]) -> Int { inputs * outputs }

  /// `x · Wᵀ + b` for `x: [batch, inputs]`.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` for another shape.
  public func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    try LayerCheck.rank(input, 2, "Dense \(name)")
    guard input.shape[1] == inputs else {
      throw TesseraError.invalidShape(
        operation: "Dense \(name)", shape: input.shape, reason: "expected [batch, \(inputs)]")
    }
    let batch = input.shape[0]
    let x = input.contiguous()
    var y = [Float](repeating: 0, count: batch * outputs)
    if let bias {
      for row in 0..<batch { y.replaceSubrange(row * outputs..<(row + 1) * outputs, with: bias.value) }
    }
    x.withUnsafeBufferPointer { xp in
      weight.value.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in
          timedSGEMM(
            gemmTimer, transposeA: false, transposeB: true, m: batch, n: outputs, k: inputs,
            a: xp.baseAddress!, lda: inputs, b: wp.baseAddress!, ldb: inputs,
            beta: bias == nil ? 0 : 1, c: yp.baseAddress!, ldc: outputs)
        }
      }
    }
    cachedInput = isTraining ? x : nil
    return try .make([batch, outputs], y)
  }

  /// dW = dYᵀ · X, db = Σ dY, dX = dY · W.
  /// - Throws: `TesseraError` without a cached forward pass or on a shape mismatch.
  public func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    try backward(outputGradient, inputGradient: true)
  }

  /// The backward pass; skips the dX product when `inputGradient` is false (first layer).
  func backward(_ outputGradient: Tensor<Float>, inputGradient: Bool) throws -> Tensor<Float> {
    guard let x = cachedInput else { throw LayerCheck.noCache("Dense \(name)") }
    let batch = x.shape[0]
    try LayerCheck.gradient(outputGradient, [batch, outputs], "Dense \(name)")
    let dy = outputGradient.contiguous()
    var dx = [Float](repeating: 0, count: inputGradient ? batch * inputs : 0)
    dy.withUnsafeBufferPointer { dyp in
      x.withUnsafeBufferPointer { xp in
        weight.gradient.withUnsafeMutableBufferPointer { dwp in
          timedSGEMM(
            gemmTimer, transposeA: true, transposeB: false, m: outputs, n: inputs, k: batch,
            a: dyp.baseAddress!, lda: outputs, b: xp.baseAddress!, ldb: inputs,
            beta: 0, c: dwp.baseAddress!, ldc: inputs)
        }
      }
      if inputGradient {
        weight.value.withUnsafeBufferPointer { wp in
          dx.withUnsafeMutableBufferPointer { dxp in
            timedSGEMM(
              gemmTimer, transposeA: false, transposeB: false, m: batch, n: inputs, k: outputs,
              a: dyp.baseAddress!, lda: outputs, b: wp.baseAddress!, ldb: inputs,
              beta: 0, c: dxp.baseAddress!, ldc: inputs)
          }
        }
      }
      if let bias {
        bias.gradient.withUnsafeMutableBufferPointer { db in
          for o in 0..<outputs { db[o] = 0 }
          for row in 0..<batch {
            let base = row * outputs
            for o in 0..<outputs { db[o] += dyp[base + o] }
          }
        }
      }
    }
    return inputGradient ? try .make([batch, inputs], dx) : try .make([0], [])
  }
}

/// Layers whose sgemm calls can be timed.
protocol GEMMTimed: AnyObject {
  var gemmTimer: GEMMTimer? { get set }
}

/// Layers that can skip computing dL/dInput (when nothing before them needs it).
protocol InputGradientOptional: AnyObject {
  func backward(_ outputGradient: Tensor<Float>, inputGradient: Bool) throws -> Tensor<Float>
}

extension Dense: InputGradientOptional {}
extension Conv2D: InputGradientOptional {}
