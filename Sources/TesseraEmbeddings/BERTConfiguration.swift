import TesseraGraph

/// The sizes of a BERT encoder, as Hugging Face's `config.json` gives them.
public struct BERTConfiguration: Sendable, Equatable {
  /// Tokens in the vocabulary (rows of the word embedding).
  public var vocabularySize: Int
  /// Width of every token's hidden state.
  public var hiddenSize: Int
  /// Encoder layers.
  public var layers: Int
  /// Attention heads per layer (`hiddenSize` must be a multiple).
  public var heads: Int
  /// Width of the feed-forward layer.
  public var intermediateSize: Int
  /// Rows of the position embedding (the longest input).
  public var maxPositions: Int
  /// Rows of the token-type embedding.
  public var typeVocabularySize: Int
  /// LayerNorm epsilon.
  public var layerNormEpsilon: Float
  /// The feed-forward activation: `gelu` (erf) or `gelu_new`/`gelu_pytorch_tanh` (tanh form).
  public var activation: String

  /// Width of one attention head.
  public var headSize: Int { hiddenSize / heads }

  /// Makes a configuration.
  public init(
    vocabularySize: Int, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int,
    maxPositions: Int = 512, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12, activation: String = "gelu"
  ) {
    self.vocabularySize = vocabularySize
    self.hiddenSize = hiddenSize
    self.layers = layers
    self.heads = heads
    self.intermediateSize = intermediateSize
    self.maxPositions = maxPositions
    self.typeVocabularySize = typeVocabularySize
    self.layerNormEpsilon = layerNormEpsilon
    self.activation = activation
  }

  /// Reads `config.json`.
  /// - Parameter path: the file.
  /// - Throws: ``EmbeddingModelError`` for a missing file, a missing or bad field, a model type
  ///   other than BERT-like encoders, sizes that do not fit (heads not dividing the width) or an
  ///   unknown activation.
  public init(contentsOf path: String) throws {
    let o = try JSONFile.object(at: path)
    let type = o["model_type"]?.string ?? "bert"
    guard type == "bert" else {
      throw EmbeddingModelError.unsupported("\(path): model_type \"\(type)\" (only \"bert\" weights are mapped so far)")
    }
    if let p = o["position_embedding_type"]?.string, p != "absolute" {
      throw EmbeddingModelError.unsupported("\(path): position_embedding_type \"\(p)\" (only \"absolute\")")
    }
    self.init(
      vocabularySize: try JSONFile.int(o, "vocab_size", path: path),
      hiddenSize: try JSONFile.int(o, "hidden_size", path: path),
      layers: try JSONFile.int(o, "num_hidden_layers", path: path),
      heads: try JSONFile.int(o, "num_attention_heads", path: path),
      intermediateSize: try JSONFile.int(o, "intermediate_size", path: path),
      maxPositions: try JSONFile.int(o, "max_position_embeddings", path: path, default: 512),
      typeVocabularySize: try JSONFile.int(o, "type_vocab_size", path: path, default: 2),
      layerNormEpsilon: Float(o["layer_norm_eps"]?.double ?? 1e-12),
      activation: o["hidden_act"]?.string ?? "gelu")
    try check(path: path)
  }

  /// Throws when the sizes cannot describe an encoder.
  func check(path: String) throws {
    guard hiddenSize % heads == 0 else {
      throw EmbeddingModelError.invalidConfiguration(
        path: path, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(heads)")
    }
    guard ["gelu", "gelu_new", "gelu_pytorch_tanh"].contains(activation) else {
      throw EmbeddingModelError.unsupported("\(path): hidden_act \"\(activation)\" (gelu, gelu_new, gelu_pytorch_tanh)")
    }
    guard layerNormEpsilon.isFinite, layerNormEpsilon > 0 else {
      throw EmbeddingModelError.invalidConfiguration(path: path, reason: "layer_norm_eps must be a positive number")
    }
  }
}
