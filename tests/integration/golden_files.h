#pragma once
// Reads the fixtures that tools/training/make_golden.py writes into the build tree.

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::test {

inline std::string goldenPath(const std::string& name) {
    return std::string(GS_GOLDEN_DIR) + "/" + name;
}

inline std::vector<float> readFloats(const std::string& path) {
    std::ifstream stream(path, std::ios::binary | std::ios::ate);
    if (!stream) throw std::runtime_error("missing golden file " + path);
    const auto bytes = static_cast<std::size_t>(stream.tellg());
    std::vector<float> values(bytes / sizeof(float));
    stream.seekg(0);
    stream.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(bytes));
    return values;
}

inline nlohmann::json readManifest() {
    std::ifstream stream(goldenPath("manifest.json"));
    if (!stream) throw std::runtime_error("missing golden manifest: run make_golden.py");
    return nlohmann::json::parse(stream);
}

}  // namespace gs::test
