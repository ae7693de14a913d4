#!/usr/bin/python3
"""Golden fixtures: torch.nn.GRU outputs that the C++ engine must reproduce.

Builds GRU models with fixed seeds, exports each to the native format, runs torch on a
test signal (sweeps, gate-saturating noise of amplitude >= 4, long silences, tiny values)
and writes, into --out:
  manifest.json                the cases and their sizes
  <case>.model.json            the model in the native format
  <case>.input.f32             float32 little-endian, frame-major (time x inputs)
  <case>.output.f32            torch's output, frame-major (time x outputs)
  cli_stereo.wav, cli_stereo.model.json, cli_stereo.output.f32
                               a 16-bit stereo WAV and torch's output for it (interleaved),
                               for the command-line end-to-end test

Run with Debian's interpreter: /usr/bin/python3 tools/training/make_golden.py --out DIR
"""

import argparse
import json
import os
import sys
import wave

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from native_export import GruStack, write_native  # noqa: E402

FRAMES = 48000
SAMPLE_RATE = 48000

# name, inputs, hidden, layers, outputs, activation, skip, task, weight scale
CASES = [
    ("h1_i1_l1_skip", 1, 1, 1, 1, "none", 1, "effect", 1.0),
    ("h8_i1_l1_noskip", 1, 8, 1, 1, "none", 0, "effect", 1.0),
    ("h8_i1_l2_skip", 1, 8, 2, 1, "none", 1, "effect", 1.0),
    ("h16_i1_l1_tanh", 1, 16, 1, 1, "tanh", 0, "effect", 1.0),
    ("h40_i1_l1_skip", 1, 40, 1, 1, "none", 1, "effect", 1.0),
    ("h40_i1_l1_skip_scaled", 1, 40, 1, 1, "none", 1, "effect", 3.0),
    ("h64_i1_l2_noskip", 1, 64, 2, 1, "none", 0, "effect", 1.0),
    ("h128_i1_l1_skip", 1, 128, 1, 1, "none", 1, "effect", 1.0),
    ("h128_i1_l2_skip", 1, 128, 2, 1, "none", 1, "effect", 1.0),
    ("h8_i6_l1_softmax", 6, 8, 1, 4, "softmax", 0, "detector", 1.0),
    ("h40_i6_l2_sigmoid", 6, 40, 2, 3, "sigmoid", 0, "detector", 2.0),
    ("h64_i6_l1_skip", 6, 64, 1, 6, "none", 6, "detector", 1.0),
]


def audio_signal(rng, frames):
    """Sweep, loud noise that saturates the gates, silence, plucks, tiny values."""
    t = np.arange(frames) / SAMPLE_RATE
    x = np.zeros(frames)
    q = frames // 6
    sweep = 0.5 * np.sin(2 * np.pi * (50 * t[:q] + (5000 - 50) * t[:q] ** 2 / (2 * t[q - 1])))
    x[:q] = sweep
    x[q:2 * q] = rng.uniform(-6.0, 6.0, q)                   # amplitude >= 4
    x[2 * q:3 * q] = 0.0                                     # long silence
    pluck = np.sin(2 * np.pi * 220 * t[:q]) * np.exp(-t[:q] * 8) * 0.9
    x[3 * q:4 * q] = pluck
    x[4 * q:5 * q] = rng.normal(0, 1e-20, q)                 # tiny values
    x[5 * q:] = 4.5 * np.sign(np.sin(2 * np.pi * 110 * t[5 * q:]))  # hard square at 4.5
    return x


def sensor_signal(rng, frames, channels):
    walks = np.cumsum(rng.normal(0, 0.05, (frames, channels)), axis=0)
    t = np.arange(frames)[:, None] / 100.0
    x = walks + np.sin(2 * np.pi * t * (0.5 + np.arange(channels)))
    q = frames // 4
    x[q:2 * q] *= 5.0                                       # saturating
    x[2 * q:3 * q] = 0.0                                    # silence
    return x


def make_model(seed, inputs, hidden, layers, outputs, activation, skip, scale):
    torch.manual_seed(seed)
    model = GruStack(inputs, hidden, layers, outputs, activation, skip)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(scale)
    return model.eval()


def run_torch(model, x):
    with torch.no_grad():
        y, _ = model(torch.from_numpy(x.astype(np.float32))[:, None, :])
    return y[:, 0, :].numpy().astype(np.float32)


def write_case(out_dir, name, model, x, task, rate):
    inputs = x.shape[1]
    outputs = model.head.out_features
    in_names = ["audio"] if task == "effect" and inputs == 1 else [f"in{i}" for i in range(inputs)]
    out_names = ["audio"] if task == "effect" and outputs == 1 else [f"class{i}" for i in range(outputs)]
    doc = model.to_native(task, rate, in_names, out_names,
                          {"name": name, "description": "golden fixture (untrained random weights)"})
    write_native(os.path.join(out_dir, f"{name}.model.json"), doc)
    y = run_torch(model, x)
    x.astype("<f4").tofile(os.path.join(out_dir, f"{name}.input.f32"))
    y.astype("<f4").tofile(os.path.join(out_dir, f"{name}.output.f32"))
    return {"name": name, "frames": int(x.shape[0]), "inputs": inputs, "outputs": outputs}


def write_cli_case(out_dir, rng):
    """A 16-bit stereo WAV and torch's output for each channel, from a zero state each."""
    model = make_model(7, 1, 24, 1, 1, "none", 1, 1.0)
    frames = 24000
    left = np.clip(audio_signal(rng, frames) / 6.0, -1, 1)
    right = np.clip(0.8 * np.sin(2 * np.pi * 330 * np.arange(frames) / SAMPLE_RATE), -1, 1)
    pcm = np.round(np.stack([left, right], axis=1) * 32767).astype("<i2")
    with wave.open(os.path.join(out_dir, "cli_stereo.wav"), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    x = pcm.astype(np.float64) / 32768.0  # how libsndfile reads 16-bit PCM as float
    y = np.stack([run_torch(model, x[:, c:c + 1])[:, 0] for c in range(2)], axis=1)
    y.astype("<f4").tofile(os.path.join(out_dir, "cli_stereo.output.f32"))
    doc = model.to_native("effect", SAMPLE_RATE, ["audio"], ["audio"],
                          {"name": "cli_stereo", "description": "golden fixture (untrained)"})
    write_native(os.path.join(out_dir, "cli_stereo.model.json"), doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for the fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(1234)
    manifest = []
    for seed, (name, inputs, hidden, layers, outputs, act, skip, task, scale) in enumerate(CASES):
        model = make_model(seed, inputs, hidden, layers, outputs, act, skip, scale)
        if inputs == 1:
            x = audio_signal(rng, FRAMES)[:, None]
            rate = SAMPLE_RATE
        else:
            x = sensor_signal(rng, FRAMES, inputs)
            rate = 100
        manifest.append(write_case(args.out, name, model, x, task, rate))
    write_cli_case(args.out, rng)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "cases": manifest}, f, indent=1)
    print(f"wrote {len(manifest)} golden cases to {args.out}")


if __name__ == "__main__":
    main()
