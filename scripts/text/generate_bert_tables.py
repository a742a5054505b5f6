#!/usr/bin/env python3
"""Writes Sources/TesseraText/BertCharacterTables.swift from Hugging Face `tokenizers` itself.

HF's BertNormalizer and BertPreTokenizer classify characters with the `unicode_categories` crate,
whose tables are older than the Unicode version of Swift's standard library (and of Python's
unicodedata). To give the same ids, Tessera uses HF's classification, read back by running every
code point through HF's normalizer and pre-tokenizer:

  control      removed by clean_text (HF's Cc, Cf, Co, plus U+0000 and U+FFFD; tab, LF, CR excluded)
  whitespace   mapped to a space by clean_text and split on by the pre-tokenizer
  punctuation  isolated by BertPreTokenizer (ASCII punctuation plus HF's category P*)
  mark         dropped by strip_accents after NFD (HF's category Mn)

Usage: python3 scripts/text/generate_bert_tables.py [OUT.swift]   (needs `pip install tokenizers`)
"""
import sys
import tokenizers
from tokenizers import normalizers, pre_tokenizers

CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def normalized(normalizer, sep):
    """Maps every code point but `sep` to its output through `normalizer`; characters are joined
    with `sep`, which the normalizer must keep and never produce."""
    result = {}
    points = [c for c in CODE_POINTS if c != ord(sep)]
    for i in range(0, len(points), 5000):
        chunk = points[i:i + 5000]
        out = normalizer.normalize_str(sep.join(chr(c) for c in chunk)).split(sep)
        assert len(out) == len(chunk)
        result.update(zip(chunk, out))
    return result


def ranges(code_points):
    """Closed ranges [start, end] covering the sorted code points."""
    out = []
    for c in sorted(code_points):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def swift_array(name, doc, code_points):
    pairs = ranges(code_points)
    body = ",\n".join(
        "  " + ", ".join(f"0x{a:X}, 0x{b:X}" for a, b in pairs[i:i + 4]) for i in range(0, len(pairs), 4))
    return f"{doc}\nlet {name}: [UInt32] = [\n{body},\n]\n"


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "Sources/TesseraText/BertCharacterTables.swift"
    clean = normalized(normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False), "a")
    control = {c for c, o in clean.items() if o == ""}
    whitespace = {c for c, o in clean.items() if o == " "}
    strip = normalized(normalizers.BertNormalizer(
        clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False), "\x01")
    marks = {c for c, o in strip.items() if o == ""}
    pre = pre_tokenizers.BertPreTokenizer()
    punctuation = set()
    plain = [c for c in CODE_POINTS if c not in control and c not in whitespace and c != ord("a")]
    for i in range(0, len(plain), 5000):
        words = pre.pre_tokenize_str("a".join(chr(c) for c in plain[i:i + 5000]))
        punctuation |= {ord(w) for w, _ in words if w != "a" and len(w) == 1}

    parts = [
        "// Auto-generated file. Do not edit!\n"
        f"// Generator: scripts/text/generate_bert_tables.py (Hugging Face tokenizers {tokenizers.__version__}).\n"
        "// Each table is a sorted list of closed code-point ranges: start0, end0, start1, end1, ...\n",
        swift_array("bertControlRanges",
                    "/// Code points BertNormalizer's clean_text removes (HF's Cc, Cf, Co, U+0000, U+FFFD).", control),
        swift_array("bertWhitespaceRanges",
                    "/// Code points clean_text maps to a space and BertPreTokenizer splits on.", whitespace | {0x20}),
        swift_array("bertPunctuationRanges",
                    "/// Code points BertPreTokenizer isolates (ASCII punctuation and HF's category P*).", punctuation),
        swift_array("bertNonspacingMarkRanges",
                    "/// Code points strip_accents drops after NFD (HF's category Mn).", marks),
    ]
    with open(out_path, "w") as f:
        f.write("\n".join(parts))
    print(f"wrote {out_path}: control {len(control)}, whitespace {len(whitespace | {0x20})}, "
          f"punctuation {len(punctuation)}, marks {len(marks)}")


if __name__ == "__main__":
    main()
