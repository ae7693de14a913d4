// Any bytes as a model file: every format reader (native, GuitarML, RTNeural/Keras/AIDA-X,
// PyTorch state_dict, NAM refusal) runs through format detection. A bad file must end in
// ModelError; anything else (another exception, a crash, a leak, a sanitizer report) is a bug.

#include "model/model_error.h"
#include "model/model_loader.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto model = gs::loadModelText(
            std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
        // A model that loads must also run.
        gs::ModelState state(*model);
        std::vector<float> input(static_cast<std::size_t>(model->inputSize()), 0.5f);
        std::vector<float> output(static_cast<std::size_t>(model->outputSize()));
        model->processFrame(input.data(), output.data(), state);
    } catch (const gs::ModelError&) {}
    return 0;
}
