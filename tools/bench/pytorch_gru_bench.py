#!/usr/bin/python3
"""PyTorch's GRU on the same task as tests/bench/gru_bench.cpp, one thread (Debian's torch).

GRU(1->H) + Linear(H->1), float32, inference only (torch.no_grad, inference_mode):
  streaming: blocks of 64 samples, the hidden state carried from block to block;
  offline:   one nn.GRU call over the whole signal (10 s at 48 kHz).
Prints ns per sample per size and writes JSON for tools/bench/plot_gru_speed.py.

  /usr/bin/python3 tools/bench/pytorch_gru_bench.py [--out pytorch_gru.json] [--seconds 10]
"""

import argparse
import json
import time

import torch

SIZES = [8, 12, 16, 24, 32, 40, 48, 64, 96, 128]


def best_of(repeats, run):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def measure(hidden, samples):
    torch.manual_seed(hidden)
    gru = torch.nn.GRU(1, hidden, batch_first=True)
    head = torch.nn.Linear(hidden, 1)
    x = (0.5 * torch.sin(0.01 * torch.arange(samples, dtype=torch.float32))).reshape(1, samples, 1)
    blocks = x.split(64, dim=1)

    def streaming():
        h = None
        for block in blocks:
            y, h = gru(block, h)
            head(y)

    def offline():
        y, _ = gru(x)
        head(y)

    with torch.inference_mode():
        streaming_s = best_of(3, streaming)
        offline_s = best_of(3, offline)
    return 1e9 * streaming_s / samples, 1e9 * offline_s / samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="pytorch_gru.json")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    samples = int(args.seconds * 48000)
    results = []
    print(f"torch {torch.__version__}, 1 thread, {samples} samples")
    print(f"{'H':>4} {'streaming ns/sample':>20} {'offline ns/sample':>18}")
    for hidden in SIZES:
        streaming, offline = measure(hidden, samples)
        results.append({"hidden": hidden, "streaming_ns": streaming, "offline_ns": offline})
        print(f"{hidden:>4} {streaming:>20.1f} {offline:>18.1f}", flush=True)
    with open(args.out, "w") as f:
        json.dump({"torch": torch.__version__, "threads": 1, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
