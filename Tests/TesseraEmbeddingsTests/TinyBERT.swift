import Foundation
import TesseraGraph

@testable import TesseraEmbeddings

/// A small random BERT written as a sentence-transformers folder, for tests without the
/// pretrained model.
enum TinyBERT {
  static let configuration = BERTConfiguration(
    vocabularySize: 40, hiddenSize: 8, layers: 2, heads: 2, intermediateSize: 16, maxPositions: 24, typeVocabularySize: 2,
    layerNormEpsilon: 1e-12)

  /// Writes the folder (config.json, model.safetensors, vocab.txt, modules.json, 1_Pooling) and returns its path.
  /// - Parameters:
  ///   - c: the sizes the weights have.
  ///   - configOverride: config.json fields written instead of `c`'s (to make them disagree).
  ///   - seed: random seed of the weights.
  static func write(_ c: BERTConfiguration, configOverride: [String: Int] = [:], seed: UInt64 = 7) throws -> String {
    let dir = NSTemporaryDirectory() + "tessera-tinybert-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/1_Pooling", withIntermediateDirectories: true)
    var config: [String: Any] = [
      "model_type": "bert", "vocab_size": c.vocabularySize, "hidden_size": c.hiddenSize, "num_hidden_layers": c.layers,
      "num_attention_heads": c.heads, "intermediate_size": c.intermediateSize, "max_position_embeddings": c.maxPositions,
      "type_vocab_size": c.typeVocabularySize, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
    ]
    for (k, v) in configOverride { config[k] = v }
    try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/config.json"))
    try Data(#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},{"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]"#.utf8)
      .write(to: URL(fileURLWithPath: dir + "/modules.json"))
    try Data(#"{"word_embedding_dimension":8,"pooling_mode_mean_tokens":true,"pooling_mode_cls_token":false,"pooling_mode_max_tokens":false}"#.utf8)
      .write(to: URL(fileURLWithPath: dir + "/1_Pooling/config.json"))
    let special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    let words = special + (0..<(c.vocabularySize - special.count)).map { "w\($0)" }
    try Data(words.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir + "/vocab.txt"))
    try Data(#"{"max_seq_length": 24, "do_lower_case": true}"#.utf8).write(to: URL(fileURLWithPath: dir + "/sentence_bert_config.json"))

    var state = seed
    func random(_ count: Int, scale: Float = 0.3) -> [Float] {
      (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
      }
    }
    var file = SafeTensorsFile()
    let h = c.hiddenSize
    func put(_ name: String, _ shape: [Int], ones: Bool = false) throws {
      let n = shape.reduce(1, *)
      file[graphTensor: name] = try GraphTensor(float32: ones ? random(n, scale: 0.1).map { 1 + $0 } : random(n), shape: shape)
    }
    try put("embeddings.word_embeddings.weight", [c.vocabularySize, h])
    try put("embeddings.position_embeddings.weight", [c.maxPositions, h])
    try put("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])
    try put("embeddings.LayerNorm.weight", [h], ones: true)
    try put("embeddings.LayerNorm.bias", [h])
    for i in 0..<c.layers {
      let p = "encoder.layer.\(i)."
      for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
        try put(p + name + ".weight", [h, h])
        try put(p + name + ".bias", [h])
      }
      try put(p + "intermediate.dense.weight", [c.intermediateSize, h])
      try put(p + "intermediate.dense.bias", [c.intermediateSize])
      try put(p + "output.dense.weight", [h, c.intermediateSize])
      try put(p + "output.dense.bias", [h])
      for ln in ["attention.output.LayerNorm", "output.LayerNorm"] {
        try put(p + ln + ".weight", [h], ones: true)
        try put(p + ln + ".bias", [h])
      }
    }
    try file.write(to: dir + "/model.safetensors")
    return dir
  }
}
