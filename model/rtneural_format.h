#pragma once
// RTNeural / Keras JSON as RTNeural's exporter writes it and AIDA-X uses it:
// {"in_shape": [null, null, N], "layers": [{"type", "activation", "shape", "weights"}, ...]}.
// GRU weights are [W (in x 3H), U (H x 3H), bias (2 x 3H)] in Keras gate order z, r, h with the
// reset applied after the recurrent matmul; they are reordered to r, z, n here, at load time.
// LSTM weights are [W (in x 4H), U (H x 4H), b (4H)] in order i, f, c, o (torch's i, f, g, o).
// AIDA-X extras: in_skip, in_gain / out_gain (dB, folded into the weights), metadata.samplerate,
// input_batch / output_batch (reference I/O). Without a rate, 48000 Hz is assumed.

#include "model_json.h"
#include "recurrent_model.h"

#include <memory>
#include <string>

namespace gs {

inline constexpr double rtneuralAssumedSampleRate = 48000.0;

bool isRtneuralDocument(const ModelJson& document);
std::unique_ptr<RecurrentModel> readRtneuralModel(const ModelJson& document,
                                                  const std::string& file);

}  // namespace gs
