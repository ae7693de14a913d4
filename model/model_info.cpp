#include "model_info.h"

namespace gs {

const char* modelTaskName(ModelTask task) noexcept {
    return task == ModelTask::Detector ? "detector" : "effect";
}

std::string ModelInfo::metadataValue(const std::string& key, const std::string& fallback) const {
    for (const auto& [name, value] : metadata)
        if (name == key) return value;
    return fallback;
}

}  // namespace gs
