#include "model_error.h"

namespace gs {
namespace {

std::string composeMessage(const std::string& file, const std::string& jsonPath,
                           const std::string& expected, const std::string& found) {
    std::string message = file.empty() ? std::string("model") : file;
    if (!jsonPath.empty()) message += ": at " + jsonPath;
    message += ": expected " + expected + ", found " + found;
    return message;
}

}  // namespace

ModelError::ModelError(std::string file, std::string jsonPath, std::string expected,
                       std::string found)
    : std::runtime_error(composeMessage(file, jsonPath, expected, found)), file_(std::move(file)),
      jsonPath_(std::move(jsonPath)), expected_(std::move(expected)), found_(std::move(found)) {}

}  // namespace gs
