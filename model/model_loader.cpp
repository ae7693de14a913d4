#include "model_loader.h"

#include "guitarml_format.h"
#include "model_error.h"
#include "model_limits.h"
#include "native_format.h"
#include "rtneural_format.h"
#include "state_dict_format.h"

#include "model_json.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gs {
namespace {

// Deeper nesting than any model format needs is refused while parsing, before it costs memory.
constexpr int maxJsonDepth = 32;

struct FormatReader {
    const char* name;
    bool (*recognises)(const ModelJson&);
    std::unique_ptr<RecurrentModel> (*read)(const ModelJson&, const std::string&);
};

constexpr FormatReader formatReaders[] = {
    {nativeFormatName, isNativeModelDocument, readNativeModel},
    {"guitarml", isGuitarMlDocument, readGuitarMlModel},
    {"rtneural", isRtneuralDocument, readRtneuralModel},
    {"state_dict", isStateDictDocument, readStateDictModel},
};

// A file that is recognisably some other model kind gets a message naming it.
void refuseKnownForeignKinds(const ModelJson& document, const std::string& sourceName) {
    if (document.is_object() && document.contains("architecture") && document.contains("weights")) {
        const std::string architecture = document["architecture"].is_string()
                                             ? document["architecture"].get<std::string>()
                                             : "?";
        throw ModelError(
            sourceName, "architecture",
            "a recurrent model (GRU or LSTM); Neural Amp Modeler .nam files are not supported yet",
            "a NAM \"" + architecture + "\" model");
    }
}

ModelJson parseJson(std::string_view text, const std::string& sourceName) {
    if (text.empty()) throw ModelError(sourceName, "", "a JSON model file", "an empty file");
    // While parsing: refuse nesting deeper than any model needs before it costs memory, and a
    // key given twice in one object (JSON would silently keep the last: which weights did the
    // author mean?).
    std::vector<std::set<std::string>> keysOfOpenObjects;
    const ModelJson::parser_callback_t check = [&sourceName, &keysOfOpenObjects](
                                                   int depth, ModelJson::parse_event_t event,
                                                   ModelJson& parsed) {
        // nlohmann reports an array or object start at its parent's depth.
        const bool opens = event == ModelJson::parse_event_t::object_start ||
                           event == ModelJson::parse_event_t::array_start;
        if (depth + (opens ? 1 : 0) > maxJsonDepth)
            throw ModelError(sourceName, "",
                             "JSON nested at most " + std::to_string(maxJsonDepth) + " levels deep",
                             "deeper nesting");
        switch (event) {
        case ModelJson::parse_event_t::object_start: keysOfOpenObjects.emplace_back(); break;
        case ModelJson::parse_event_t::object_end: keysOfOpenObjects.pop_back(); break;
        case ModelJson::parse_event_t::key:
            if (!keysOfOpenObjects.back().insert(parsed.get<std::string>()).second)
                throw ModelError(sourceName, "", "each key once per JSON object",
                                 "\"" + parsed.get<std::string>() + "\" twice in one object");
            break;
        default: break;
        }
        return true;
    };
    try {
        return ModelJson::parse(text.begin(), text.end(), check);
    } catch (const ModelJson::parse_error& error) {
        std::string detail = error.what();
        if (const auto start = detail.find("] "); start != std::string::npos)
            detail.erase(0, start + 2);
        throw ModelError(sourceName, "", "valid JSON", "a syntax error (" + detail + ")");
    } catch (const ModelJson::exception& error) {
        // Not only syntax: a number too large for a double is out_of_range (found by
        // tests/fuzz/fuzz_model_loader; it used to escape as an unknown exception).
        std::string detail = error.what();
        if (const auto start = detail.find("] "); start != std::string::npos)
            detail.erase(0, start + 2);
        throw ModelError(sourceName, "", "valid JSON with numbers a double can hold", detail);
    }
}

std::shared_ptr<const RecurrentModel> readDocument(const ModelJson& document,
                                                   const std::string& sourceName) {
    for (const auto& reader : formatReaders)
        if (reader.recognises(document)) return reader.read(document, sourceName);
    refuseKnownForeignKinds(document, sourceName);
    throw ModelError(
        sourceName, "",
        "a model in a known format (GruStream native, GuitarML, RTNeural/Keras/AIDA-X, "
        "or a PyTorch state_dict of GRU/LSTM and Linear modules)",
        "JSON of no known model format");
}

}  // namespace

std::shared_ptr<const RecurrentModel> loadModelText(std::string_view text,
                                                    const std::string& sourceName) {
    if (text.size() > limits::maxFileBytes)
        throw ModelError(sourceName, "", "a model file of at most 64 MiB",
                         std::to_string(text.size()) + " bytes");
    return readDocument(parseJson(text, sourceName), sourceName);
}

std::shared_ptr<const RecurrentModel> loadModelFile(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw ModelError(name, "", "a readable model file",
                         std::filesystem::exists(path, error) ? "something that is not a file"
                                                              : "no such file");
    const auto size = std::filesystem::file_size(path, error);
    if (error) throw ModelError(name, "", "a readable model file", "an unreadable file");
    if (size > limits::maxFileBytes)
        throw ModelError(name, "", "a model file of at most 64 MiB",
                         std::to_string(size) + " bytes");
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream contents;
    contents << stream.rdbuf();
    if (!stream) throw ModelError(name, "", "a readable model file", "an unreadable file");
    return loadModelText(contents.str(), name);
}

std::string detectModelFormat(std::string_view text) {
    try {
        const ModelJson document = parseJson(text, "");
        for (const auto& reader : formatReaders)
            if (reader.recognises(document)) return reader.name;
    } catch (const ModelError&) {}
    return {};
}

}  // namespace gs
