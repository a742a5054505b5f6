import ArgumentParser
import Foundation
import TesseraEmbeddings
import TesseraNN
import TesseraONNX
import TesseraRuntime

/// `tessera import`: read an ONNX model into the graph IR and write a Tessera model file.
struct Import: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import an ONNX model or a sentence-transformers folder into a Tessera model file (graph JSON v2).",
    discussion: """
      Reads M.onnx (opsets 11-21; external-data tensors from files beside it), checks every node
      against the supported operators, and writes M.safetensors atomically. The table lists the
      operators with their counts; the notes say whether the compiled engine or the reference
      interpreter will run it. Unsupported operators or opsets are an error naming the node.

      A sentence-transformers folder becomes a float text model file that carries its
      tokenizer.json (for `tessera embed`).

        tessera import model.onnx --out model.safetensors
        tessera import model.onnx --out model.safetensors --format json
        tessera import all-MiniLM-L6-v2/ --out minilm.safetensors
      """)

  @Argument(help: "The ONNX model (.onnx) or a sentence-transformers folder.")
  var model: String

  @Option(help: "Where to write the Tessera model file (.safetensors).")
  var out: String

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard out != model else { throw ValidationError("--out must differ from the input model") }
  }

  func run() async throws {
    try AtomicFile.checkWritable(out)
    if SentenceTransformerFolder.isFolder(model) {
      let folder = try SentenceTransformerFolder(contentsOf: model)
      let graph = try folder.graph()
      let report = try GraphSummaryReport(graph: graph, model: model, out: out)
      try TextModelSource.writeModelFile(graph, from: folder, to: out)
      try output.emit(report)
      return
    }
    let graph = try ModelSource.importONNX(model)
    let report = try GraphSummaryReport(graph: graph, model: model, out: out)
    try GraphModelFile(graph: graph, metadata: ["tessera.source": (model as NSString).lastPathComponent]).write(to: out)
    try output.emit(report)
  }
}

/// `tessera export`: write any Tessera model file (or ONNX file) as ONNX.
struct Export: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a Tessera model file (float, or int8 as QDQ) to ONNX.",
    discussion: """
      Float models export as their ONNX operators (Gemm, Conv, Relu, MaxPool, …); int8 models as
      QDQ (QuantizeLinear/DequantizeLinear around each Gemm/Conv), which ONNX Runtime runs with
      its int8 kernels. The file is written atomically.

        tessera export Models/lenet.safetensors --out lenet.onnx
        tessera export Models/lenet-int8.safetensors --out lenet-int8.onnx
      """)

  @Argument(help: "The model: .safetensors (Tessera, version 1 or 2) or .onnx.")
  var model: String

  @Option(help: "Where to write the ONNX file (.onnx).")
  var out: String

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard out != model else { throw ValidationError("--out must differ from the input model") }
  }

  func run() async throws {
    try AtomicFile.checkWritable(out)
    let graph = try ModelSource.graph(model).expandingDynamicQuantization()
    try ONNXExporter.write(graph, to: out)
    try output.emit(try GraphSummaryReport(graph: graph, model: model, out: out))
  }
}
