import Testing

@testable import TesseraGraph

/// ``Graph/fusingGelu()`` on the forms exporters write.
@Suite("GELU fusion")
struct PassGeluTests {
  /// x → (form) → y, with x = Relu(input) so the pattern's input is an inner value.
  static func graph(_ body: (inout Graph, String) -> String) -> Graph {
    var g = Graph(name: "gelu", opset: 17)
    g.inputs = [ValueInfo(name: "input", type: TensorType(.float32, [.symbol("n"), .fixed(4)]))]
    g.nodes = [Node(name: "relu", op: "Relu", inputs: ["input"], outputs: ["x"])]
    for (name, v) in [("sqrt2", Float(2).squareRoot()), ("one", 1), ("half", 0.5), ("invsqrt2", 1 / Float(2).squareRoot()),
                      ("c", 0.044715), ("k", Float((2 / Double.pi).squareRoot()))] {
      g.initializers[name] = try! GraphTensor(float32: [v], shape: [])
    }
    let y = body(&g, "x")
    g.outputs = [ValueInfo(name: y, type: TensorType(.float32, nil))]
    return g
  }

  static func add(_ g: inout Graph, _ op: String, _ inputs: [String]) -> String {
    let name = "\(op.lowercased())_\(g.nodes.count)"
    g.nodes.append(Node(name: name, op: op, inputs: inputs, outputs: [name]))
    return name
  }

  @Test("erf form as PyTorch writes it, the 1/√2 product form, and 0.5 applied first all become one Gelu")
  func erfForms() throws {
    let pytorch = Self.graph { g, x in
      let e = Self.add(&g, "Erf", [Self.add(&g, "Div", [x, "sqrt2"])])
      return Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, Self.add(&g, "Add", [e, "one"])]), "half"])
    }
    let product = Self.graph { g, x in
      let e = Self.add(&g, "Erf", [Self.add(&g, "Mul", ["invsqrt2", x])])
      return Self.add(&g, "Mul", ["half", Self.add(&g, "Mul", [Self.add(&g, "Add", ["one", e]), x])])
    }
    let halfFirst = Self.graph { g, x in
      let e = Self.add(&g, "Erf", [Self.add(&g, "Div", [x, "sqrt2"])])
      return Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, "half"]), Self.add(&g, "Add", [e, "one"])])
    }
    for g in [pytorch, product, halfFirst] {
      let fused = try g.fusingGelu().validate()
      #expect(fused.nodes.map(\.op) == ["Relu", "Gelu"], "\(g.nodes.map(\.op))")
      #expect(fused.nodes[1].attributes["approximate"] == .string("none"))
      #expect(fused.nodes[1].inputs == ["x"] && fused.outputs.map(\.name) == g.outputs.map(\.name))
      #expect(fused.initializers.isEmpty, "unused constants are removed")
    }
  }

  @Test("tanh form becomes Gelu(approximate: tanh)")
  func tanhForm() throws {
    let g = Self.graph { g, x in
      let cube = Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, x]), x])
      let poly = Self.add(&g, "Add", [x, Self.add(&g, "Mul", [cube, "c"])])
      let t = Self.add(&g, "Tanh", [Self.add(&g, "Mul", [poly, "k"])])
      return Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, Self.add(&g, "Add", [t, "one"])]), "half"])
    }
    let fused = try g.fusingGelu().validate()
    #expect(fused.nodes.map(\.op) == ["Relu", "Gelu"])
    #expect(fused.nodes[1].attributes["approximate"] == .string("tanh"))
  }

  @Test("a wrong constant, or an intermediate read elsewhere, leaves the graph alone")
  func nonMatches() throws {
    let wrong = Self.graph { g, x in
      let e = Self.add(&g, "Erf", [Self.add(&g, "Div", [x, "half"])])
      return Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, Self.add(&g, "Add", [e, "one"])]), "half"])
    }
    #expect(wrong.fusingGelu() == wrong)
    var shared = Self.graph { g, x in
      let e = Self.add(&g, "Erf", [Self.add(&g, "Div", [x, "sqrt2"])])
      return Self.add(&g, "Mul", [Self.add(&g, "Mul", [x, Self.add(&g, "Add", [e, "one"])]), "half"])
    }
    shared.outputs.append(ValueInfo(name: "erf_2", type: TensorType(.float32, nil)))
    #expect(shared.fusingGelu() == shared)
  }
}
