#pragma once
// GuitarML / Automated-GuitarAmpModelling JSON (Proteus, NeuralPi, NeuralSeed captures):
// {"model_data": {unit_type, input_size, hidden_size, num_layers, output_size, skip, ...},
//  "state_dict": {"rec.weight_ih_l0": ..., "lin.weight": ...}} in PyTorch gate order.
// Without model_data.sample_rate the rate is assumed to be 44100 Hz, GuitarML's default.

#include "model_json.h"
#include "recurrent_model.h"

#include <memory>
#include <string>

namespace gs {

inline constexpr double guitarMlAssumedSampleRate = 44100.0;

bool isGuitarMlDocument(const ModelJson& document);
std::unique_ptr<RecurrentModel> readGuitarMlModel(const ModelJson& document,
                                                  const std::string& file);

}  // namespace gs
