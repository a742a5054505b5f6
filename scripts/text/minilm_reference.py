#!/usr/bin/env python3
"""Reference sentence embeddings for a BERT sentence-transformers folder, in float64 numpy.

Usage: minilm_reference.py MODEL_DIR TEXTS.txt OUT.npy [--max-length N] [--raw]

Written from the architecture (BERT encoder, post-LayerNorm, erf GELU, mean pooling
over the attention mask, L2 normalization when modules.json lists Normalize), not
from Tessera's code, so it is an independent check. Token ids come from the Hugging
Face `tokenizers` package reading the folder's tokenizer.json. Each text is encoded
alone (no padding), so padding/masking in Tessera is checked too.
"""
import argparse
import json
import math
import os

import numpy as np
from safetensors.numpy import load_file


try:
    from scipy.special import erf  # vectorized, double precision
except ImportError:  # pragma: no cover - slower, same values
    def erf(x):
        return np.vectorize(math.erf)(x)


def layer_norm(x, g, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


class Bert:
    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            self.config = json.load(f)
        w = load_file(os.path.join(folder, "model.safetensors"))
        # Linear weights are [out, in]; keep them transposed and contiguous for x @ W^T.
        self.w = {k.removeprefix("bert."): np.ascontiguousarray(v.T if k.endswith("dense.weight") or
                  k.endswith(("query.weight", "key.weight", "value.weight")) else v, dtype=np.float64)
                  for k, v in w.items()}
        modules = json.load(open(os.path.join(folder, "modules.json")))
        self.normalize = any(m["type"].endswith("Normalize") for m in modules)

    def embed(self, ids):
        c, w = self.config, self.w
        h, heads = c["hidden_size"], c["num_attention_heads"]
        d, eps = h // heads, c["layer_norm_eps"]
        s = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:s]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            lin = lambda t, name: t @ w[p + name + ".weight"] + w[p + name + ".bias"]
            q = lin(x, "attention.self.query").reshape(s, heads, d).transpose(1, 0, 2)
            k = lin(x, "attention.self.key").reshape(s, heads, d).transpose(1, 0, 2)
            v = lin(x, "attention.self.value").reshape(s, heads, d).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            probs = scores / scores.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(1, 0, 2).reshape(s, h)
            a = layer_norm(lin(ctx, "attention.output.dense") + x,
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            m = lin(a, "intermediate.dense")
            m = 0.5 * m * (1.0 + erf(m / math.sqrt(2.0)))
            x = layer_norm(lin(m, "output.dense") + a,
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        e = x.mean(0)
        if self.normalize:
            e = e / max(np.linalg.norm(e), 1e-12)
        return e


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("texts")
    parser.add_argument("out")
    parser.add_argument("--max-length", type=int, default=None,
                        help="tokens per text incl. [CLS]/[SEP] (default: sentence_bert_config.json's max_seq_length)")
    parser.add_argument("--raw", action="store_true",
                        help="write raw little-endian float32 (count x dimension) instead of .npy")
    args = parser.parse_args()
    from tokenizers import Tokenizer
    max_length = args.max_length
    if max_length is None:
        cfg = os.path.join(args.model, "sentence_bert_config.json")
        max_length = json.load(open(cfg)).get("max_seq_length", 512) if os.path.exists(cfg) else 512
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length)
    bert = Bert(args.model)
    with open(args.texts, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    out = np.stack([bert.embed(tok.encode(t).ids) for t in texts]).astype(np.float32)
    tmp = args.out + ".tmp"
    if args.raw:
        out.astype("<f4").tofile(tmp)
    else:
        with open(tmp, "wb") as f:
            np.save(f, out)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
