#!/usr/bin/python3
"""The bundled default effect model, trained from nothing, reproducibly.

Target: a simulated overdrive pedal. Plucked-string notes and chords (Karplus-Strong, 48 kHz)
go through a 120 Hz coupling high-pass, a gain of 10, an asymmetric diode-style clipper
(tanh with a bias, which adds even harmonics) and a 3.5 kHz one-pole tone filter. A GRU
learns it with train_effect.py; its validation ESR is printed and stored in the model.

  /usr/bin/python3 tools/training/make_default_effect.py resources/models/default_effect.json
"""

import os
import sys
import tempfile

import numpy as np
from scipy.io import wavfile
from scipy.signal import lfilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_effect  # noqa: E402
from make_demo_input import pluck  # noqa: E402

RATE = 48000


def one_pole_coefficients(cutoff):
    return float(np.exp(-2 * np.pi * cutoff / RATE))


def overdrive(x):
    a = one_pole_coefficients(120.0)
    coupled = lfilter([1 + a, -(1 + a)], [2, -2 * a], x)  # one-pole high-pass
    bias = 0.25
    clipped = np.tanh(10.0 * coupled + bias) - np.tanh(bias)
    b = one_pole_coefficients(3500.0)
    toned = lfilter([1 - b], [1, -b], clipped)
    return 0.5 * toned


def performance(rng, seconds):
    """Single notes and strummed chords at random pitches and strengths."""
    signal = np.zeros(int(seconds * RATE) + RATE * 2)
    t = 0.0
    while t < seconds:
        root = 82.41 * 2 ** (rng.integers(0, 24) / 12)
        chord = [root] if rng.random() < 0.5 else [root, root * 1.5, root * 2, root * 2.52]
        strength = rng.uniform(0.1, 0.9)
        for k, frequency in enumerate(chord):
            note = strength * pluck(rng, frequency, rng.uniform(0.6, 1.8), decay=rng.uniform(0.990, 0.998))
            start = int((t + 0.02 * k) * RATE)
            signal[start:start + note.size] += note
        t += rng.uniform(0.25, 1.2)
    return (signal / max(1.0, np.max(np.abs(signal)))).astype(np.float32)


def main(out):
    rng = np.random.default_rng(2026)
    dry = performance(rng, 60.0)
    wet = overdrive(dry.astype(np.float64)).astype(np.float32)
    with tempfile.TemporaryDirectory() as folder:
        wavfile.write(os.path.join(folder, "dry.wav"), RATE, dry)
        wavfile.write(os.path.join(folder, "wet.wav"), RATE, wet)
        train_effect.main([
            "--dry", os.path.join(folder, "dry.wav"), "--wet", os.path.join(folder, "wet.wav"),
            "--out", out, "--hidden", "40", "--skip", "0", "--seed", "2026",
            "--max-steps", "600", "--batch", "16", "--segment", "4096", "--lr", "5e-3",
            "--val-every", "25", "--patience", "6",
            "--name", "GruStream Overdrive (default)", "--author", "GruStream",
            "--description", "A GRU (hidden 40) trained by tools/training/make_default_effect.py on a "
                             "simulated overdrive: 120 Hz coupling high-pass, gain 10, asymmetric "
                             "tanh diode clipper, 3.5 kHz tone filter, driven by plucked strings.",
        ])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/models/default_effect.json")
