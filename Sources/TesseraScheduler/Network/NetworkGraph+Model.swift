import TesseraGraph

extension NetworkGraph {
  /// The network of a layer-list model (graph JSON version 1): a chain of its dense and conv2d
  /// layers, with the pooling and flatten layers between two of them deciding each edge's
  /// line buffer.
  /// - Parameters:
  ///   - name: network name.
  ///   - layers: the model's layers in order.
  ///   - inputShape: per-sample input shape.
  ///   - batch: samples per inference.
  /// - Throws: as ``Workload/layers(of:inputShape:batch:)``.
  public static func chain(name: String, layers: [ModelLayer], inputShape: [Int], batch: Int = 1) throws -> NetworkGraph {
    let workloads = try Workload.layers(of: layers, inputShape: inputShape, batch: batch)
    var edges: [NetworkEdge] = []
    var path: [EdgePath] = []
    var index = -1
    for layer in layers {
      switch layer.kind {
      case "dense", "conv2d":
        if index >= 0 {
          let (p, c) = (workloads[index], workloads[index + 1])
          edges.append(NetworkEdge(
            producer: index, consumer: index + 1, bytes: p.outputBytes,
            windowBytes: EdgePath.window(producer: p, consumer: c, path: path)))
        }
        index += 1
        path = []
      case "maxpool2d", "avgpool2d":
        let kernel = layer.attributes["kernel"]?.first ?? 1
        path.append(.pool(kernel: kernel, stride: layer.attributes["stride"]?.first ?? kernel))
      case "flatten", "globalavgpool2d":
        path.append(.whole)
      default:
        path.append(.elementwise)
      }
    }
    var network = try NetworkGraph(name: name, layers: workloads, edges: edges, outputs: [workloads.count - 1])
    network.inputBytes = inputShape.isEmpty ? nil : Double(inputShape.reduce(batch, *) * workloads[0].inputBits) / 8
    return network
  }

  /// The network of a graph-IR model (ONNX import, graph JSON version 2): every `Gemm`/`MatMul`
  /// and `Conv` that ``ModelLayer/layers(of:)`` schedules, and an edge from each to every later
  /// one its output reaches through unscheduled operators (element-wise ops, BatchNorm, pooling,
  /// `Add`, `Flatten`…). A residual `Add` makes its producers' edges whole-tensor (the other
  /// branch arrives later), so a skip connection may stay on chip only as a whole tensor.
  /// - Parameters:
  ///   - name: network name.
  ///   - graph: the model.
  ///   - batch: samples per inference.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when shapes cannot be inferred.
  public static func from(graph: Graph, name: String, batch: Int = 1) throws -> NetworkGraph {
    let (modelLayers, inputShape) = try ModelLayer.layers(of: graph)
    let workloads = try Workload.layers(of: modelLayers, inputShape: inputShape, batch: batch)
    let typed: Graph
    do { typed = try graph.inferringTypes().validate() } catch { throw SchedulerError.invalidWorkload("\(error)") }
    var indexOf: [String: Int] = [:]
    for (i, layer) in modelLayers.enumerated() { indexOf[layer.name] = i }
    var producerOf: [String: Node] = [:]
    for node in typed.nodes { for output in node.outputs { producerOf[output] = node } }
    let graphOutputs = Set(typed.outputs.map(\.name))
    var edges: [NetworkEdge] = []
    var outputs = Set<Int>()
    // Walk back from each layer's data input to the layers it depends on.
    for (c, layer) in modelLayers.enumerated() {
      guard let node = typed.nodes.first(where: { $0.name == layer.name }), let x = node.input(0) else { continue }
      var found: [Int: [EdgePath]] = [:]
      func walk(_ value: String, _ path: [EdgePath]) {
        guard let producer = producerOf[value] else { return }
        if let p = indexOf[producer.name], p != c {
          if found[p] == nil { found[p] = path }
          return
        }
        let dynamic = producer.inputs.filter { !$0.isEmpty && typed.initializers[$0] == nil && producerOf[$0] != nil }
        let step: EdgePath
        switch producer.op {
        case "MaxPool", "AveragePool":
          let kernel = producer.attributes["kernel_shape"]?.ints?.first ?? 1
          step = .pool(kernel: kernel, stride: producer.attributes["strides"]?.ints?.first ?? 1)
        case "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "Transpose", "Concat":
          step = .whole
        default:
          step = dynamic.count > 1 ? .whole : .elementwise
        }
        for input in dynamic { walk(input, [step] + path) }
      }
      walk(x, [])
      for (p, path) in found.sorted(by: { $0.key < $1.key }) {
        edges.append(NetworkEdge(
          producer: p, consumer: c, bytes: workloads[p].outputBytes,
          windowBytes: EdgePath.window(producer: workloads[p], consumer: workloads[c], path: path)))
      }
    }
    // A layer is an output when its value reaches a graph output through unscheduled operators.
    var consumersOf: [String: [Node]] = [:]
    for node in typed.nodes { for input in node.inputs { consumersOf[input, default: []].append(node) } }
    for (p, layer) in modelLayers.enumerated() {
      guard let node = typed.nodes.first(where: { $0.name == layer.name }) else { continue }
      var stack = node.outputs, seen = Set<String>()
      while let value = stack.popLast() {
        guard seen.insert(value).inserted else { continue }
        if graphOutputs.contains(value) { outputs.insert(p); break }
        for next in consumersOf[value] ?? [] where indexOf[next.name] == nil { stack += next.outputs }
      }
      if !edges.contains(where: { $0.producer == p }) { outputs.insert(p) }
    }
    var network = try NetworkGraph(name: name, layers: workloads, edges: edges, outputs: outputs)
    network.inputBytes = inputShape.isEmpty ? nil : Double(inputShape.reduce(batch, *) * workloads[0].inputBits) / 8
    return network
  }
}
