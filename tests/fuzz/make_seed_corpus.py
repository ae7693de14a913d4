#!/usr/bin/python3
"""Writes the fuzzers' seed corpus (tests/fuzz/corpus): small valid inputs of every kind the
fuzzers read, and broken ones. Model seeds are trimmed copies of the import fixtures
(tools/training/make_import_fixtures.py output, passed as the first argument).

  /usr/bin/python3 tests/fuzz/make_seed_corpus.py build/imports tests/fuzz/corpus
"""

import base64
import gzip
import hashlib
import json
import os
import struct
import sys


def osc(address, tags, *args):
    def pad(b):
        return b + b"\0" * (4 - len(b) % 4)
    out = pad(address.encode()) + pad(("," + tags).encode())
    for tag, value in zip(tags, args):
        out += {"f": lambda v: struct.pack(">f", v), "i": lambda v: struct.pack(">i", v),
                "d": lambda v: struct.pack(">d", v), "s": lambda v: pad(v.encode())}[tag](value)
    return out


def bundle(*elements):
    out = b"#bundle\0" + struct.pack(">Q", 1)
    for e in elements:
        out += struct.pack(">i", len(e)) + e
    return out


def plugin_state(model_text, claimed_length=None):
    """A plugin state blob as plugin/plugin_state.cpp writes it: tag, length, XML, NUL."""
    params = ('<PARAMETERS><PARAMETERS><PARAM id="input_gain" value="0.5"/>'
              '<PARAM id="mix" value="1.0"/><PARAM id="bypass" value="0.0"/></PARAMETERS></PARAMETERS>')
    model = ""
    if model_text is not None:
        packed = base64.b64encode(gzip.compress(model_text.encode(), 9)).decode()
        digest = hashlib.sha256(model_text.encode()).hexdigest()
        model = f'<MODEL path="/tmp/m.json" sha256="{digest}" default="0" gzip_base64="{packed}"/>'
    xml = f'<?xml version="1.0" encoding="UTF-8"?> <GRUSTREAM_STATE version="1">{params}{model}</GRUSTREAM_STATE>'
    text = xml.encode()
    length = len(text) if claimed_length is None else claimed_length
    return struct.pack("<II", 0x21324356, length) + text + b"\0"


def main(imports, corpus):
    models = os.path.join(corpus, "model")
    os.makedirs(models, exist_ok=True)
    for name in ["gru_l1_h8_skip.native", "gru_l1_h8_skip.guitarml", "gru_l1_h8_skip.rtneural",
                 "lstm_l1_h8_skip.native", "lstm_l1_h8_skip.rtneural", "gru_l2_h16_noskip.statedict"]:
        doc = json.load(open(os.path.join(imports, name + ".json")))
        for key in ("input_batch", "output_batch", "reference"):
            doc.pop(key, None)  # reference I/O only makes seeds long
        text = json.dumps(doc, separators=(",", ":"))
        open(os.path.join(models, name + ".json"), "w").write(text)
        open(os.path.join(models, name + ".truncated.json"), "w").write(text[: len(text) // 2])
    open(os.path.join(models, "nested.json"), "w").write("[" * 40 + "]" * 40)
    open(os.path.join(models, "nam.json"), "w").write('{"version":"0.5.2","architecture":"WaveNet","weights":[]}')

    packets = {
        "frame6": osc("/wek/inputs", "ffffff", 0.1, 0.2, 1.0, -0.5, 0.0, 3.0),
        "ints": osc("/wek/inputs", "iiiiii", 1, 2, 3, 4, 5, 6),
        "doubles": osc("/wek/inputs", "dddddd", 1e300, -1e-300, 0.5, 0.5, 0.5, 0.5),
        "string": osc("/wek/inputs", "ffsfff", 1.0, 2.0, "x", 4.0, 5.0, 6.0),
        "bundle": bundle(osc("/wek/inputs", "ffffff", 1, 2, 3, 4, 5, 6), osc("/other", "f", 1.0)),
        "nested": bundle(bundle(bundle(osc("/wek/inputs", "ffffff", 1, 2, 3, 4, 5, 6)))),
        "truncated": osc("/wek/inputs", "ffffff", 1, 2, 3, 4, 5, 6)[:-6],
    }
    os.makedirs(os.path.join(corpus, "osc"), exist_ok=True)
    for name, data in packets.items():
        open(os.path.join(corpus, "osc", name + ".bin"), "wb").write(data)

    csvs = {
        "named.csv": "time,ax,ay,az,gx,gy,gz,label\n0,0.1,0.2,1,0,0,0,idle\n0.01,0.1,0.2,1,0,0,0.5,idle\n",
        "plain.csv": "1,2,3,4,5,6\n7,8,9,10,11,12\n",
        "broken.csv": "ax,ay\n1,nan\n,\n#c\n1e999,2\n",
    }
    os.makedirs(os.path.join(corpus, "csv"), exist_ok=True)
    for name, text in csvs.items():
        open(os.path.join(corpus, "csv", name), "w").write(text)

    os.makedirs(os.path.join(corpus, "state"), exist_ok=True)
    small_model = open(os.path.join(models, "gru_l1_h8_skip.native.json")).read()
    states = {
        "with_model": plugin_state(small_model),
        "parameters_only": plugin_state(None),
        "lying_length": plugin_state(small_model, claimed_length=1 << 30),
        "truncated": plugin_state(small_model)[:200],
    }
    for name, data in states.items():
        open(os.path.join(corpus, "state", name + ".bin"), "wb").write(data)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
