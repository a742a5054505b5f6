#!/usr/bin/env python3
"""Accuracy of Tessera's sentence embeddings, float and dynamic int8, beside ONNX Runtime.

Usage: embedding_accuracy.py TESSERA MODEL_DIR [--count 1000] [--work DIR] [--json OUT]

Steps (every file under --work, default a temp folder):
 1. texts: --count real English texts from Debian's fortunes (scripts/text/fortunes_corpus.py);
 2. reference: float64 numpy BERT from the model card's architecture (minilm_reference.py);
 3. Tessera: `tessera embed MODEL_DIR` float and `--quantization dynamic-int8` (JSON);
 4. ONNX Runtime 1 thread: `tessera export MODEL_DIR` run as is (float), and its
    `onnxruntime.quantization.quantize_dynamic` (default settings: int8 weights per tensor,
    uint8 activations per tensor);
 5. cosines: float vs reference; int8 vs float (Tessera's own float; ORT int8 vs ORT float);
    top-10 nearest-neighbour overlap with float (each text as a query over all the others).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def tessera_embed(tessera, model, texts, extra):
    out = run([tessera, "embed", model, "--input", texts, "--format", "json", "--quiet", "--batch", "32"] + extra,
              stdout=subprocess.PIPE).stdout
    return np.array(json.loads(out)["embeddings"], dtype=np.float64)


def ort_embed(onnx_path, tokenizer_json, texts, max_length):
    import onnxruntime as ort
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_padding()
    tok.enable_truncation(max_length)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    rows = []
    for t in texts:
        ids = np.array([tok.encode(t).ids], dtype=np.int64)
        rows.append(session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0])
    return np.array(rows, dtype=np.float64)


def ort_quantize_static(onnx_float, out, tokenizer_json, calibration, max_length):
    """ONNX Runtime's static QDQ quantization (per-channel weights, MinMax activations) calibrated
    on the same texts; None when this onnxruntime cannot do it."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_padding()
    tok.enable_truncation(max_length)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.rows = iter(calibration)

        def get_next(self):
            t = next(self.rows, None)
            if t is None:
                return None
            ids = np.array([tok.encode(t).ids], dtype=np.int64)
            return {"input_ids": ids, "attention_mask": np.ones_like(ids)}

    try:
        quantize_static(onnx_float, out, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"])
    except Exception as e:  # noqa: BLE001 — report and go on without the peer
        print(f"SKIPPED: ONNX Runtime quantize_static failed: {e}", file=sys.stderr)
        return None
    return out


def cosines(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def top10_overlap(base, other):
    def neighbours(e):
        e = e / np.linalg.norm(e, axis=1, keepdims=True)
        s = e @ e.T
        np.fill_diagonal(s, -np.inf)
        return np.argsort(-s, axis=1)[:, :10]
    a, b = neighbours(base), neighbours(other)
    return float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, b)]))


def summary(c):
    return {"median": float(np.median(c)), "min": float(np.min(c)), "mean": float(np.mean(c))}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("tessera")
    p.add_argument("model")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--work")
    p.add_argument("--json")
    p.add_argument("--static", action="store_true",
                   help="also static (calibrated) int8, with and without SmoothQuant, and ORT quantize_static")
    p.add_argument("--calibration-count", type=int, default=512,
                   help="calibration texts for --static (the fortunes right after the evaluation texts)")
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="tessera-embed-acc-")
    os.makedirs(work, exist_ok=True)
    texts_path = os.path.join(work, "texts.txt")
    all_path = os.path.join(work, "all-texts.txt")
    run([sys.executable, os.path.join(HERE, "fortunes_corpus.py"), all_path, "--count",
         str(args.count + args.calibration_count)])
    lines = open(all_path, encoding="utf-8").read().split("\n")[:-1]
    texts, calibration = lines[:args.count], lines[args.count:]
    for path, rows in ((texts_path, texts), (os.path.join(work, "calibration.txt"), calibration)):
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(r + "\n" for r in rows))
    ref_path = os.path.join(work, "reference.npy")
    if not os.path.exists(ref_path):
        run([sys.executable, os.path.join(HERE, "minilm_reference.py"), args.model, texts_path, ref_path],
            env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    reference = np.load(ref_path).astype(np.float64)
    max_length = json.load(open(os.path.join(args.model, "sentence_bert_config.json")))["max_seq_length"]

    results = {"count": len(texts)}
    ours_float = tessera_embed(args.tessera, args.model, texts_path, [])
    ours_int8 = tessera_embed(args.tessera, args.model, texts_path, ["--quantization", "dynamic-int8"])
    results["tessera_float_vs_reference"] = summary(cosines(ours_float, reference))
    results["tessera_int8_vs_float"] = summary(cosines(ours_int8, ours_float))
    results["tessera_int8_top10_overlap"] = top10_overlap(ours_float, ours_int8)

    onnx_float = os.path.join(work, "model.onnx")
    onnx_int8 = os.path.join(work, "model-int8.onnx")
    onnx_int8_pc = os.path.join(work, "model-int8-per-channel.onnx")
    run([args.tessera, "export", args.model, "--out", onnx_float, "--quiet"], stdout=subprocess.DEVNULL)
    from onnxruntime.quantization import quantize_dynamic
    quantize_dynamic(onnx_float, onnx_int8)
    quantize_dynamic(onnx_float, onnx_int8_pc, per_channel=True)
    tokenizer = os.path.join(args.model, "tokenizer.json")
    ort_float = ort_embed(onnx_float, tokenizer, texts, max_length)
    ort_int8 = ort_embed(onnx_int8, tokenizer, texts, max_length)
    results["ort_float_vs_reference"] = summary(cosines(ort_float, reference))
    results["ort_float_vs_tessera_float"] = summary(cosines(ort_float, ours_float))
    results["ort_int8_vs_float"] = summary(cosines(ort_int8, ort_float))
    results["ort_int8_top10_overlap"] = top10_overlap(ort_float, ort_int8)
    ort_int8_pc = ort_embed(onnx_int8_pc, tokenizer, texts, max_length)
    results["ort_int8_per_channel_vs_float"] = summary(cosines(ort_int8_pc, ort_float))
    results["ort_int8_per_channel_top10_overlap"] = top10_overlap(ort_float, ort_int8_pc)
    if args.static:
        calibration_path = os.path.join(work, "calibration.txt")
        for label, extra in (("static_smoothquant", []), ("static", ["--smoothquant", "off"])):
            path = os.path.join(work, f"model-{label}.safetensors")
            run([args.tessera, "quantize", args.model, "--calibration-text", calibration_path, "--out", path,
                 "--quiet"] + extra, stdout=subprocess.DEVNULL)
            emb = tessera_embed(args.tessera, path, texts_path, [])
            results[f"tessera_{label}_vs_float"] = summary(cosines(emb, ours_float))
            results[f"tessera_{label}_top10_overlap"] = top10_overlap(ours_float, emb)
        ort_static = ort_quantize_static(onnx_float, os.path.join(work, "model-int8-static.onnx"), tokenizer,
                                         calibration, max_length)
        if ort_static is not None:
            emb = ort_embed(ort_static, tokenizer, texts, max_length)
            results["ort_static_per_channel_vs_float"] = summary(cosines(emb, ort_float))
            results["ort_static_per_channel_top10_overlap"] = top10_overlap(ort_float, emb)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
