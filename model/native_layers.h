#pragma once
// Reading and writing the layer objects of the native format, one entry per layer kind.
// Adding a layer kind (LSTM, ...) adds one row to the table in native_layers.cpp.

#include "dense_layer.h"
#include "json_cursor.h"
#include "recurrent_layer.h"

#include "model_json.h"

#include <memory>
#include <string>

namespace gs {

// Reads a recurrent layer of any registered kind. expectedInputSize is what the previous
// layer gives (or the model's input size for the first, or 0 when it is free to choose);
// inputContext says where that number comes from, for the error message.
std::unique_ptr<const RecurrentLayer> readNativeRecurrentLayer(const JsonCursor& layer,
                                                               int expectedInputSize,
                                                               const std::string& inputContext);
DenseLayer readNativeDenseLayer(const JsonCursor& layer, int expectedInputSize,
                                const std::string& inputContext);

ModelJson writeNativeRecurrentLayer(const RecurrentLayer& layer);
ModelJson writeNativeDenseLayer(const DenseLayer& layer);

// True when the type name names a registered recurrent kind.
bool isNativeRecurrentType(const std::string& type);

}  // namespace gs
