#!/usr/bin/python3
"""Trains a tiny effect model for a few steps, twice, and checks the trainer's contract:
same seed, same file; the file loads with the sample rate, validation ESR and reference I/O.
The C++ side (`grustream verify --tolerance 1e-5`, a separate ctest) then replays the
reference I/O that torch computed.
  train_effect_smoke.py OUT_MODEL.json
"""

import filecmp
import json
import math
import os
import sys
import tempfile

import numpy as np
from scipy.io import wavfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "training"))
import train_effect  # noqa: E402


def main(out):
    rng = np.random.default_rng(3)
    rate = 44100
    t = np.arange(3 * rate) / rate
    dry = (0.5 * np.sin(2 * np.pi * 196 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.7 * t)) +
           0.05 * rng.normal(size=t.size)).astype(np.float32)
    wet = np.tanh(3 * dry).astype(np.float32)
    with tempfile.TemporaryDirectory() as folder:
        wavfile.write(os.path.join(folder, "dry.wav"), rate, dry)
        wavfile.write(os.path.join(folder, "wet.wav"), rate, wet)
        common = ["--dry", os.path.join(folder, "dry.wav"), "--wet", os.path.join(folder, "wet.wav"),
                  "--hidden", "4", "--max-steps", "3", "--segment", "1024", "--warmup", "128",
                  "--tbptt", "256", "--batch", "4", "--val-every", "1", "--reference-frames", "2000",
                  "--seed", "5", "--threads", "1"]
        again = os.path.join(folder, "again.json")
        train_effect.main(common + ["--out", out])
        train_effect.main(common + ["--out", again])
        assert filecmp.cmp(out, again, shallow=False), "same seed gave a different model"
    with open(out) as f:
        doc = json.load(f)
    assert doc["format"] == "grustream" and doc["sample_rate"] == rate, doc["sample_rate"]
    assert math.isfinite(float(doc["metadata"]["validation_esr"]))
    assert len(doc["reference"]["input"]) == 2000 == len(doc["reference"]["output"])
    print("train_effect smoke test: 2 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
