// Any bytes as the plugin state a host hands back: the decoder must return a state or an
// error message, never crash, and never inflate a model past its limit.

#include "plugin_state.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const gs::plugin::DecodedState decoded = gs::plugin::decodeState(data, static_cast<int>(size));
    // exactly one of them
    if (decoded.state.has_value() == decoded.error.isNotEmpty()) __builtin_trap();
    if (decoded.state && decoded.state->model) {
        const gs::plugin::SavedModel& model = *decoded.state->model;
        if (static_cast<std::size_t>(model.text.getNumBytesAsUTF8()) >
            gs::plugin::maxModelTextBytes)
            __builtin_trap();
        // a checksum was skipped
        if (gs::plugin::sha256Hex(model.text) != model.sha256) __builtin_trap();
    }
    return 0;
}
