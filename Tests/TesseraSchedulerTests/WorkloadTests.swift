import Testing
@testable import TesseraScheduler

/// Command-line shapes and model layers.
struct WorkloadTests {
  @Test func parsesGEMMAndConv() throws {
    let gemm = try Workload.parseGEMM("64, 40,70")
    #expect(gemm.shape.gemmM == 64 && gemm.shape.gemmN == 40 && gemm.shape.gemmK == 70)
    let conv = try Workload.parseConv("1,6,14,14,16,5,5")
    #expect(conv.shape[.p] == 10 && conv.shape[.q] == 10 && conv.shape.macs == 6 * 16 * 100 * 25)
    let strided = try Workload.parseConv("2,3,32,32,8,3,3,2,1")
    #expect(strided.shape[.p] == 16 && strided.shape.strideH == 2 && strided.shape.inputHeight == 33)
  }

  @Test func badShapesNameTheField() {
    #expect(throws: SchedulerError.invalidWorkload("--gemm field 2 'x' is not an integer")) { try Workload.parseGEMM("4,x,5") }
    #expect(throws: SchedulerError.invalidWorkload("GEMM N = 0 must be at least 1")) { try Workload.parseGEMM("4,0,5") }
    #expect(throws: SchedulerError.invalidWorkload("filter 7×7 does not fit the padded input 5×5")) {
      try Workload.parseConv("1,1,5,5,1,7,7")
    }
  }

  @Test func modelLayersChainThroughPoolingAndFlatten() throws {
    let layers = [
      ModelLayer(name: "conv1", kind: "conv2d", attributes: ["in_channels": [1], "out_channels": [6], "kernel": [5, 5], "padding": [2, 2]]),
      ModelLayer(name: "relu1", kind: "relu"),
      ModelLayer(name: "pool1", kind: "maxpool2d", attributes: ["kernel": [2, 2]]),
      ModelLayer(name: "conv2", kind: "conv2d", attributes: ["in_channels": [6], "out_channels": [16], "kernel": [5]],
        weightBits: 4, weightDensity: 0.5),
      ModelLayer(name: "pool2", kind: "avgpool2d", attributes: ["kernel": [2], "stride": [2]]),
      ModelLayer(name: "flat", kind: "flatten"),
      ModelLayer(name: "fc", kind: "dense", attributes: ["inputs": [400], "outputs": [10]]),
    ]
    let workloads = try Workload.layers(of: layers, inputShape: [1, 28, 28], batch: 3)
    #expect(workloads.map(\.name) == ["conv1", "conv2", "fc"])
    #expect(workloads[0].shape.bounds == [3, 6, 1, 28, 28, 5, 5])
    #expect(workloads[1].shape.bounds == [3, 16, 6, 10, 10, 5, 5])
    #expect(workloads[1].weightBits == 4 && workloads[1].weightDensity == 0.5)
    #expect(workloads[2].shape.gemmM == 3 && workloads[2].shape.gemmN == 10 && workloads[2].shape.gemmK == 400)
  }

  @Test func modelChannelMismatchIsReported() {
    let layers = [ModelLayer(name: "c", kind: "conv2d", attributes: ["in_channels": [3], "out_channels": [4], "kernel": [3, 3]])]
    #expect(throws: SchedulerError.invalidWorkload("layer 'c': 3 input channels but the input is [1, 8, 8]")) {
      try Workload.layers(of: layers, inputShape: [1, 8, 8])
    }
  }

  /// Shapes whose products overflow `Int` were trapping in the mapper (QA); they are rejected
  /// with a message, and the largest accepted shape still maps.
  @Test func hugeShapesAreRejectedNotTrapped() throws {
    let limit = "exceed the limit 1125899906842624 (2^50)"
    #expect(throws: SchedulerError.invalidWorkload("multiply-accumulates 2147483648×2147483648×2147483648×1×1×1×1 \(limit)")) {
      try Workload.parseGEMM("2147483648,2147483648,2147483648")
    }
    #expect(throws: SchedulerError.invalidWorkload("loop bound n = 9223372036854775807 exceeds the limit 2147483648 (2^31)")) {
      try Workload.parseGEMM("9223372036854775807,9223372036854775807,9223372036854775807")
    }
    #expect(throws: SchedulerError.invalidWorkload("batch 9223372036854775807 exceeds the limit 2147483648 (2^31)")) {
      try Workload.parseConv("9223372036854775807,6,12,12,16,5,5")
    }
    #expect(throws: SchedulerError.invalidWorkload("padding 4611686018427387904 exceeds the limit 2147483648 (2^31)")) {
      try Workload.parseConv("1,6,12,12,16,5,5,1,4611686018427387904")
    }
    let conv = [ModelLayer(name: "conv1", kind: "conv2d", attributes: ["in_channels": [1], "out_channels": [6], "kernel": [5, 5]])]
    #expect(throws: SchedulerError.invalidWorkload("batch 9223372036854775807 exceeds the limit 2147483648 (2^31)")) {
      try Workload.layers(of: conv, inputShape: [1, 28, 28], batch: .max)
    }
    #expect(throws: SchedulerError.invalidWorkload("layer 'conv1': multiply-accumulates 2147483648×6×1×96×96×5×5 \(limit)")) {
      try Workload.layers(of: conv, inputShape: [1, 100, 100], batch: 1 << 31)
    }
    let largest = try Workload.parseGEMM("131072,131072,65536")
    #expect(largest.shape.macs == LayerShape.maxProduct)
  }
}
