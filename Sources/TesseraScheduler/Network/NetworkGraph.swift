/// A network as the scheduler maps it: the schedulable layers (GEMMs and convolutions) in
/// topological order and the activations between them, so fusion, pipelining and partitioning
/// can decide where each activation lives (issue 18). Operators between two layers (ReLU,
/// BatchNorm, pooling, residual adds, flatten) cost nothing here; they only decide how much of
/// an activation a consumer needs at once (``NetworkEdge/windowBytes``).
public struct NetworkGraph: Sendable {
  /// Network name.
  public var name: String
  /// The layers in topological order.
  public var layers: [Workload]
  /// Activations from one layer to a later one.
  public var edges: [NetworkEdge]
  /// Layers whose output leaves the network (a graph output, or consumed by no layer here):
  /// their output always goes to DRAM.
  public var outputs: Set<Int>
  /// Bytes of the network's input as given (no padding), when known; else the first layer's
  /// input as the scheduler sees it (padded).
  public var inputBytes: Double?

  /// Makes a network; edges must point forward (producer before consumer).
  /// - Parameters:
  ///   - name: network name.
  ///   - layers: layers in topological order.
  ///   - edges: activations.
  ///   - outputs: layers whose output leaves the network.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` for an edge out of range or pointing backwards.
  public init(name: String, layers: [Workload], edges: [NetworkEdge], outputs: Set<Int>) throws {
    guard !layers.isEmpty else { throw SchedulerError.invalidWorkload("the network has no dense or conv layer to schedule") }
    for edge in edges where !(0..<layers.count).contains(edge.producer) || !(0..<layers.count).contains(edge.consumer)
      || edge.producer >= edge.consumer
    {
      throw SchedulerError.invalidWorkload("edge \(edge.producer) → \(edge.consumer) is not a forward edge of \(layers.count) layers")
    }
    self.name = name
    self.layers = layers
    self.edges = edges
    self.outputs = outputs
  }

  /// A plain chain: layer `i` feeds layer `i + 1` (whole tensors; the last layer is the output).
  /// - Parameters:
  ///   - name: network name.
  ///   - layers: the layers in order.
  /// - Throws: as ``init(name:layers:edges:outputs:)``.
  public static func chain(name: String, layers: [Workload]) throws -> NetworkGraph {
    let edges = zip(layers.indices, layers.indices.dropFirst()).map { p, c in
      NetworkEdge(producer: p, consumer: c, bytes: layers[p].outputBytes, windowBytes: nil)
    }
    return try NetworkGraph(name: name, layers: layers, edges: edges, outputs: [layers.count - 1])
  }

  /// Edges whose consumer is `layer`.
  /// - Parameter layer: a layer index.
  public func inputs(of layer: Int) -> [NetworkEdge] { edges.filter { $0.consumer == layer } }

  /// Edges whose producer is `layer`.
  /// - Parameter layer: a layer index.
  public func consumers(of layer: Int) -> [NetworkEdge] { edges.filter { $0.producer == layer } }
}

/// One activation from a producer layer to a consumer layer.
public struct NetworkEdge: Hashable, Sendable {
  /// Index of the producing layer.
  public var producer: Int
  /// Index of the consuming layer.
  public var consumer: Int
  /// Bytes of the producer's whole output (at its output width).
  public var bytes: Double
  /// Bytes of the producer's output the consumer needs on chip at once when both run fused
  /// row by row: a line buffer of the rows one consumer output row depends on (through any
  /// pooling in between). `nil` = the whole tensor (dense consumers, flatten, global pooling,
  /// and joins such as residual adds, whose other operand arrives later).
  public var windowBytes: Double?

  /// Makes an edge.
  /// - Parameters:
  ///   - producer: producing layer.
  ///   - consumer: consuming layer.
  ///   - bytes: whole tensor bytes.
  ///   - windowBytes: line-buffer bytes, or `nil` for the whole tensor.
  public init(producer: Int, consumer: Int, bytes: Double, windowBytes: Double?) {
    self.producer = producer
    self.consumer = consumer
    self.bytes = bytes
    self.windowBytes = windowBytes
  }

  /// Bytes the edge occupies on chip when fused: the window, or the whole tensor.
  public var residentBytes: Double { min(windowBytes ?? bytes, bytes) }
}

extension Workload {
  /// Bytes of the layer's whole output at its output width (batch included).
  public var outputBytes: Double {
    Double(shape.elements(of: .output)) * Double(outputBits) / 8
  }

  /// Bytes of the layer's weights as stored (dense, at the weight width).
  public var weightBytes: Double {
    Double(shape.elements(of: .weight)) * Double(weightBits) / 8
  }

  /// Bytes of one output row (all channels, all columns, the whole batch) of a convolution.
  var outputRowBytes: Double {
    Double(shape[.n] * shape[.k] * shape[.q]) * Double(outputBits) / 8
  }
}

/// What lies on the path from a producer layer to a consumer layer, for the line-buffer size.
enum EdgePath {
  /// Element-wise operators only (ReLU, BatchNorm, quantize/dequantize…).
  case elementwise
  /// A pooling window (rows `kernel`, stride `stride`).
  case pool(kernel: Int, stride: Int)
  /// Needs the whole tensor (flatten, global pooling, reshape, a join with another branch).
  case whole

  /// The line-buffer bytes for a producer feeding `consumer` through `path`, or `nil` for the
  /// whole tensor: a conv consumer needs `R` input rows per output row; each pooling step back
  /// turns `rows` into `(rows − 1)·stride + kernel` rows of its input.
  static func window(producer: Workload, consumer: Workload, path: [EdgePath]) -> Double? {
    guard producer.kind == .conv, consumer.kind == .conv else { return nil }
    var rows = consumer.shape[.r]
    for step in path.reversed() {
      switch step {
      case .elementwise: continue
      case let .pool(kernel, stride): rows = (rows - 1) * stride + kernel
      case .whole: return nil
      }
    }
    return Double(min(rows, producer.shape[.p])) * producer.outputRowBytes
  }
}
