import TesseraQuantization
import TesseraScheduler

/// What a quantized network costs on a modeled accelerator: the mapper's best mapping of every
/// dense and convolution layer (one inference, layers run one after another), summed.
///
/// Each layer is scheduled with its own weight bit width (the grid of its per-channel
/// quantization) and weight density (the share of non-zero int8 codes), so sub-8-bit and pruned
/// weights cost less where the hardware spec says they can (narrower weight traffic; skipped zero
/// MACs and compressed weights per its `sparsity` section). Activations are 8-bit.
///
/// For example:
/// ```swift
/// let cost = try ModeledCost(network: quantized, hardware: try HardwareSpec.load("edge-npu"))
/// print(cost.energyPicojoules, cost.latencySeconds)
/// ```
public struct ModeledCost: Sendable, Equatable {
  /// One layer's share.
  public struct Layer: Sendable, Equatable {
    /// Layer name.
    public var name: String
    /// Weight bits the layer was scheduled with.
    public var weightBits: Int
    /// Non-zero fraction of its weights.
    public var weightDensity: Double
    /// Multiply-accumulates the hardware performs (after zero skipping).
    public var macs: Int
    /// Modeled energy, pJ.
    public var energyPicojoules: Double
    /// Modeled latency, seconds.
    public var latencySeconds: Double
  }

  /// The hardware's name.
  public var hardware: String
  /// Per-layer costs in network order.
  public var layers: [Layer]
  /// Total modeled latency of one inference, seconds.
  public var latencySeconds: Double
  /// Total modeled energy of one inference, pJ.
  public var energyPicojoules: Double
  /// The hardware's area, mm².
  public var areaSquareMillimeters: Double

  /// Schedules every layer of `network` on `hardware` and sums the costs.
  /// - Parameters:
  ///   - network: the quantized network.
  ///   - hardware: the accelerator spec.
  ///   - batch: samples per inference.
  ///   - options: mapper options (default: minimise energy over every dataflow the hardware has).
  /// - Throws: `SchedulerError` when a layer cannot be mapped (e.g. a buffer too small for any tile).
  public init(
    network: QuantizedNetwork, hardware: HardwareSpec, batch: Int = 1, options: MapperOptions = MapperOptions()
  ) throws {
    let (modelLayers, inputShape) = Self.modelLayers(of: network)
    let workloads = try Workload.layers(of: modelLayers, inputShape: inputShape, batch: batch)
    var layers = [Layer]()
    for workload in workloads {
      let best = try Mapper.search(workload, on: hardware, options: options).best
      layers.append(Layer(
        name: workload.name, weightBits: workload.weightBits, weightDensity: workload.weightDensity, macs: best.macs,
        energyPicojoules: best.energyPJ, latencySeconds: best.latencySeconds))
    }
    self.hardware = hardware.name
    self.layers = layers
    latencySeconds = layers.reduce(0) { $0 + $1.latencySeconds }
    energyPicojoules = layers.reduce(0) { $0 + $1.energyPicojoules }
    areaSquareMillimeters = hardware.areaMM2
  }

  /// The scheduler's view of a quantized network: one `dense` or `conv2d` layer per linear
  /// operation, with its per-sample input shape, weight bits, weight density and zero pattern
  /// (2:4 when every group of 4 consecutive inputs of every output holds at most 2 non-zeros).
  /// - Parameter network: the quantized network.
  /// - Returns: the layers and the per-sample input shape.
  public static func modelLayers(of network: QuantizedNetwork) -> (layers: [ModelLayer], inputShape: [Int]) {
    var layers = [ModelLayer]()
    for case let .linear(l) in network.operations {
      let flags = l.codes.map { $0 != 0 }
      let density = flags.isEmpty ? 1 : Double(flags.lazy.filter { $0 }.count) / Double(flags.count)
      let structure = SparsityStructure.detect(nonzero: flags, columns: l.inner)
      if let g = l.convolution {
        layers.append(ModelLayer(
          name: l.name, kind: "conv2d",
          attributes: [
            "in_channels": [g.channels], "out_channels": [l.outputs], "kernel": [g.kernelHeight, g.kernelWidth],
            "stride": [g.strideY, g.strideX], "padding": [g.padY, g.padX],
          ],
          inputShape: [g.channels, g.height, g.width], weightBits: l.weights.grid.bits, weightDensity: density,
          weightStructure: structure))
      } else {
        layers.append(ModelLayer(
          name: l.name, kind: "dense", attributes: ["inputs": [l.inner], "outputs": [l.outputs]],
          inputShape: [l.inner], weightBits: l.weights.grid.bits, weightDensity: density, weightStructure: structure))
      }
    }
    return (layers, network.inputShape)
  }
}
