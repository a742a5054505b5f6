#!/usr/bin/env python3
"""Builds the ONNX models Tessera's import tests and ONNX Runtime comparison use.

Everything is made here from the bundled digits (Models/data/mnist_5k.csv.gz, the same fixed split
as `tessera`: per class the first 400 rows train, the last 100 test), so nothing is downloaded:

  sklearn-mlp.onnx       an MLP trained by scikit-learn (MLPClassifier, 784-128-64-10, ReLU), written
                         with onnx.helper as Gemm/Relu nodes (input float32[batch, 784] in [0, 1])
  sklearn-mlp-qdq.onnx   ONNX Runtime's quantize_static QDQ version of it (uint8 activations, int8
                         per-channel weights, 512 calibration digits from the training split)
  resnet-bn.onnx         a residual CNN with BatchNorm (Conv-BN-ReLU stem, one residual block with an
                         Add, MaxPool, GlobalAveragePool, Gemm; input float32[batch, 1, 28, 28]):
                         seeded random convolutions and BatchNorm statistics, the final Gemm fitted
                         by logistic regression on those features
  resnet-bn-qdq.onnx     its quantize_static QDQ version
  data/<model>.inputs.npy / .ort.npy  64 test digits and ONNX Runtime's outputs (1 thread), for the
                         element-wise comparison tests

Usage: python3 scripts/onnx/build_models.py OUT_DIR [--data Models/data/mnist_5k.csv.gz]
Requires: numpy, onnx, onnxruntime, scikit-learn (pip install onnx onnxruntime scikit-learn).
"""
import argparse
import gzip
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def load_split(path):
    with gzip.open(path, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.float32)
    x, y = rows[:, :784] / 255.0, rows[:, 784].astype(np.int64)
    train, test = [], []
    for c in range(10):
        idx = np.nonzero(y == c)[0]
        n = len(idx) * 4 // 5
        train += list(idx[:n])
        test += list(idx[n:])
    train, test = np.array(sorted(train)), np.array(sorted(test))
    return x[train], y[train], x[test], y[test]


def save(model, path):
    onnx.checker.check_model(model)
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def sklearn_mlp(xtr, ytr):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(128, 64), activation="relu", max_iter=60, random_state=0)
    clf.fit(xtr, ytr)
    nodes, inits, x = [], [], "input"
    for i, (w, b) in enumerate(zip(clf.coefs_, clf.intercepts_)):
        inits += [numpy_helper.from_array(w.astype(np.float32), f"fc{i}.weight"),
                  numpy_helper.from_array(b.astype(np.float32), f"fc{i}.bias")]
        out = "logits" if i == len(clf.coefs_) - 1 else f"fc{i}"
        nodes.append(helper.make_node("Gemm", [x, f"fc{i}.weight", f"fc{i}.bias"], [out], name=f"fc{i}"))
        x = out
        if i < len(clf.coefs_) - 1:
            nodes.append(helper.make_node("Relu", [x], [f"relu{i}"], name=f"relu{i}"))
            x = f"relu{i}"
    graph = helper.make_graph(
        nodes, "sklearn-mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 784])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])], inits)
    model = helper.make_model(graph, producer_name="scikit-learn MLPClassifier via onnx.helper",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


def conv_bn(rng, name, cin, cout, x, nodes, inits, relu=True):
    w = rng.normal(0, np.sqrt(2.0 / (cin * 9)), (cout, cin, 3, 3)).astype(np.float32)
    inits += [numpy_helper.from_array(w, f"{name}.weight"),
              numpy_helper.from_array(rng.normal(0, 0.05, cout).astype(np.float32), f"{name}.bias"),
              numpy_helper.from_array(rng.uniform(0.5, 1.5, cout).astype(np.float32), f"{name}.bn.scale"),
              numpy_helper.from_array(rng.normal(0, 0.1, cout).astype(np.float32), f"{name}.bn.shift"),
              numpy_helper.from_array(rng.normal(0, 0.1, cout).astype(np.float32), f"{name}.bn.mean"),
              numpy_helper.from_array(rng.uniform(0.5, 2.0, cout).astype(np.float32), f"{name}.bn.var")]
    nodes.append(helper.make_node("Conv", [x, f"{name}.weight", f"{name}.bias"], [name], name=name,
                                  kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("BatchNormalization", [name] + [f"{name}.bn.{p}" for p in ("scale", "shift", "mean", "var")],
                                  [f"{name}.bn"], name=f"{name}.bn", epsilon=1e-5))
    if not relu:
        return f"{name}.bn"
    nodes.append(helper.make_node("Relu", [f"{name}.bn"], [f"{name}.relu"], name=f"{name}.relu"))
    return f"{name}.relu"


def fit_readout(model, xtr, ytr):
    """Trains the final Gemm on the frozen random features (logistic regression), so the residual
    CNN is a real classifier whose top-1 can be compared."""
    import onnxruntime as ort
    from sklearn.linear_model import LogisticRegression

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.append(helper.make_tensor_value_info("flat", TensorProto.FLOAT, ["batch", 8]))
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    features = session.run(["flat"], {"input": xtr.reshape(-1, 1, 28, 28)})[0]
    clf = LogisticRegression(max_iter=2000).fit(features, ytr)
    for init in model.graph.initializer:
        if init.name == "fc.weight":
            init.CopyFrom(numpy_helper.from_array(clf.coef_.astype(np.float32), "fc.weight"))
        if init.name == "fc.bias":
            init.CopyFrom(numpy_helper.from_array(clf.intercept_.astype(np.float32), "fc.bias"))
    return model


def resnet_bn(seed=7):
    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    x = conv_bn(rng, "stem", 1, 8, "input", nodes, inits)
    y = conv_bn(rng, "block.conv1", 8, 8, x, nodes, inits)
    y = conv_bn(rng, "block.conv2", 8, 8, y, nodes, inits, relu=False)
    nodes.append(helper.make_node("Add", [x, y], ["block.add"], name="block.add"))
    nodes.append(helper.make_node("Relu", ["block.add"], ["block.relu"], name="block.relu"))
    nodes.append(helper.make_node("MaxPool", ["block.relu"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2]))
    nodes.append(helper.make_node("GlobalAveragePool", ["pool"], ["gap"], name="gap"))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="flat", axis=1))
    inits += [numpy_helper.from_array(rng.normal(0, 0.5, (10, 8)).astype(np.float32), "fc.weight"),
              numpy_helper.from_array(rng.normal(0, 0.1, 10).astype(np.float32), "fc.bias")]
    nodes.append(helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1))
    graph = helper.make_graph(
        nodes, "resnet-bn",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])], inits)
    model = helper.make_model(graph, producer_name="tessera scripts/onnx/build_models.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


def quantize_qdq(src, dst, calibration, input_shape):
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.items = iter([{"input": calibration[i:i + 1].reshape(input_shape)} for i in range(len(calibration))])

        def get_next(self):
            return next(self.items, None)

    quantize_static(src, dst + ".tmp", Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    os.replace(dst + ".tmp", dst)


def ort_outputs(path, x):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../Models/data/mnist_5k.csv.gz"))
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
    xtr, ytr, xte, yte = load_split(args.data)
    calibration = xtr[:512]
    shapes = {"sklearn-mlp": (-1, 784), "resnet-bn": (-1, 1, 28, 28)}
    save(sklearn_mlp(xtr, ytr), os.path.join(args.out, "sklearn-mlp.onnx"))
    save(fit_readout(resnet_bn(), xtr, ytr), os.path.join(args.out, "resnet-bn.onnx"))
    for name, shape in shapes.items():
        src = os.path.join(args.out, f"{name}.onnx")
        quantize_qdq(src, os.path.join(args.out, f"{name}-qdq.onnx"), calibration, shape)
    for name in ["sklearn-mlp", "sklearn-mlp-qdq", "resnet-bn", "resnet-bn-qdq"]:
        x = xte[::16][:64].reshape(shapes[name.replace("-qdq", "")]).astype(np.float32)
        np.save(os.path.join(args.out, "data", f"{name}.inputs.npy"), x)
        np.save(os.path.join(args.out, "data", f"{name}.ort.npy"), ort_outputs(os.path.join(args.out, f"{name}.onnx"), x))
        full = ort_outputs(os.path.join(args.out, f"{name}.onnx"), xte.reshape(shapes[name.replace("-qdq", "")]))
        print(f"{name}: ONNX Runtime top-1 on the {len(yte)} test digits = {np.mean(full.argmax(1) == yte) * 100:.2f} %")


if __name__ == "__main__":
    sys.exit(main())
