import Tessera
import Testing
@testable import TesseraNN

/// Every layer's backward pass against central finite differences (tolerance in GradientCheck).
struct LayerGradientTests {
  @Test(arguments: [(3, 7, 5), (1, 1, 1), (4, 13, 3)])
  func dense(batch: Int, inputs: Int, outputs: Int) throws {
    let layer = Dense(inputs: inputs, outputs: outputs)
    var rng = SplitMix64(seed: 3)
    layer.resetParameters(using: &rng)
    layer.bias!.value = (0..<outputs).map { Float($0) * 0.1 - 0.2 }
    let mismatches = try GradientCheck.check(layer, input: GradientCheck.randomTensor([batch, inputs], seed: 1))
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  struct ConvCase: CustomTestStringConvertible, Sendable {
    var batch, channels, height, width, filters: Int
    var kernel, stride, padding: (Int, Int)
    var bias = true
    var testDescription: String { "b\(batch) c\(channels) \(height)x\(width) o\(filters) k\(kernel) s\(stride) p\(padding)" }
  }

  @Test(arguments: [
    ConvCase(batch: 2, channels: 3, height: 9, width: 7, filters: 4, kernel: (3, 2), stride: (2, 1), padding: (1, 2)),
    ConvCase(batch: 1, channels: 2, height: 6, width: 6, filters: 3, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
    ConvCase(batch: 3, channels: 1, height: 5, width: 8, filters: 2, kernel: (5, 5), stride: (1, 1), padding: (2, 2)),
    ConvCase(batch: 2, channels: 2, height: 7, width: 5, filters: 3, kernel: (2, 3), stride: (3, 2), padding: (0, 0), bias: false),
    ConvCase(batch: 1, channels: 1, height: 3, width: 3, filters: 1, kernel: (5, 5), stride: (2, 2), padding: (2, 2)),
  ])
  func conv2D(_ c: ConvCase) throws {
    let layer = Conv2D(
      inputChannels: c.channels, outputChannels: c.filters, kernelSize: c.kernel, stride: c.stride,
      padding: c.padding, bias: c.bias)
    layer.bias?.value = (0..<c.filters).map { Float($0) * 0.05 }
    let input = GradientCheck.randomTensor([c.batch, c.channels, c.height, c.width], seed: 11)
    let mismatches = try GradientCheck.check(layer, input: input)
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  /// Conv2D forward against a direct 7-loop convolution.
  @Test func conv2DMatchesDirectConvolution() throws {
    let (n, c, h, w, o) = (2, 3, 8, 7, 4)
    let (kh, kw, sy, sx, py, px) = (3, 2, 2, 1, 1, 2)
    let layer = Conv2D(inputChannels: c, outputChannels: o, kernelSize: (kh, kw), stride: (sy, sx), padding: (py, px))
    layer.bias!.value = [0.1, -0.2, 0.3, 0]
    let x = GradientCheck.randomTensor([n, c, h, w], seed: 5)
    let y = try layer(x)
    let oh = (h + 2 * py - kh) / sy + 1, ow = (w + 2 * px - kw) / sx + 1
    #expect(y.shape == [n, o, oh, ow])
    let weight = try layer.weight.tensor
    for b in 0..<n { for f in 0..<o { for i in 0..<oh { for j in 0..<ow {
      var sum = Double(layer.bias!.value[f])
      for ch in 0..<c { for u in 0..<kh { for v in 0..<kw {
        let iy = i * sy - py + u, ix = j * sx - px + v
        if iy >= 0 && iy < h && ix >= 0 && ix < w { sum += Double(x[b, ch, iy, ix]) * Double(weight[f, ch, u, v]) }
      } } }
      #expect(abs(Double(y[b, f, i, j]) - sum) < 1e-5)
    } } } }
  }

  @Test(arguments: [((2, 2), (2, 2), (0, 0), 5, 7), ((3, 3), (2, 2), (1, 1), 7, 9), ((3, 2), (1, 2), (0, 1), 4, 5)])
  func maxPool(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), height: Int, width: Int) throws {
    let layer = MaxPool2D(kernelSize: kernel, stride: stride, padding: padding)
    // Distinct values spaced well above the finite-difference step so no window has a tie.
    var rng = SplitMix64(seed: 9)
    var values = (0..<(2 * 3 * height * width)).map { Float($0) * 0.05 }
    for i in Swift.stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, Int(rng.nextInt(below: UInt64(i + 1)))) }
    let input = try Tensor(shape: [2, 3, height, width], scalars: values)
    let mismatches = try GradientCheck.check(layer, input: input)
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test(arguments: [((2, 2), (2, 2), (0, 0), 5, 7), ((3, 3), (2, 2), (1, 1), 7, 9), ((3, 2), (1, 2), (0, 1), 4, 5)])
  func avgPool(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), height: Int, width: Int) throws {
    let layer = AvgPool2D(kernelSize: kernel, stride: stride, padding: padding)
    let mismatches = try GradientCheck.check(layer, input: GradientCheck.randomTensor([2, 3, height, width], seed: 4))
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test func relu() throws {
    let input = GradientCheck.randomTensor([3, 2, 3, 5], seed: 2, awayFromZero: 0.05)
    let mismatches = try GradientCheck.check(ReLU(), input: input)
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test func flatten() throws {
    let mismatches = try GradientCheck.check(Flatten(), input: GradientCheck.randomTensor([2, 3, 3, 5], seed: 2))
    #expect(mismatches.isEmpty)
  }

  @Test func softmax() throws {
    let mismatches = try GradientCheck.check(Softmax(), input: GradientCheck.randomTensor([4, 7], seed: 8))
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test(arguments: [[5, 6], [3, 4, 3, 5], [2, 3, 1, 1]])
  func batchNorm(shape: [Int]) throws {
    let layer = BatchNorm(featureCount: shape[1])
    layer.gamma.value = (0..<shape[1]).map { 0.5 + Float($0) * 0.3 }
    layer.beta.value = (0..<shape[1]).map { Float($0) * 0.1 }
    let mismatches = try GradientCheck.check(layer, input: GradientCheck.randomTensor(shape, seed: 21))
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test func dropoutWithFixedMask() throws {
    let layer = Dropout(rate: 0.4)
    let mismatches = try GradientCheck.check(layer, input: GradientCheck.randomTensor([4, 9], seed: 3)) {
      var rng = SplitMix64(seed: 77)
      layer.resetParameters(using: &rng)
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    layer.isTraining = false
    let x = GradientCheck.randomTensor([4, 9], seed: 3)
    #expect(try layer(x) == x)
  }

  /// softmaxCrossEntropy's gradient against finite differences of its loss, with large logits
  /// to exercise the stable path.
  @Test func softmaxCrossEntropyGradient() throws {
    var logits = GradientCheck.randomTensor([5, 6], seed: 13).scalars.map { $0 * 4 }
    logits[0] += 80  // would overflow expf without the max subtraction
    let labels = [0, 3, 5, 1, 2]
    let (loss, gradient, _) = try softmaxCrossEntropy(logits: try Tensor(shape: [5, 6], scalars: logits), labels: labels)
    #expect(loss.isFinite)
    let h: Float = 1e-2
    for i in logits.indices {
      var plus = logits, minus = logits
      plus[i] += h
      minus[i] -= h
      let lp = try softmaxCrossEntropy(logits: try Tensor(shape: [5, 6], scalars: plus), labels: labels).loss
      let lm = try softmaxCrossEntropy(logits: try Tensor(shape: [5, 6], scalars: minus), labels: labels).loss
      let numeric = Double(lp - lm) / Double(2 * h)
      #expect(abs(numeric - Double(gradient.scalars[i])) < 2e-3, "logit \(i)")
    }
  }

  @Test func backwardWithoutForwardThrows() {
    #expect(throws: TesseraError.self) { try Dense(inputs: 2, outputs: 2).backward(try Tensor(zeros: [1, 2])) }
  }
}
