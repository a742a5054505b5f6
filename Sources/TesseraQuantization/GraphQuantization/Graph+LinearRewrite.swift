import Tessera
import TesseraGraph

/// One Linear layer found in a float graph: `MatMul(activation, W [K, N])`, optionally followed
/// by an `Add` of a constant `[N]` bias that nothing else reads.
struct LinearLayerMatch {
  /// The MatMul node.
  var node: Node
  /// The activation value it reads.
  var activation: String
  /// The weight initializer's name.
  var weightName: String
  /// `W` transposed to `[N, K]` row-major (row n = output feature n).
  var weightsNK: [Float]
  /// Input features.
  var k: Int
  /// Output features.
  var n: Int
  /// The bias initializer's name, when an Add was folded.
  var bias: String?
  /// The value the rewritten layer writes (the Add's output when folded).
  var output: String
}

extension Graph {
  /// The Linear layers of the graph: a `MatMul` of a float32 activation by a constant float
  /// `[K, N]` weight (a following `Add` of a constant `[N]` bias folded in), in node order.
  /// - Parameter keepFloat: MatMul node names to skip.
  /// - Returns: the graph with inferred types and the matches.
  /// - Throws: `GraphIRError` when shape inference fails; a weight with NaN or infinity throws
  ///   `TesseraError.invalidArgument` naming it.
  func linearLayers(keepFloat: Set<String>) throws -> (graph: Graph, layers: [Int: LinearLayerMatch], folded: Set<Int>) {
    let g = try inferringTypes()
    var consumers: [String: [Int]] = [:]
    for (i, node) in g.nodes.enumerated() { for input in Set(node.inputs) where !input.isEmpty { consumers[input, default: []].append(i) } }
    let outputs = Set(g.outputs.map(\.name))
    var layers: [Int: LinearLayerMatch] = [:]
    var folded = Set<Int>()
    for (i, node) in g.nodes.enumerated() where node.domain.isEmpty && node.op == "MatMul" && !keepFloat.contains(node.name) {
      guard node.inputs.count == 2, g.type(of: node.inputs[0])?.elementType == .float32,
        let w = g.initializers[node.inputs[1]], w.shape.count == 2, let values = w.float32
      else { continue }
      let (k, n) = (w.shape[0], w.shape[1])
      guard values.allSatisfy(\.isFinite) else {
        throw TesseraError.invalidArgument("weight \(node.inputs[1]) of \(node.name) contains NaN or infinity")
      }
      var transposed = [Float](repeating: 0, count: k * n)
      for r in 0..<k { for c in 0..<n { transposed[c * k + r] = values[r * n + c] } }
      var match = LinearLayerMatch(
        node: node, activation: node.inputs[0], weightName: node.inputs[1], weightsNK: transposed, k: k, n: n, bias: nil,
        output: node.outputs[0])
      if !outputs.contains(match.output), let c = consumers[match.output], c.count == 1, g.nodes[c[0]].domain.isEmpty,
        g.nodes[c[0]].op == "Add"
      {
        let add = g.nodes[c[0]]
        let other = add.inputs[0] == match.output ? add.inputs[1] : add.inputs[0]
        if let b = g.initializers[other], b.float32?.count == n, b.shape.last == n, b.shape.dropLast().allSatisfy({ $0 == 1 }) {
          match.bias = other
          match.output = add.outputs[0]
          folded.insert(c[0])
        }
      }
      layers[i] = match
    }
    return (g, layers, folded)
  }

  /// `self` with nodes replaced (by index), nodes removed, unused initializers dropped, the
  /// precision recorded, types re-inferred and the result validated.
  func replacingLinearLayers(_ replaced: [Int: Node], removing removed: Set<Int>, precision: String) throws -> Graph {
    var g = self
    for (i, node) in replaced { g.nodes[i] = node }
    g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    let used = Set(g.nodes.flatMap(\.inputs))
    for name in g.initializers.keys where !used.contains(name) && !g.outputs.contains(where: { $0.name == name }) {
      g.initializers[name] = nil
    }
    g.metadata["tessera.precision"] = precision
    g.valueTypes = [:]
    return try g.inferringTypes().validate()
  }
}
