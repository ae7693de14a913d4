#!/usr/bin/python3
"""Import fixtures: the same torch models written in every foreign format GruStream reads.

For each case (GRU and LSTM, 1 to 3 layers, hidden 8 to 64, with and without skip) writes,
into --out:
  <case>.guitarml.json     GuitarML / Automated-GuitarAmpModelling (PyTorch gate order)
  <case>.rtneural.json     RTNeural / Keras / AIDA-X (Keras gate order, transposed weights,
                           in_skip, metadata.samplerate, input_batch/output_batch)
  <case>.statedict.json    a plain PyTorch state_dict (cases without skip: it cannot say skip)
  <case>.native.json       the native twin, same weights
  <case>.input.f32, <case>.output.f32   input and torch output, float32, one value per frame
  manifest.json
Run: /usr/bin/python3 tools/training/make_import_fixtures.py --out DIR
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from native_export import GruStack, write_native  # noqa: E402

FRAMES = 8000
CASES = [  # cell, layers, hidden, skip
    ("gru", 1, 8, 1), ("gru", 2, 16, 0), ("gru", 3, 24, 1), ("gru", 1, 64, 0),
    ("lstm", 1, 8, 1), ("lstm", 2, 32, 0), ("lstm", 3, 16, 1), ("lstm", 1, 64, 0),
]


def rows(t):
    return t.detach().to(torch.float32).tolist()


def gate_blocks(t, gates):
    return list(torch.chunk(t.detach(), gates, dim=0))


def keras_gru_weights(w_ih, w_hh, b_ih, b_hh):
    """torch rows (r, z, n) -> Keras columns (z, r, h), transposed: [W, U, bias(2 x 3H)]."""
    def reorder(t):
        r, z, n = gate_blocks(t, 3)
        return torch.cat([z, r, n], dim=0)
    return [rows(reorder(w_ih).T), rows(reorder(w_hh).T),
            [rows(reorder(b_ih)), rows(reorder(b_hh))]]


def keras_lstm_weights(w_ih, w_hh, b_ih, b_hh):
    """torch rows (i, f, g, o) are Keras columns (i, f, c, o): transpose, one bias."""
    return [rows(w_ih.T), rows(w_hh.T), rows(b_ih + b_hh)]


def params(model, k):
    rnn = model.gru
    return (getattr(rnn, f"weight_ih_l{k}"), getattr(rnn, f"weight_hh_l{k}"),
            getattr(rnn, f"bias_ih_l{k}"), getattr(rnn, f"bias_hh_l{k}"))


def guitarml(model, cell, layers, hidden, skip):
    state = {}
    for k in range(layers):
        w_ih, w_hh, b_ih, b_hh = params(model, k)
        state[f"rec.weight_ih_l{k}"] = rows(w_ih)
        state[f"rec.weight_hh_l{k}"] = rows(w_hh)
        state[f"rec.bias_ih_l{k}"] = rows(b_ih)
        state[f"rec.bias_hh_l{k}"] = rows(b_hh)
    state["lin.weight"] = rows(model.head.weight)
    state["lin.bias"] = rows(model.head.bias)
    return {"model_data": {"model": "SimpleRNN", "input_size": 1, "skip": skip, "output_size": 1,
                           "unit_type": cell.upper(), "num_layers": layers, "hidden_size": hidden,
                           "bias_fl": True},
            "state_dict": state}


def rtneural(model, cell, layers, hidden, skip, x, y):
    out_layers = []
    for k in range(layers):
        w = (keras_lstm_weights if cell == "lstm" else keras_gru_weights)(*params(model, k))
        out_layers.append({"type": cell, "activation": "tanh", "shape": [None, None, hidden], "weights": w})
    out_layers.append({"type": "dense", "activation": "", "shape": [None, None, 1],
                       "weights": [rows(model.head.weight.T), rows(model.head.bias)]})
    return {"in_shape": [None, None, 1], "in_skip": skip, "in_gain": 0.0, "out_gain": 0.0,
            "metadata": {"name": "fixture", "samplerate": "48000"}, "layers": out_layers,
            "input_batch": x[:2000, 0].tolist(), "output_batch": y[:2000, 0].tolist()}


def state_dict(model, layers):
    out = {}
    for k in range(layers):
        w_ih, w_hh, b_ih, b_hh = params(model, k)
        out[f"rnn.weight_ih_l{k}"] = rows(w_ih)
        out[f"rnn.weight_hh_l{k}"] = rows(w_hh)
        out[f"rnn.bias_ih_l{k}"] = rows(b_ih)
        out[f"rnn.bias_hh_l{k}"] = rows(b_hh)
    out["dense.weight"] = rows(model.head.weight)
    out["dense.bias"] = rows(model.head.bias)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(7)
    manifest = []
    for seed, (cell, layers, hidden, skip) in enumerate(CASES):
        name = f"{cell}_l{layers}_h{hidden}_{'skip' if skip else 'noskip'}"
        torch.manual_seed(100 + seed)
        model = GruStack(1, hidden, layers, 1, "none", skip, cell).eval()
        t = np.arange(FRAMES) / 48000
        x = (0.6 * np.sin(2 * np.pi * 220 * t) + rng.normal(0, 0.2, FRAMES))[:, None]
        x[FRAMES // 2: FRAMES // 2 + 500] *= 8  # saturating burst
        with torch.no_grad():
            y = model(torch.from_numpy(x.astype(np.float32))[:, None, :])[0][:, 0, :].numpy()
        x.astype("<f4").tofile(os.path.join(args.out, f"{name}.input.f32"))
        y.astype("<f4").tofile(os.path.join(args.out, f"{name}.output.f32"))
        write_native(os.path.join(args.out, f"{name}.native.json"),
                     model.to_native("effect", 48000, ["audio"], ["audio"], {"name": name}))
        with open(os.path.join(args.out, f"{name}.guitarml.json"), "w") as f:
            json.dump(guitarml(model, cell, layers, hidden, skip), f)
        with open(os.path.join(args.out, f"{name}.rtneural.json"), "w") as f:
            json.dump(rtneural(model, cell, layers, hidden, skip, x, y), f)
        if not skip:
            with open(os.path.join(args.out, f"{name}.statedict.json"), "w") as f:
                json.dump(state_dict(model, layers), f)
        manifest.append({"name": name, "cell": cell, "layers": layers, "hidden": hidden, "skip": skip,
                         "frames": FRAMES})
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"cases": manifest}, f, indent=1)
    print(f"wrote {len(manifest)} import cases to {args.out}")


if __name__ == "__main__":
    main()
