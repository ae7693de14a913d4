#!/usr/bin/python3
"""The bundled default detector, trained from nothing, reproducibly.

Generates 6-axis IMU logs (accelerometer x, y, z in g; gyroscope x, y, z in rad/s) at 100 Hz
of a wrist doing four things: idle (gravity, slow drift, sensor noise), shake (fast 6-9 Hz
oscillation on one axis), circle (a 1-2 Hz rotation: sine and cosine on two axes, gyro
steady), tap (a sharp 40 ms spike followed by ringing). Each log strings random gestures
between idle spells; the label is per frame. Then trains with train_detector.py.

  /usr/bin/python3 tools/training/make_default_detector.py resources/models/default_detector.json
"""

import csv
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_detector  # noqa: E402

RATE = 100
AXES = ["ax", "ay", "az", "gx", "gy", "gz"]


def gesture(rng, kind, frames):
    t = np.arange(frames) / RATE
    x = np.zeros((frames, 6))
    x[:, 2] = 1.0  # gravity on z
    if kind == "shake":
        f = rng.uniform(6, 9)
        axis = rng.integers(0, 2)
        amplitude = rng.uniform(0.8, 1.6)
        x[:, axis] += amplitude * np.sin(2 * np.pi * f * t)
        x[:, 3 + axis] += 3 * amplitude * np.cos(2 * np.pi * f * t)
    elif kind == "circle":
        f = rng.uniform(1.0, 2.0)
        amplitude = rng.uniform(0.4, 0.8)
        x[:, 0] += amplitude * np.sin(2 * np.pi * f * t)
        x[:, 1] += amplitude * np.cos(2 * np.pi * f * t)
        x[:, 5] += 2 * np.pi * f * rng.choice([-1, 1])
    elif kind == "tap":
        spike = np.exp(-t / 0.04) * np.cos(2 * np.pi * 18 * t)
        x[:, 2] += rng.uniform(1.5, 3.0) * spike
        x[:, 4] += rng.uniform(2.0, 4.0) * spike
    return x


def log(rng, seconds):
    rows, labels = [], []
    total = 0
    while total < seconds * RATE:
        idle = int(rng.uniform(0.5, 2.0) * RATE)
        kind = rng.choice(["shake", "circle", "tap"])
        length = int(RATE * (0.3 if kind == "tap" else rng.uniform(1.0, 2.5)))
        for k, n in (("idle", idle), (kind, length)):
            rows.append(gesture(rng, k, n))
            labels += [k] * n
            total += n
    x = np.concatenate(rows)
    drift = np.cumsum(rng.normal(0, 0.002, x.shape), axis=0)
    x += drift + rng.normal(0, 0.03, x.shape)
    return x, labels


def main(out):
    rng = np.random.default_rng(2026)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(8):
            x, labels = log(rng, 90)
            path = os.path.join(folder, f"log{i}.csv")
            with open(path, "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(AXES + ["label"])
                for row, label in zip(x, labels):
                    writer.writerow([f"{v:.5f}" for v in row] + [label])
            paths.append(path)
        train_detector.main(paths + ["--out", out, "--rate", str(RATE), "--background", "idle",
                                     "--hidden", "24", "--max-steps", "400", "--seed", "2026",
                                     "--name", "GruStream Gestures (default)"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/models/default_detector.json")
