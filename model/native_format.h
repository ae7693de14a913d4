#pragma once
// The native GruStream model format: versioned JSON, documented in docs/model-format.md.

#include "recurrent_model.h"

#include "model_json.h"

#include <filesystem>
#include <memory>
#include <string>

namespace gs {

inline constexpr const char* nativeFormatName = "grustream";
inline constexpr int nativeFormatVersion = 1;

// True when the document says it is in the native format (any version).
bool isNativeModelDocument(const ModelJson& document);

// Validates everything, then builds the model. Throws ModelError naming file and JSON path.
std::unique_ptr<RecurrentModel> readNativeModel(const ModelJson& document, const std::string& file);

// The native document for a model; keys in a fixed, readable order.
ModelJson toNativeJson(const RecurrentModel& model);
std::string toNativeText(const RecurrentModel& model);

// Writes through a temporary file in the same folder and renames it over path, so a failed
// write never leaves a half-written model. Throws std::runtime_error on I/O failure.
void writeNativeModel(const RecurrentModel& model, const std::filesystem::path& path);

}  // namespace gs
