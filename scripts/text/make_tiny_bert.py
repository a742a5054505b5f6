#!/usr/bin/env python3
"""Writes a small random BERT as a sentence-transformers folder (for CLI tests).

Usage: make_tiny_bert.py OUT_DIR [--hidden 8] [--config-hidden N] [--no-unk] [--tokenizer-json]

--config-hidden writes a config.json whose hidden_size disagrees with the weights;
--no-unk leaves [UNK] out of vocab.txt; --tokenizer-json also writes a Hugging Face tokenizer.json
(BERT normalizer and pre-tokenizer, WordPiece, [CLS] … [SEP]) for the same vocabulary.
"""
import argparse
import json
import os

import numpy as np
from safetensors.numpy import save_file


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--hidden", type=int, default=8)
    p.add_argument("--config-hidden", type=int)
    p.add_argument("--no-unk", action="store_true")
    p.add_argument("--tokenizer-json", action="store_true")
    a = p.parse_args()
    h, inter, layers, vocab, positions = a.hidden, 2 * a.hidden, 2, 40, 24
    os.makedirs(os.path.join(a.out, "1_Pooling"), exist_ok=True)
    rng = np.random.default_rng(3)
    w = {
        "embeddings.word_embeddings.weight": rng.normal(0, 0.3, (vocab, h)),
        "embeddings.position_embeddings.weight": rng.normal(0, 0.3, (positions, h)),
        "embeddings.token_type_embeddings.weight": rng.normal(0, 0.3, (2, h)),
        "embeddings.LayerNorm.weight": np.ones(h), "embeddings.LayerNorm.bias": np.zeros(h),
    }
    for i in range(layers):
        q = f"encoder.layer.{i}."
        for n in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
            w[q + n + ".weight"], w[q + n + ".bias"] = rng.normal(0, 0.3, (h, h)), np.zeros(h)
        w[q + "intermediate.dense.weight"], w[q + "intermediate.dense.bias"] = rng.normal(0, 0.3, (inter, h)), np.zeros(inter)
        w[q + "output.dense.weight"], w[q + "output.dense.bias"] = rng.normal(0, 0.3, (h, inter)), np.zeros(h)
        for n in ["attention.output.LayerNorm", "output.LayerNorm"]:
            w[q + n + ".weight"], w[q + n + ".bias"] = np.ones(h), np.zeros(h)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in w.items()}, os.path.join(a.out, "model.safetensors"))
    config = {"model_type": "bert", "vocab_size": vocab, "hidden_size": a.config_hidden or h, "num_hidden_layers": layers,
              "num_attention_heads": 2, "intermediate_size": inter, "max_position_embeddings": positions,
              "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}
    json.dump(config, open(os.path.join(a.out, "config.json"), "w"))
    json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
              open(os.path.join(a.out, "modules.json"), "w"))
    json.dump({"word_embedding_dimension": h, "pooling_mode_mean_tokens": True}, open(os.path.join(a.out, "1_Pooling", "config.json"), "w"))
    json.dump({"max_seq_length": positions, "do_lower_case": True}, open(os.path.join(a.out, "sentence_bert_config.json"), "w"))
    special = ["[PAD]", "[CLS]", "[SEP]", "[MASK]"] + ([] if a.no_unk else ["[UNK]"])
    words = special + [f"w{i}" for i in range(vocab - len(special))]
    open(os.path.join(a.out, "vocab.txt"), "w").write("\n".join(words) + "\n")
    if a.tokenizer_json:
        json.dump(tokenizer_json(words, special), open(os.path.join(a.out, "tokenizer.json"), "w"))


def tokenizer_json(words, special):
    """A minimal tokenizer.json in the format the `tokenizers` package writes for BERT."""
    ids = {w: i for i, w in enumerate(words)}
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t in special],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


if __name__ == "__main__":
    main()
