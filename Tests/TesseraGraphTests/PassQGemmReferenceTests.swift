import Testing

@testable import TesseraGraph

@Suite("Passes: QGemm reference semantics")
struct PassQGemmReferenceTests {
  func scalar(_ v: Float) throws -> GraphTensor { try GraphTensor(float32: [v], shape: []) }

  @Test("hand example: zero points, per-channel scales, bias, ties to even, saturation; transB 0 and 1 agree")
  func handExample() throws {
    // x − 128 = [[2, −8], [0, 0], [127, −128]]; w (N×K) = [[2, −1], [1, 1]]; bias [5, −3].
    // acc = [[17, −9], [5, −3], [387, −4]]; multipliers 0.5·0.25/0.25 = 0.5 and 0.5·0.5/0.25 = 1.
    // y = [[8.5→8, −9], [2.5→2, −3], [193.5→127 saturated, −4]].
    let x = try GraphTensor(.uint8([130, 120, 128, 128, 255, 0]), shape: [3, 2])
    let w = try GraphTensor(.int8([2, -1, 1, 1]), shape: [2, 2])
    let wT = try GraphTensor(.int8([2, 1, -1, 1]), shape: [2, 2])
    let args = (
      xs: try scalar(0.5), xz: try GraphTensor(.uint8([128]), shape: []), ws: try GraphTensor(float32: [0.25, 0.5], shape: [2]),
      bias: try GraphTensor(.int32([5, -3]), shape: [2]), ys: try scalar(0.25), yz: try GraphTensor(.int8([0]), shape: [])
    )
    let expected = try GraphTensor(.int8([8, -9, 2, -3, 127, -4]), shape: [3, 2])
    let y = try QGemmReference.evaluate(
      x: x, xScale: args.xs, xZeroPoint: args.xz, w: w, wScale: args.ws, wZeroPoint: nil, bias: args.bias, yScale: args.ys,
      yZeroPoint: args.yz, transB: true)
    #expect(y == expected)
    let node = Node(name: "qg", op: "QGemm", domain: "com.tessera", inputs: [], outputs: ["y"], attributes: ["transB": .int(0)])
    let yT = try QGemmReference.evaluate(node, inputs: [x, args.xs, args.xz, wT, args.ws, nil, args.bias, args.ys, args.yz])
    #expect(yT == expected)
    // uint8 output with a zero point: 8 + 10 and the negative values clamp at 0.
    let yu = try QGemmReference.evaluate(
      x: x, xScale: args.xs, xZeroPoint: args.xz, w: w, wScale: args.ws, wZeroPoint: nil, bias: args.bias, yScale: args.ys,
      yZeroPoint: try GraphTensor(.uint8([10]), shape: []), transB: true)
    #expect(yu == (try GraphTensor(.uint8([18, 1, 12, 7, 204, 6]), shape: [3, 2])))
  }

  @Test("bias quantization rounds half to even and saturates")
  func biasQuantization() {
    #expect(QGemmReference.quantizeBias([1.0, -0.0625, 0.1875, 1e12], xScale: 0.5, wScale: [0.25]) == [8, 0, 2, Int32.max])
    #expect(QGemmReference.quantizeBias([1.0, 1.0], xScale: 0.5, wScale: [0.25, 0.5]) == [8, 4])
  }

  @Test("wrong shapes, types and scales are named")
  func errors() throws {
    let x = try GraphTensor(.uint8([1, 2]), shape: [1, 2])
    let w = try GraphTensor(.int8([1, 2, 3]), shape: [1, 3])
    #expect(throws: GraphIRError.self) {
      try QGemmReference.evaluate(x: x, xScale: try scalar(1), xZeroPoint: nil, w: w, wScale: try scalar(1), wZeroPoint: nil, bias: nil,
        yScale: try scalar(1), yZeroPoint: nil, transB: true)
    }
    let w2 = try GraphTensor(.int8([1, 2]), shape: [1, 2])
    #expect(throws: GraphIRError.self) {
      try QGemmReference.evaluate(x: x, xScale: try scalar(0), xZeroPoint: nil, w: w2, wScale: try scalar(1), wZeroPoint: nil, bias: nil,
        yScale: try scalar(1), yZeroPoint: nil, transB: true)
    }
    #expect(throws: GraphIRError.self) {
      try QGemmReference.evaluate(x: x, xScale: try scalar(1), xZeroPoint: try GraphTensor(.int8([0]), shape: []), w: w2, wScale: try scalar(1),
        wZeroPoint: nil, bias: nil, yScale: try scalar(1), yZeroPoint: nil, transB: true)
    }
  }
}
