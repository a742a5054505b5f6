import Foundation
import Testing

@testable import TesseraText

@Suite("WordPiece tokenizer on a handmade vocabulary")
struct WordPieceTokenizerTests {
  @Test("greedy longest match first, ## continuations, [CLS] and [SEP] around")
  func greedyLongestMatch() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    #expect(pieces(tokenizer, "unaffable") == ["un", "##aff", "##able"])
    #expect(pieces(tokenizer, "ab") == ["a", "##b"])
    #expect(pieces(tokenizer, "worlds hello") == ["world", "##s", "hello"])
    let encoding = tokenizer.encode("hello world")
    #expect(encoding.ids == [2, 21, 22, 3])
    #expect(encoding.tokens == ["[CLS]", "hello", "world", "[SEP]"])
    #expect(encoding.attentionMask == [1, 1, 1, 1])
    #expect(encoding.typeIds == [0, 0, 0, 0])
    #expect(tokenizer.clsId == 2 && tokenizer.sepId == 3 && tokenizer.unkId == 1 && tokenizer.padId == 0)
    #expect(tokenizer.vocabularySize == tinyVocabulary.count)
  }

  @Test("a word that cannot be covered, or is too long, is one [UNK]")
  func unknownWords() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder, maxInputCharactersPerWord: 5)
    #expect(pieces(tokenizer, "abz hello") == ["[UNK]", "hello"])
    #expect(pieces(tokenizer, "zab") == ["[UNK]"])
    #expect(pieces(tokenizer, "xxxxx") == ["x", "##x", "##x", "##x", "##x"])
    #expect(pieces(tokenizer, "xxxxxx") == ["[UNK]"])
  }

  @Test("punctuation is split off, whitespace and controls separate or vanish")
  func punctuationAndWhitespace() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    #expect(pieces(tokenizer, "hello,world!") == ["hello", ",", "world", "!"])
    #expect(pieces(tokenizer, "hello\tworld\u{00A0}a\u{2028}b") == ["hello", "world", "a", "b"])
    #expect(pieces(tokenizer, "hel\u{0}lo wor\u{200B}ld\u{FFFD}") == ["hello", "world"])
    #expect(pieces(tokenizer, "  \n ").isEmpty)
    #expect(tokenizer.encode("").ids == [2, 3])
  }

  @Test("CJK ideographs are words of their own")
  func chineseCharacters() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    #expect(pieces(tokenizer, "hello中文world") == ["hello", "中", "文", "world"])
  }

  @Test("accents are stripped when lowercasing (or when asked), kept otherwise")
  func accents() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let lower = try tinyTokenizer(in: folder)
    #expect(pieces(lower, "Café CAFE\u{301}") == ["cafe", "cafe"])
    let keep = try tinyTokenizer(in: folder, lowercase: true, stripAccents: false)
    #expect(pieces(keep, "Café") == ["[UNK]"])
    let cased = try tinyTokenizer(in: folder, lowercase: false)
    #expect(pieces(cased, "cafe Hello") == ["cafe", "[UNK]"])
    let casedStripped = try tinyTokenizer(in: folder, lowercase: false, stripAccents: true)
    #expect(pieces(casedStripped, "café") == ["cafe"])
  }

  @Test("special tokens in the raw text are matched before normalization")
  func specialTokensInText() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    #expect(pieces(tokenizer, "hello[MASK]world") == ["hello", "[MASK]", "world"])
    #expect(pieces(tokenizer, "[mask]") == ["[UNK]", "[UNK]", "[UNK]"])
  }

  @Test("truncation keeps [CLS] and [SEP] and drops the text's last tokens")
  func truncation() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    var tokenizer = try tinyTokenizer(in: folder)
    #expect(tokenizer.encode("hello world hello world", maxLength: 4).ids == [2, 21, 22, 3])
    #expect(tokenizer.encode("hello world", maxLength: 2).ids == [2, 3])
    #expect(tokenizer.encode("hello", maxLength: 10).ids == [2, 21, 3])
    tokenizer.truncation = Truncation(maxLength: 3)
    #expect(tokenizer.encode("hello world").ids == [2, 21, 3])
    tokenizer.truncation = Truncation(maxLength: 3, side: .left)
    #expect(tokenizer.encode("hello world").ids == [2, 22, 3])
  }

  @Test("a batch is padded to its longest text; fixed padding pads single encodings too")
  func batchPadding() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    var tokenizer = try tinyTokenizer(in: folder)
    let batch = tokenizer.encode(batch: ["hello world", "a", "hello world hello world"], maxLength: 5)
    #expect(batch.count == 3 && batch.sequenceLength == 5)
    #expect(batch.ids == [2, 21, 22, 3, 0, 2, 11, 3, 0, 0, 2, 21, 22, 21, 3])
    #expect(batch.attentionMask == [1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
    #expect(batch.lengths == [4, 3, 5])
    #expect(tokenizer.encode(batch: []).ids.isEmpty)
    tokenizer.padding = Padding(length: .fixed(6), padId: 0)
    let encoding = tokenizer.encode("a")
    #expect(encoding.ids == [2, 11, 3, 0, 0, 0])
    #expect(encoding.tokens == ["[CLS]", "a", "[SEP]", "[PAD]", "[PAD]", "[PAD]"])
    #expect(encoding.attentionMask == [1, 1, 1, 0, 0, 0])
    #expect(encoding.length == 3)
    #expect(tokenizer.encode(batch: ["a"]).sequenceLength == 6)
  }

  @Test("a 100,000-character line tokenizes and truncates")
  func longLine() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder)
    let words = String(repeating: "hello world, unaffable ", count: 100_000 / 23 + 1)
    let encoding = tokenizer.encode(words, maxLength: 128)
    #expect(encoding.ids.count == 128)
    #expect(encoding.ids.first == 2 && encoding.ids.last == 3)
    let oneWord = String(repeating: "x", count: 100_000)
    #expect(tokenizer.encode(oneWord).ids == [2, 1, 3])
    #expect(tokenizer.tokenIds(words).count == (100_000 / 23 + 1) * 6)
  }

  @Test("emoji and combining sequences are split per scalar, not per grapheme")
  func scalarsNotGraphemes() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let tokenizer = try tinyTokenizer(in: folder, lowercase: false)
    // "a" + U+0301 is one Character but two scalars; without stripping it is an unknown word.
    #expect(pieces(tokenizer, "a\u{301}") == ["[UNK]"])
    // A flag is one Character and two regional-indicator scalars; "!" after it is punctuation.
    #expect(pieces(tokenizer, "🇫🇷!") == ["[UNK]", "!"])
  }
}
