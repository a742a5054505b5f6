/// The parts of a Hugging Face `tokenizer.json` that a BERT WordPiece tokenizer uses.
struct TokenizerJSON: Decodable {
  struct AddedToken: Decodable {
    var id: Int32
    var content: String
    var normalized: Bool?
  }

  struct Normalizer: Decodable {
    var type: String
    var clean_text: Bool?
    var handle_chinese_chars: Bool?
    var strip_accents: Bool?
    var lowercase: Bool?
  }

  struct PreTokenizer: Decodable {
    var type: String
  }

  struct Model: Decodable {
    var type: String?
    var vocab: [String: Int32]?
    var unk_token: String?
    var continuing_subword_prefix: String?
    var max_input_chars_per_word: Int?
  }

  /// One item of a TemplateProcessing template: `{"SpecialToken": {"id": "[CLS]"}}` or
  /// `{"Sequence": {"id": "A"}}`.
  struct TemplateItem: Decodable {
    struct Special: Decodable { var id: String }
    struct Sequence: Decodable { var id: String }
    var SpecialToken: Special?
    var Sequence: Sequence?
  }

  struct SpecialTokenIds: Decodable {
    var ids: [Int32]
  }

  struct PostProcessor: Decodable {
    var type: String
    /// TemplateProcessing.
    var single: [TemplateItem]?
    var special_tokens: [String: SpecialTokenIds]?
    /// BertProcessing / RobertaProcessing: `["[SEP]", 102]`.
    var sep: TokenAndId?
    var cls: TokenAndId?
  }

  /// A `[token, id]` pair.
  struct TokenAndId: Decodable {
    var token: String
    var id: Int32
    init(from decoder: any Decoder) throws {
      var container = try decoder.unkeyedContainer()
      token = try container.decode(String.self)
      id = try container.decode(Int32.self)
    }
  }

  struct TruncationJSON: Decodable {
    var max_length: Int
    var direction: String?
  }

  struct PaddingJSON: Decodable {
    /// `"BatchLongest"` or `{"Fixed": 128}`.
    enum Strategy: Decodable {
      case batchLongest
      case fixed(Int)
      init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
          guard name == "BatchLongest" else {
            throw DecodingError.dataCorrupted(
              .init(codingPath: decoder.codingPath, debugDescription: "unknown padding strategy \(name)"))
          }
          self = .batchLongest
        } else {
          self = .fixed(try decoder.singleValueContainer().decode([String: Int].self)["Fixed"] ?? 0)
        }
      }
    }
    var strategy: Strategy?
    var direction: String?
    var pad_to_multiple_of: Int?
    var pad_id: Int32?
    var pad_token: String?
  }

  var added_tokens: [AddedToken]?
  var normalizer: Normalizer?
  var pre_tokenizer: PreTokenizer?
  var model: Model
  var post_processor: PostProcessor?
  var truncation: TruncationJSON?
  var padding: PaddingJSON?
}
