#!/usr/bin/python3
"""Plots ns per sample against hidden size for every implementation: docs/images/gru_speed.png.

Inputs: Google Benchmark JSON from tests/bench/gru_bench (--benchmark_out), PyTorch JSON from
tools/bench/pytorch_gru_bench.py, and optionally a CSV of RTNeural timings measured beside
GruStream (hidden,ns: see docs/benchmarks.md for how; RTNeural is never part of the repo).
Needs matplotlib: tools/install-deps.sh python3-matplotlib

  /usr/bin/python3 tools/bench/plot_gru_speed.py gru_bench.json pytorch_gru.json \
      [--rtneural rtneural.csv] [--out docs/images/gru_speed.png]
"""

import argparse
import csv
import json
import re
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "gruStream": "GruStream, one sample at a time",
    "stereoBlock64": "GruStream stereo (per frame), blocks of 64",
    "twoLayerGru": "GruStream, 2-layer stack",
    "lstm": "GruStream LSTM",
    "dynamicEigen": "dynamic-size Eigen baseline",
    "plainLoops": "plain-loop reference",
}


def google_benchmark(path):
    series = defaultdict(dict)
    for run in json.load(open(path))["benchmarks"]:
        if run.get("run_type") == "aggregate" and run.get("aggregate_name") != "median":
            continue
        match = re.match(r"(\w+)/(\d+)", run["run_name"] if "run_name" in run else run["name"])
        if match and match.group(1) in LABELS:
            series[match.group(1)][int(match.group(2))] = run["ns_per_sample"] * 1e9  # stored in seconds
    return series


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gru_bench_json")
    parser.add_argument("pytorch_json")
    parser.add_argument("--rtneural")
    parser.add_argument("--out", default="docs/images/gru_speed.png")
    args = parser.parse_args()

    fig, ax = plt.subplots(figsize=(12, 6), dpi=100)
    for name, points in google_benchmark(args.gru_bench_json).items():
        sizes = sorted(points)
        ax.plot(sizes, [points[h] for h in sizes], marker="o", label=LABELS[name],
                linewidth=2.5 if name == "gruStream" else 1.2)
    torch = json.load(open(args.pytorch_json))
    sizes = [r["hidden"] for r in torch["results"]]
    ax.plot(sizes, [r["streaming_ns"] for r in torch["results"]], marker="s", linestyle="--",
            label=f"PyTorch {torch['torch']} streaming, blocks of 64")
    ax.plot(sizes, [r["offline_ns"] for r in torch["results"]], marker="s", linestyle=":",
            label=f"PyTorch {torch['torch']} offline, whole file")
    if args.rtneural:
        rows = list(csv.DictReader(open(args.rtneural)))
        ax.plot([int(r["hidden"]) for r in rows], [float(r["ns"]) for r in rows], marker="^",
                label="RTNeural ModelT (best of Eigen/xsimd, native/v3)")
    ax.axhline(1e9 / 48000, color="grey", linewidth=0.8)
    ax.text(8, 1e9 / 48000 * 1.1, "one 48 kHz sample period", color="grey", fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks([8, 12, 16, 24, 32, 40, 48, 64, 96, 128])
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set_xlabel("hidden size H (GRU 1->H + Dense H->1)")
    ax.set_ylabel("ns per sample (lower is faster)")
    ax.set_title("GRU inference, one core")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
