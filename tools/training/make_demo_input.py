#!/usr/bin/python3
"""The bundled demo input: resources/demo/demo_input.wav.

Four seconds of plucked strings (Karplus-Strong) playing an A minor - F - C - G figure,
48 kHz mono 16-bit, generated deterministically so the file can be remade from nothing:
  /usr/bin/python3 tools/training/make_demo_input.py resources/demo/demo_input.wav
"""

import sys
import wave

import numpy as np

RATE = 48000


def pluck(rng, frequency, seconds, decay=0.996):
    period = int(round(RATE / frequency))
    buffer = rng.uniform(-1, 1, period)
    out = np.empty(int(seconds * RATE))
    for i in range(out.size):
        j = i % period
        nxt = buffer[(i + 1) % period]
        out[i] = buffer[j]
        buffer[j] = decay * 0.5 * (buffer[j] + nxt)
    return out


def main(path):
    rng = np.random.default_rng(2026)
    chords = [[110.0, 164.81, 220.0, 261.63], [87.31, 130.81, 174.61, 220.0],
              [130.81, 196.0, 261.63, 329.63], [98.0, 146.83, 196.0, 246.94]]
    signal = np.zeros(4 * RATE + RATE // 2)
    for bar, chord in enumerate(chords):
        for k, frequency in enumerate(chord):  # strummed: 30 ms between strings
            start = bar * RATE + k * int(0.03 * RATE)
            note = pluck(rng, frequency, 1.4)
            signal[start:start + note.size] += note
    signal *= 0.7 / np.max(np.abs(signal))
    pcm = np.round(signal * 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    print(f"wrote {path}: {signal.size / RATE:.2f} s at {RATE} Hz")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/demo/demo_input.wav")
