"""Export torch GRU stacks to the native GruStream format (docs/model-format.md).

Shared by the golden-fixture script and the trainers, so every model the project ships or
tests is written by one function.
"""

import json
import os

import torch

FORMAT_NAME = "grustream"
FORMAT_VERSION = 1


def _rows(tensor):
    return [[float(v) for v in row] for row in tensor.detach().to(torch.float32).tolist()]


def _values(tensor):
    return [float(v) for v in tensor.detach().to(torch.float32).tolist()]


def gru_layers(gru):
    """One native layer object per layer of a torch.nn.GRU or LSTM (torch gate order kept)."""
    if gru.bidirectional or not gru.bias:
        raise ValueError("only unidirectional recurrent layers with biases are supported")
    kind = "lstm" if isinstance(gru, torch.nn.LSTM) else "gru"
    layers = []
    for k in range(gru.num_layers):
        layers.append({
            "type": kind,
            "input_size": gru.input_size if k == 0 else gru.hidden_size,
            "hidden_size": gru.hidden_size,
            "weight_ih": _rows(getattr(gru, f"weight_ih_l{k}")),
            "weight_hh": _rows(getattr(gru, f"weight_hh_l{k}")),
            "bias_ih": _values(getattr(gru, f"bias_ih_l{k}")),
            "bias_hh": _values(getattr(gru, f"bias_hh_l{k}")),
        })
    return layers


def dense_layer(linear: torch.nn.Linear, activation: str):
    return {
        "type": "dense",
        "input_size": linear.in_features,
        "output_size": linear.out_features,
        "activation": activation,
        "weight": _rows(linear.weight),
        "bias": _values(linear.bias),
    }


def native_document(gru, linear, activation, skip, task, sample_rate, inputs, outputs, metadata):
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "task": task,
        "sample_rate": sample_rate,
        "inputs": inputs,
        "outputs": outputs,
        "skip": skip,
        "metadata": metadata,
        "layers": gru_layers(gru) + [dense_layer(linear, activation)],
    }


def write_native(path, document):
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


class GruStack(torch.nn.Module):
    """The torch twin of a native model: GRU (or LSTM) stack -> Linear -> activation, + skip."""

    def __init__(self, input_size, hidden_size, num_layers, output_size, activation="none", skip=0,
                 cell="gru"):
        super().__init__()
        recurrent = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.gru = recurrent(input_size, hidden_size, num_layers)
        self.head = torch.nn.Linear(hidden_size, output_size)
        self.activation = activation
        self.skip = skip

    def forward(self, x, h0=None):
        """x: (time, batch, inputs). Returns (time, batch, outputs) and the final state."""
        hidden, state = self.gru(x, h0)
        y = self.head(hidden)
        if self.activation == "tanh":
            y = torch.tanh(y)
        elif self.activation == "sigmoid":
            y = torch.sigmoid(y)
        elif self.activation == "softmax":
            y = torch.softmax(y, dim=-1)
        if self.skip:
            y = torch.cat([y[..., : self.skip] + x[..., : self.skip], y[..., self.skip:]], dim=-1)
        return y, state

    def to_native(self, task, sample_rate, inputs, outputs, metadata):
        return native_document(self.gru, self.head, self.activation, self.skip, task, sample_rate,
                               inputs, outputs, metadata)
