#!/usr/bin/python3
"""Trains a tiny detector for a few steps, twice, and checks the trainer's contract: same
seed, same file; class names, frame rate, folded normalisation and reference I/O present.
`grustream verify --tolerance 1e-5` (a separate ctest) replays the reference on the C++ side.
  train_detector_smoke.py OUT_MODEL.json
"""

import csv
import filecmp
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "training"))
import train_detector  # noqa: E402


def main(out):
    rng = np.random.default_rng(4)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.csv")
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["a", "b", "c", "label"])
            for i in range(1500):
                label = "still" if (i // 100) % 2 == 0 else "move"
                value = 0.0 if label == "still" else np.sin(i * 0.7)
                writer.writerow([value + rng.normal(0, 0.05), 5 + rng.normal(0, 0.1), value * 3, label])
        # One file per class works too: no label column, the class is the file's name.
        quiet = os.path.join(folder, "rest.csv")
        with open(quiet, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["a", "b", "c"])
            for i in range(300):
                writer.writerow([rng.normal(0, 0.01), 5.0, 0.0])
        common = [path, quiet, "--rate", "50", "--hidden", "4", "--max-steps", "3", "--segment", "100",
                  "--batch", "4", "--threads", "1", "--seed", "9", "--reference-frames", "200"]
        again = os.path.join(folder, "again.json")
        train_detector.main(common + ["--out", out])
        train_detector.main(common + ["--out", again])
        assert filecmp.cmp(out, again, shallow=False), "same seed gave a different model"
    with open(out) as f:
        doc = json.load(f)
    assert doc["task"] == "detector" and doc["sample_rate"] == 50
    assert doc["outputs"] == ["move", "rest", "still"] and doc["inputs"] == ["a", "b", "c"], doc["outputs"]
    assert doc["layers"][-1]["activation"] == "softmax"
    assert len(doc["reference"]["input"]) == 3 * 200 and len(doc["reference"]["output"]) == 3 * 200
    assert "normalisation_mean" in doc["metadata"]
    print("train_detector smoke test: 2 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
