import Foundation
import TesseraGraph

/// A sentence-transformers model folder as Hugging Face ships it: `config.json`,
/// `model.safetensors`, `tokenizer.json` and/or `vocab.txt`, `modules.json`,
/// `1_Pooling/config.json`, `sentence_bert_config.json`.
///
/// Reading the folder checks every configuration file; the weights are read by
/// ``BERTGraphBuilder`` (through ``graph()``), which checks their shapes against ``configuration``.
public struct SentenceTransformerFolder: Sendable {
  /// The folder.
  public let path: String
  /// The encoder's sizes.
  public let configuration: BERTConfiguration
  /// The pooling (mean, CLS or max; normalized or not).
  public let pooling: PoolingConfiguration
  /// The longest input in tokens, `[CLS]` and `[SEP]` included (`sentence_bert_config.json`'s
  /// `max_seq_length`, else the position-embedding size).
  public let maxSequenceLength: Int
  /// `tokenizer.json`, when present.
  public let tokenizerJSON: String?
  /// `vocab.txt`, when present.
  public let vocabulary: String?
  /// `sentence_bert_config.json`'s `do_lower_case` (nil when absent).
  public let lowercase: Bool?
  /// The weights file.
  public let weights: String

  /// True when `path` looks like a sentence-transformers or Hugging Face BERT folder
  /// (a directory with `config.json`).
  /// - Parameter path: a file or folder.
  public static func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
      && FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("config.json"))
  }

  /// Reads the folder's configuration files.
  /// - Parameter path: the folder.
  /// - Throws: ``EmbeddingModelError`` naming the file at fault: a missing folder, `config.json`
  ///   or `model.safetensors`; neither `tokenizer.json` nor `vocab.txt`; invalid JSON; an
  ///   unsupported model type or pooling mode.
  public init(contentsOf path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw EmbeddingModelError.missingFile(path: path, reason: "not a folder (a sentence-transformers model is a folder)")
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func exists(_ name: String) -> Bool { FileManager.default.isReadableFile(atPath: file(name)) }
    self.path = path
    configuration = try BERTConfiguration(contentsOf: file("config.json"))
    guard exists("model.safetensors") else {
      throw EmbeddingModelError.missingFile(
        path: file("model.safetensors"), reason: "missing (Tessera reads safetensors weights, not pytorch_model.bin)")
    }
    weights = file("model.safetensors")
    tokenizerJSON = exists("tokenizer.json") ? file("tokenizer.json") : nil
    vocabulary = exists("vocab.txt") ? file("vocab.txt") : nil
    guard tokenizerJSON != nil || vocabulary != nil else {
      throw EmbeddingModelError.missingFile(path: file("tokenizer.json"), reason: "missing, and there is no vocab.txt either")
    }
    var maxLength = configuration.maxPositions
    var lower: Bool? = nil
    if exists("sentence_bert_config.json") {
      let o = try JSONFile.object(at: file("sentence_bert_config.json"))
      maxLength = try JSONFile.int(o, "max_seq_length", path: file("sentence_bert_config.json"), default: maxLength)
      lower = o["do_lower_case"]?.bool
    }
    guard maxLength <= configuration.maxPositions else {
      throw EmbeddingModelError.invalidConfiguration(
        path: file("sentence_bert_config.json"),
        reason: "max_seq_length \(maxLength) exceeds max_position_embeddings \(configuration.maxPositions)")
    }
    maxSequenceLength = maxLength
    lowercase = lower
    pooling = try Self.readPooling(folder: path)
  }

  /// Reads `modules.json` and the pooling module's `config.json` (mean pooling, no
  /// normalization when `modules.json` is absent, as sentence-transformers does for a bare
  /// Hugging Face model).
  static func readPooling(folder: String) throws -> PoolingConfiguration {
    let modulesPath = (folder as NSString).appendingPathComponent("modules.json")
    guard FileManager.default.fileExists(atPath: modulesPath) else { return PoolingConfiguration(mode: .mean, normalize: false) }
    guard let data = FileManager.default.contents(atPath: modulesPath),
      let modules = try? JSONDecoder().decode(GraphValue.self, from: data).array
    else { throw EmbeddingModelError.invalidConfiguration(path: modulesPath, reason: "not a JSON array of modules") }
    var pooling = PoolingConfiguration(mode: .mean, normalize: false)
    for module in modules {
      guard let type = module.object?["type"]?.string else {
        throw EmbeddingModelError.invalidConfiguration(path: modulesPath, reason: "a module has no \"type\"")
      }
      let sub = module.object?["path"]?.string ?? ""
      switch type.split(separator: ".").last.map(String.init) ?? type {
      case "Transformer": continue
      case "Normalize": pooling.normalize = true
      case "Pooling":
        let configPath = ((folder as NSString).appendingPathComponent(sub) as NSString).appendingPathComponent("config.json")
        let o = try JSONFile.object(at: configPath)
        let modes: [(String, PoolingConfiguration.Mode)] = [
          ("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
        ]
        let on = modes.filter { o[$0.0]?.bool == true }
        if o["pooling_mode_mean_sqrt_len_tokens"]?.bool == true || o["pooling_mode_weightedmean_tokens"]?.bool == true
          || o["pooling_mode_lasttoken"]?.bool == true
        {
          throw EmbeddingModelError.unsupported("\(configPath): pooling modes other than mean, cls and max")
        }
        guard on.count == 1 else {
          throw EmbeddingModelError.unsupported("\(configPath): \(on.count) pooling modes enabled (exactly one is supported)")
        }
        pooling.mode = on[0].1
      default:
        throw EmbeddingModelError.unsupported("\(modulesPath): module \(type)")
      }
    }
    return pooling
  }

  /// The encoder and pooling as a graph IR (inputs `input_ids` and `attention_mask`, int64
  /// `[batch, sequence]`; output `sentence_embedding` float32 `[batch, hidden]`).
  /// - Throws: ``EmbeddingModelError`` when the weights are missing or disagree with the
  ///   configuration; `SafeTensorsError` for a corrupt weights file.
  public func graph() throws -> Graph {
    let file = try SafeTensorsFile(contentsOf: weights)
    var graph = try BERTGraphBuilder(configuration: configuration, pooling: pooling).build(weights: file)
    graph.name = (path as NSString).lastPathComponent
    graph.metadata["tessera.max_sequence_length"] = String(maxSequenceLength)
    return graph
  }
}
