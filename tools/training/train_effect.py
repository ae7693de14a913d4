#!/usr/bin/python3
"""Train an effect model from dry and wet recordings, and write it in the native format.

  /usr/bin/python3 tools/training/train_effect.py --dry DRY.wav --wet WET.wav --out model.json
  (--dry/--wet may also be folders of files paired by name)

Truncated back-propagation through time over random segments; error-to-signal ratio loss
with pre-emphasis (1 - 0.85 z^-1), the amp-modelling standard; the last --val-fraction of the
audio is held out for validation and early stopping; deterministic for a given --seed.
The model file records the sample rate, the validation ESR and a reference I/O excerpt
(checked by `grustream verify`).
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from scipy.io import wavfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from native_export import GruStack, write_native  # noqa: E402

PRE_EMPHASIS = 0.85


def read_mono(path):
    rate, data = wavfile.read(path)
    if data.dtype == np.int16:
        data = data / 32768.0
    elif data.dtype == np.int32:
        data = data / 2147483648.0
    elif data.dtype == np.uint8:
        data = (data.astype(np.float64) - 128) / 128.0
    data = np.asarray(data, dtype=np.float64)
    if data.ndim > 1:
        data = data.mean(axis=1)
    return rate, data.astype(np.float32)


def load_pairs(dry, wet):
    """Concatenated dry and wet audio from two files or two folders of same-named files."""
    if os.path.isdir(dry):
        names = sorted(n for n in os.listdir(dry) if n.lower().endswith(".wav"))
        pairs = [(os.path.join(dry, n), os.path.join(wet, n)) for n in names]
    else:
        pairs = [(dry, wet)]
    xs, ys, rate = [], [], None
    for d, w in pairs:
        rd, x = read_mono(d)
        rw, y = read_mono(w)
        if rd != rw:
            sys.exit(f"train_effect: {d} is at {rd} Hz but {w} at {rw} Hz")
        if rate not in (None, rd):
            sys.exit(f"train_effect: {d} is at {rd} Hz, other files at {rate} Hz")
        rate = rd
        n = min(len(x), len(y))
        xs.append(x[:n])
        ys.append(y[:n])
    if rate is None:
        sys.exit("train_effect: no WAV pairs found")
    return rate, np.concatenate(xs), np.concatenate(ys)


def pre_emphasis(signal):
    return signal[..., 1:] - PRE_EMPHASIS * signal[..., :-1]


def esr(prediction, target):
    p, t = pre_emphasis(prediction), pre_emphasis(target)
    return torch.sum((t - p) ** 2) / (torch.sum(t ** 2) + 1e-10)


def run_sequence(model, x, chunk=48000):
    """The model over a whole signal from a zero state, in chunks with carried state."""
    outputs, state = [], None
    with torch.no_grad():
        for start in range(0, len(x), chunk):
            segment = torch.from_numpy(x[start:start + chunk])[:, None, None]
            y, state = model(segment, state)
            outputs.append(y[:, 0, 0])
    return torch.cat(outputs)


def train(x, y, args, log=print):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    split = int(len(x) * (1 - args.val_fraction))
    x_train, y_train, x_val, y_val = x[:split], y[:split], x[split:], y[split:]
    model = GruStack(1, args.hidden, args.layers, 1, "none", args.skip, args.cell)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    best, best_state, stale = math.inf, None, 0
    started = time.time()
    for step in range(1, args.max_steps + 1):
        starts = rng.integers(0, len(x_train) - args.segment, args.batch)
        xb = torch.from_numpy(np.stack([x_train[s:s + args.segment] for s in starts]).T[:, :, None])
        yb = torch.from_numpy(np.stack([y_train[s:s + args.segment] for s in starts]).T[:, :, None])
        state = None
        model.train()
        # Truncated BPTT: warm up the state, then learn in windows, carrying the state detached.
        with torch.no_grad():
            _, state = model(xb[:args.warmup], None)
        for w in range(args.warmup, args.segment, args.tbptt):
            optimiser.zero_grad()
            prediction, state = model(xb[w:w + args.tbptt], state)
            loss = esr(prediction[:, :, 0].T, yb[w:w + args.tbptt, :, 0].T)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        if step % args.val_every == 0 or step == args.max_steps:
            model.eval()
            val = esr(run_sequence(model, x_val), torch.from_numpy(y_val)).item()
            log(f"step {step}: train ESR {loss.item():.4f}  validation ESR {val:.4f}  ({time.time() - started:.0f} s)")
            if val < best:
                best, best_state, stale = val, {k: v.clone() for k, v in model.state_dict().items()}, 0
            else:
                stale += 1
                if stale >= args.patience:
                    log(f"early stop: no validation gain in {args.patience} checks")
                    break
        if args.max_minutes and time.time() - started > 60 * args.max_minutes:
            log("time budget reached")
            break
    model.load_state_dict(best_state)
    model.eval()
    return model, best, x_val


def export(model, rate, validation_esr, x_val, args):
    excerpt = x_val[: args.reference_frames]
    reference_out = run_sequence(model, excerpt).numpy()
    doc = model.to_native("effect", int(rate), ["audio"], ["audio"], {
        "name": args.name,
        "author": args.author,
        "description": args.description,
        "training": "trained",
        "validation_esr": f"{validation_esr:.5f}",
        "trainer": f"train_effect.py cell={args.cell} hidden={args.hidden} layers={args.layers} "
                   f"skip={args.skip} seed={args.seed}",
    })
    doc["reference"] = {"input": [float(v) for v in excerpt], "output": [float(v) for v in reference_out]}
    write_native(args.out, doc)


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dry", required=True)
    p.add_argument("--wet", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--skip", type=int, choices=[0, 1], default=1)
    p.add_argument("--segment", type=int, default=4096, help="samples per training example")
    p.add_argument("--warmup", type=int, default=512, help="samples that only warm up the state")
    p.add_argument("--tbptt", type=int, default=1024, help="samples per back-propagation window")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--max-steps", type=int, default=400)
    p.add_argument("--max-minutes", type=float, default=0)
    p.add_argument("--val-fraction", type=float, default=0.15)
    p.add_argument("--val-every", type=int, default=20)
    p.add_argument("--patience", type=int, default=6)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reference-frames", type=int, default=4800)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--name", default="trained effect")
    p.add_argument("--author", default="")
    p.add_argument("--description", default="")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    torch.set_num_threads(args.threads)
    rate, x, y = load_pairs(args.dry, args.wet)
    if len(x) * (1 - args.val_fraction) <= args.segment:
        sys.exit(f"train_effect: {len(x)} samples are too few for segments of {args.segment}")
    print(f"training on {len(x) / rate:.1f} s at {rate} Hz")
    model, best, x_val = train(x, y, args)
    export(model, rate, best, x_val, args)
    print(f"wrote {args.out}: validation ESR {best:.5f}")
    return best


if __name__ == "__main__":
    main()
