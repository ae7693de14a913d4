#!/usr/bin/python3
"""A scripted gesture recording for demos and tests: resources/demo/demo_gestures.csv.

Ten seconds of the default detector's synthetic 6-axis IMU at 100 Hz (same generator as
make_default_detector.py, a seed of its own): idle, shake, idle, circle, idle, tap, idle,
shake, idle. Columns: time, ax..gz, label (the truth, per frame; readers take the inputs by
name and ignore the rest).

  /usr/bin/python3 tools/training/make_demo_gestures.py resources/demo/demo_gestures.csv
"""

import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_default_detector import AXES, RATE, gesture  # noqa: E402

SCRIPT = [("idle", 1.0), ("shake", 1.5), ("idle", 1.2), ("circle", 2.0), ("idle", 1.2),
          ("tap", 0.3), ("idle", 1.0), ("shake", 1.0), ("idle", 0.8)]


def main(out):
    rng = np.random.default_rng(7)
    parts, labels = [], []
    for kind, seconds in SCRIPT:
        frames = int(round(seconds * RATE))
        parts.append(gesture(rng, kind, frames))
        labels += [kind] * frames
    x = np.concatenate(parts)
    x += np.cumsum(rng.normal(0, 0.002, x.shape), axis=0) + rng.normal(0, 0.03, x.shape)
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["time"] + AXES + ["label"])
        for i, (row, label) in enumerate(zip(x, labels)):
            writer.writerow([f"{i / RATE:.2f}"] + [f"{v:.5f}" for v in row] + [label])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/demo/demo_gestures.csv")
