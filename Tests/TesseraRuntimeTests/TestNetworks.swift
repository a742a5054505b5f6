import Foundation
import Tessera
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

/// Deterministic test data.
struct TestRNG {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }
  mutating func symmetric(_ bound: Float) -> Float { (uniform() * 2 - 1) * bound }
}

enum TestNetworks {
  /// conv(3→4, 3×3, pad 1) + ReLU → maxpool 2 → conv(4→6, 3×3, stride 1) + ReLU → avgpool 2 →
  /// flatten → dense(24→16) + ReLU → dense(16→10), on 3×10×10 inputs with normalization.
  static func smallCNN(seed: UInt64 = 1) throws -> FusedNetwork {
    var rng = TestRNG(seed: seed)
    func values(_ n: Int, _ bound: Float) -> [Float] { (0..<n).map { _ in rng.symmetric(bound) } }
    let g1 = try WindowGeometry(channels: 3, height: 10, width: 10, kernel: (3, 3), stride: (1, 1), padding: (1, 1), what: "c1")
    let p1 = try WindowGeometry(channels: 4, height: 10, width: 10, kernel: (2, 2), stride: (2, 2), padding: (0, 0), what: "p1")
    let g2 = try WindowGeometry(channels: 4, height: 5, width: 5, kernel: (3, 3), stride: (1, 1), padding: (0, 0), what: "c2")
    let p2 = try WindowGeometry(channels: 6, height: 3, width: 3, kernel: (2, 2), stride: (1, 1), padding: (0, 0), what: "p2")
    return try FusedNetwork(
      inputShape: [3, 10, 10], normalization: InputNormalization(mean: [0.5, 0.4, 0.3], std: [0.25, 0.3, 0.2]),
      operations: [
        .conv(ConvStage(name: "c1", geometry: g1, outputChannels: 4, weight: values(4 * 27, 0.4), bias: values(4, 0.1), relu: true)),
        .maxPool(name: "p1", geometry: p1),
        .conv(ConvStage(name: "c2", geometry: g2, outputChannels: 6, weight: values(6 * 36, 0.3), bias: values(6, 0.1), relu: true)),
        .avgPool(name: "p2", geometry: p2),
        .flatten(name: "flat"),
        .dense(DenseStage(name: "fc1", inputs: 24, outputs: 16, weight: values(16 * 24, 0.3), bias: values(16, 0.1), relu: true)),
        .dense(DenseStage(name: "fc2", inputs: 16, outputs: 10, weight: values(160, 0.4), bias: values(10, 0.1), relu: false)),
      ])
  }

  /// conv(2→5, 3×3, stride 2, pad 1) + ReLU → flatten → dense(180→10) on 2×12×12 inputs: a
  /// strided convolution whose 6-wide output allows output-column tiling with T = 2, 3 or 6.
  static func stridedCNN(seed: UInt64 = 2) throws -> FusedNetwork {
    var rng = TestRNG(seed: seed)
    func values(_ n: Int, _ bound: Float) -> [Float] { (0..<n).map { _ in rng.symmetric(bound) } }
    let g = try WindowGeometry(channels: 2, height: 12, width: 12, kernel: (3, 3), stride: (2, 2), padding: (1, 1), what: "s1")
    return try FusedNetwork(inputShape: [2, 12, 12], operations: [
      .conv(ConvStage(name: "s1", geometry: g, outputChannels: 5, weight: values(5 * 18, 0.5), bias: values(5, 0.1), relu: true)),
      .flatten(name: "flat"),
      .dense(DenseStage(name: "out", inputs: 180, outputs: 10, weight: values(1800, 0.2), bias: values(10, 0.1), relu: false)),
    ])
  }

  /// Uniform [0, 1] pixels.
  static func inputs(_ network: FusedNetwork, count: Int, seed: UInt64) -> [Float] {
    var rng = TestRNG(seed: seed)
    return (0..<(count * network.inputCount)).map { _ in rng.uniform() }
  }

  /// A quantized version of `network` calibrated on random inputs.
  static func quantized(_ network: FusedNetwork, bits: Int = 8, method: CalibrationMethod = .minmax) throws -> QuantizedNetwork {
    let x = inputs(network, count: 64, seed: 99)
    let calibration = try Calibration(network: network, samples: x, count: 64, batchSize: 16)
    return try PostTrainingQuantizer(recipe: QuantizationRecipe(method: method, weightBits: bits)).quantize(network, calibration: calibration).network
  }
}

/// An independent int8 interpreter in CHW order with plain loops (no packing, no im2col, no
/// HWC permutations), using the scalar requantizer of the C contract: the engine must equal it.
enum Int8Simulator {
  static func run(_ q: QuantizedNetwork, _ x: [Float], count: Int) throws -> [Int8] {
    let f = try q.floatNetwork()
    var all = [Int8]()
    for n in 0..<count {
      var v = Array(x[(n * f.inputCount)..<((n + 1) * f.inputCount)])
      f.normalize(&v, count: 1)
      var codes = v.map { Int8(q.input.quantize($0)) }
      var current = q.input
      for (index, op) in q.operations.enumerated() {
        let inShape = f.inputShape(of: index)
        switch op {
        case let .linear(l):
          let rq = try Requantization(scales: l.multipliers, outputZeroPoint: l.output.zeroPoint, min: Int8(l.outputMin), max: 127)
          if let g = l.convolution {
            var out = [Int8](repeating: 0, count: l.outputs * g.outputPixels)
            for o in 0..<l.outputs {
              for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                  var acc = l.bias[o]
                  for c in 0..<g.channels {
                    for i in 0..<g.kernelHeight {
                      for j in 0..<g.kernelWidth {
                        let iy = oy * g.strideY - g.padY + i, ix = ox * g.strideX - g.padX + j
                        let a: Int32 = (iy >= 0 && iy < g.height && ix >= 0 && ix < g.width)
                          ? Int32(codes[(c * g.height + iy) * g.width + ix]) : l.input.zeroPoint
                        acc += (a - l.input.zeroPoint) * Int32(l.codes[((o * g.channels + c) * g.kernelHeight + i) * g.kernelWidth + j])
                      }
                    }
                  }
                  out[(o * g.outputHeight + oy) * g.outputWidth + ox] = rq.requantize(acc, channel: o)
                }
              }
            }
            codes = out
          } else {
            codes = (0..<l.outputs).map { o in
              var acc = l.bias[o]
              for k in 0..<l.inner { acc += (Int32(codes[k]) - l.input.zeroPoint) * Int32(l.codes[o * l.inner + k]) }
              return rq.requantize(acc, channel: o)
            }
          }
          current = l.output
        case let .maxPool(_, g), let .avgPool(_, g):
          let isMax = if case .maxPool = op { true } else { false }
          var out = [Int8](repeating: 0, count: g.channels * g.outputPixels)
          for c in 0..<g.channels {
            for oy in 0..<g.outputHeight {
              for ox in 0..<g.outputWidth {
                var best = Int32.min, sum: Int32 = 0
                for i in 0..<g.kernelHeight {
                  for j in 0..<g.kernelWidth {
                    let iy = oy * g.strideY - g.padY + i, ix = ox * g.strideX - g.padX + j
                    guard iy >= 0 && iy < g.height && ix >= 0 && ix < g.width else { continue }
                    let a = Int32(codes[(c * g.height + iy) * g.width + ix])
                    best = max(best, a)
                    sum += a - current.zeroPoint
                  }
                }
                let mean = (Double(sum) / Double(g.kernelHeight * g.kernelWidth)).rounded(.toNearestOrEven)
                out[(c * g.outputHeight + oy) * g.outputWidth + ox] = isMax ? Int8(best) : Int8(Int32(mean) + current.zeroPoint)
              }
            }
          }
          codes = out
        case .relu:
          codes = codes.map { max($0, Int8(current.zeroPoint)) }
        case .flatten:
          break
        }
        _ = inShape
      }
      all += codes
    }
    return all
  }
}
