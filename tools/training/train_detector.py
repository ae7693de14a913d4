#!/usr/bin/python3
"""Train a gesture detector from labelled sensor logs, and write it in the native format.

  /usr/bin/python3 tools/training/train_detector.py LOG.csv [LOG.csv ...] --out detector.json \
      --rate 100 [--label-column label] [--background idle]

Each CSV has a header; every column but the label column is a sensor input (one frame per
row). A CSV without a label column holds one class, named after the file (shake.csv). The model is a GRU stack -> Dense -> softmax over the class names found in the labels.
Per-input normalisation (mean, std of the training split) is folded into the first layer's
weights, exactly, and recorded in the metadata. The last --val-fraction of every log is held
out: the script reports per-class precision and recall and the confusion matrix there, and
writes them, the frame rate and a reference excerpt into the model file.
"""

import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from native_export import GruStack, write_native  # noqa: E402


def read_logs(paths, label_column):
    inputs, frames, labels = None, [], []
    for path in paths:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            names = [n for n in reader.fieldnames if n != label_column]
            if inputs not in (None, names):
                sys.exit(f"train_detector: {path} has columns {names}, other logs {inputs}")
            inputs = names
            rows = list(reader)
        frames.append(np.array([[float(r[n]) for n in names] for r in rows], dtype=np.float32))
        # Without a label column, the whole file is one class, named after the file.
        file_class = os.path.splitext(os.path.basename(path))[0]
        labels.append([r[label_column] if label_column in r else file_class for r in rows])
    return inputs, frames, labels


def split(frames, labels, val_fraction):
    train, val = [], []
    for x, y in zip(frames, labels):
        cut = int(len(x) * (1 - val_fraction))
        train.append((x[:cut], y[:cut]))
        val.append((x[cut:], y[cut:]))
    return train, val


def fold_normalisation(model, mean, std):
    """x_norm = (x - mean) / std, folded into layer 0: W' = W / std, b' = b - W' mean."""
    rnn = model.gru
    with torch.no_grad():
        w = rnn.weight_ih_l0 / torch.from_numpy(std)[None, :]
        rnn.bias_ih_l0 -= w @ torch.from_numpy(mean)
        rnn.weight_ih_l0.copy_(w)


def evaluate(model, sequences, class_index, classes):
    confusion = np.zeros((len(classes), len(classes)), dtype=int)
    with torch.no_grad():
        for x, y in sequences:
            logits, _ = model(torch.from_numpy(x)[:, None, :])
            predicted = logits[:, 0, :].argmax(dim=1).numpy()
            for truth, guess in zip(y, predicted):
                confusion[class_index[truth], guess] += 1
    return confusion


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("logs", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--rate", type=float, required=True, help="frames per second of the logs")
    p.add_argument("--label-column", default="label")
    p.add_argument("--background", default="", help="the class that means 'nothing happening'")
    p.add_argument("--hidden", type=int, default=24)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--segment", type=int, default=200)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--max-steps", type=int, default=300)
    p.add_argument("--val-fraction", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reference-frames", type=int, default=500)
    p.add_argument("--name", default="trained detector")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    inputs, frames, labels = read_logs(args.logs, args.label_column)
    classes = sorted({c for y in labels for c in y})
    class_index = {c: i for i, c in enumerate(classes)}
    train, val = split(frames, labels, args.val_fraction)
    stacked = np.concatenate([x for x, _ in train])
    mean = stacked.mean(axis=0).astype(np.float32)
    std = np.maximum(stacked.std(axis=0), 1e-6).astype(np.float32)
    pool = [((x - mean) / std, np.array([class_index[c] for c in y])) for x, y in train]
    pool = [(x, y) for x, y in pool if len(x) > args.segment]
    if not pool:
        sys.exit(f"train_detector: no training log is longer than --segment {args.segment}")

    model = GruStack(len(inputs), args.hidden, args.layers, len(classes), "none", 0)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_function = torch.nn.CrossEntropyLoss()
    started = time.time()
    for step in range(1, args.max_steps + 1):
        xb, yb = [], []
        for _ in range(args.batch):
            x, y = pool[rng.integers(len(pool))]
            s = rng.integers(0, len(x) - args.segment)
            xb.append(x[s:s + args.segment])
            yb.append(y[s:s + args.segment])
        xb = torch.from_numpy(np.stack(xb, axis=1))
        yb = torch.from_numpy(np.stack(yb, axis=1))
        optimiser.zero_grad()
        logits, _ = model(xb)
        loss = loss_function(logits.reshape(-1, len(classes)), yb.reshape(-1))
        loss.backward()
        optimiser.step()
        if step % 50 == 0 or step == args.max_steps:
            print(f"step {step}: loss {loss.item():.4f} ({time.time() - started:.0f} s)")

    model.eval()
    fold_normalisation(model, mean, std)
    confusion = evaluate(model, val, class_index, classes)
    accuracy = np.trace(confusion) / max(1, confusion.sum())
    report = {}
    for i, c in enumerate(classes):
        precision = confusion[i, i] / max(1, confusion[:, i].sum())
        recall = confusion[i, i] / max(1, confusion[i, :].sum())
        report[c] = (precision, recall)
        print(f"{c:>10}: precision {precision:.3f}  recall {recall:.3f}")
    print(f"held-out frame accuracy {accuracy:.4f}")
    print("confusion (rows: truth, columns: prediction, order " + ", ".join(classes) + ")")
    print(confusion)

    model.activation = "softmax"  # the exported head gives probabilities
    x_ref = val[0][0][: args.reference_frames]
    with torch.no_grad():
        y_ref, _ = model(torch.from_numpy(x_ref)[:, None, :])
    doc = model.to_native("detector", args.rate, inputs, classes, {
        "name": args.name,
        "training": "trained",
        "heldout_accuracy": f"{accuracy:.4f}",
        "per_class_precision_recall": json.dumps({c: [round(p_, 4), round(r_, 4)] for c, (p_, r_) in report.items()}),
        "confusion_matrix": json.dumps(confusion.tolist()),
        "normalisation_mean": json.dumps(mean.tolist()),
        "normalisation_std": json.dumps(std.tolist()),
        "normalisation": "folded into layers[0]: the model takes raw sensor values",
        "background_class": args.background,
    })
    doc["reference"] = {"input": [float(v) for v in x_ref.reshape(-1)],
                        "output": [float(v) for v in y_ref[:, 0, :].numpy().reshape(-1)]}
    write_native(args.out, doc)
    print(f"wrote {args.out}")
    return accuracy


if __name__ == "__main__":
    main()
