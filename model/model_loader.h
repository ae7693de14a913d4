#pragma once
// Entry point for reading a model of any supported format. Detects the format by content,
// validates it fully and returns an immutable model ready to hand to the real-time engine.
// Loader thread only: parses, allocates and throws.

#include "recurrent_model.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace gs {

// Throws ModelError (the file is missing, too large, not JSON, or not a valid model).
std::shared_ptr<const RecurrentModel> loadModelFile(const std::filesystem::path& path);

// The same for text already in memory (an embedded default, a plugin state blob).
// sourceName stands for the file in error messages.
std::shared_ptr<const RecurrentModel> loadModelText(std::string_view text,
                                                    const std::string& sourceName);

// Name of the format the text is in ("grustream"), or empty when none is recognised.
std::string detectModelFormat(std::string_view text);

}  // namespace gs
