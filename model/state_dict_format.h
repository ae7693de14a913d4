#pragma once
// A plain PyTorch state_dict of a sequential model, as JSON: keys "<module>.<parameter>" in
// module order (e.g. "gru.weight_ih_l0", "gru2.weight_hh_l2", "dense.weight"), values nested
// arrays. Module kinds and sizes come from the key names and shapes: a module with
// weight_ih_l0 is recurrent (3H rows: GRU, 4H: LSTM), one with a 2-D weight is Linear.
// Anything else is refused with a message naming the module. A state_dict holds no sample
// rate (48000 Hz is assumed) and no skip (none).

#include "model_json.h"
#include "recurrent_model.h"

#include <memory>
#include <string>

namespace gs {

inline constexpr double stateDictAssumedSampleRate = 48000.0;

bool isStateDictDocument(const ModelJson& document);
std::unique_ptr<RecurrentModel> readStateDictModel(const ModelJson& document,
                                                   const std::string& file);

}  // namespace gs
