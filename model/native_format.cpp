#include "native_format.h"

#include "json_cursor.h"
#include "model_limits.h"
#include "native_layers.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace gs {
namespace {

ModelTask readTask(const JsonCursor& field) {
    const std::string name = field.asString();
    if (name == "effect") return ModelTask::Effect;
    if (name == "detector") return ModelTask::Detector;
    field.fail(R"("effect" or "detector")");
}

std::vector<std::pair<std::string, std::string>> readMetadata(const JsonCursor& field) {
    if (!field.isObject()) field.fail("an object of text values");
    std::vector<std::pair<std::string, std::string>> metadata;
    for (const auto& [key, value] : field.value().items())
        metadata.emplace_back(key, field.field(key).asString());
    return metadata;
}

// "reference": {"input": [...], "output": [...]}, frame-major, the same number of frames.
void readReference(const JsonCursor& reference, int inputSize, int outputSize, ModelInfo& info) {
    const JsonCursor input = reference.field("input");
    const JsonCursor output = reference.field("output");
    const std::size_t inputs = input.arraySize(), outputs = output.arraySize();
    if (inputs % static_cast<std::size_t>(inputSize) != 0)
        input.fail("a multiple of " + std::to_string(inputSize) + " values (whole frames)");
    const std::size_t frames = inputs / static_cast<std::size_t>(inputSize);
    if (outputs != frames * static_cast<std::size_t>(outputSize))
        output.fail(std::to_string(frames * static_cast<std::size_t>(outputSize)) +
                    " values (one frame per input frame)");
    info.referenceInput = input.asFloatVector(inputs);
    info.referenceOutput = output.asFloatVector(outputs);
}

std::string layerPath(std::size_t index) { return "layers[" + std::to_string(index) + "]"; }

// "input_normalisation": {"mean": [...], "std": [...]}, one value per input: the model expects
// (x - mean) / std. Folded into the first layer at load, so the loaded model takes raw x.
std::unique_ptr<const RecurrentLayer> foldInputNormalisation(const JsonCursor& normalisation,
                                                             const RecurrentLayer& first) {
    const auto inputs = static_cast<std::size_t>(first.inputSize());
    const JsonCursor meanField = normalisation.field("mean");
    const JsonCursor stdField = normalisation.field("std");
    const std::vector<float> mean = meanField.asFloatVector(inputs);
    const std::vector<float> stdDev = stdField.asFloatVector(inputs);
    for (std::size_t i = 0; i < inputs; ++i)
        if (!(stdDev[i] > 0.0f) || !std::isfinite(1.0f / stdDev[i]))
            stdField.element(i).fail("a positive standard deviation");
    return first.withNormalisedInput(mean, stdDev);
}

}  // namespace

bool isNativeModelDocument(const ModelJson& document) {
    return document.is_object() && document.contains("format") &&
           document["format"] == nativeFormatName;
}

std::unique_ptr<RecurrentModel> readNativeModel(const ModelJson& document,
                                                const std::string& file) {
    const JsonCursor root(document, "", file);
    if (!root.isObject()) root.fail("a JSON object");
    const JsonCursor format = root.field("format");
    if (format.asString() != nativeFormatName) format.fail("\"grustream\"");
    const JsonCursor version = root.field("version");
    const int versionNumber = version.asInteger(1, 1 << 20);
    if (versionNumber > nativeFormatVersion)
        version.fail("a format version up to " + std::to_string(nativeFormatVersion) +
                     " (the file is newer than this build of GruStream)");

    ModelInfo info;
    info.task = readTask(root.field("task"));
    const JsonCursor rate = root.field("sample_rate");
    info.sampleRate = rate.asFiniteNumber();
    if (info.sampleRate < limits::minSampleRate || info.sampleRate > limits::maxSampleRate)
        rate.fail("a sample rate from 1 to 768000 Hz");

    const JsonCursor layers = root.field("layers");
    const std::size_t layerCount = layers.arraySize();
    if (layerCount < 2 || layerCount > static_cast<std::size_t>(limits::maxRecurrentLayers) + 1)
        layers.fail("an array of 1 to " + std::to_string(limits::maxRecurrentLayers) +
                    " recurrent layers followed by one dense layer");

    std::vector<std::unique_ptr<const RecurrentLayer>> recurrent;
    int expectedInput = 0;
    std::string inputContext;
    for (std::size_t i = 0; i + 1 < layerCount; ++i) {
        const JsonCursor layer = layers.element(i);
        const JsonCursor type = layer.field("type");
        if (!isNativeRecurrentType(type.asString()))
            type.fail(R"(a recurrent layer type ("gru" or "lstm"): only the last layer is dense)");
        recurrent.push_back(readNativeRecurrentLayer(layer, expectedInput, inputContext));
        expectedInput = recurrent.back()->outputSize();
        inputContext = "the output size of " + layerPath(i);
    }
    DenseLayer head =
        readNativeDenseLayer(layers.element(layerCount - 1), expectedInput, inputContext);

    const int inputSize = recurrent.front()->inputSize();
    const int outputSize = head.outputSize();
    if (const auto names = root.optionalField("inputs"))
        info.inputNames = names->asStringVector(static_cast<std::size_t>(inputSize));
    // Without "outputs" the names stay the defaults.
    if (const auto names = root.optionalField("outputs"))
        info.outputNames = names->asStringVector(static_cast<std::size_t>(outputSize));

    int skip = 0;
    if (const auto field = root.optionalField("skip"))
        skip = field->asInteger(0, std::min(inputSize, outputSize));
    if (const auto field = root.optionalField("metadata")) info.metadata = readMetadata(*field);
    if (const auto normalisation = root.optionalField("input_normalisation")) {
        recurrent.front() = foldInputNormalisation(*normalisation, *recurrent.front());
        info.metadata.emplace_back("input_normalisation", "folded into layers[0] at load");
    }
    if (const auto reference = root.optionalField("reference"))
        readReference(*reference, inputSize, outputSize, info);

    return std::make_unique<RecurrentModel>(std::move(recurrent), std::move(head), skip,
                                            std::move(info));
}

ModelJson toNativeJson(const RecurrentModel& model) {
    const ModelInfo& info = model.info();
    ModelJson out;
    out["format"] = nativeFormatName;
    out["version"] = nativeFormatVersion;
    out["task"] = modelTaskName(info.task);
    out["sample_rate"] = info.sampleRate;
    out["inputs"] = info.inputNames;
    out["outputs"] = info.outputNames;
    out["skip"] = model.skip();
    ModelJson metadata = ModelJson::object();
    for (const auto& [key, value] : info.metadata) metadata[key] = value;
    out["metadata"] = metadata;
    ModelJson layers = ModelJson::array();
    for (const auto& layer : model.layers()) layers.push_back(writeNativeRecurrentLayer(*layer));
    layers.push_back(writeNativeDenseLayer(model.head()));
    out["layers"] = std::move(layers);
    if (!info.referenceInput.empty()) {
        ModelJson input = ModelJson::array(), output = ModelJson::array();
        for (float v : info.referenceInput) input.push_back(static_cast<double>(v));
        for (float v : info.referenceOutput) output.push_back(static_cast<double>(v));
        out["reference"] = {{"input", std::move(input)}, {"output", std::move(output)}};
    }
    return out;
}

std::string toNativeText(const RecurrentModel& model) { return toNativeJson(model).dump(1) + "\n"; }

void writeNativeModel(const RecurrentModel& model, const std::filesystem::path& path) {
    const std::string text = toNativeText(model);
    std::filesystem::path temporary = path;
    temporary += ".partial";
    {
        std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
        stream.write(text.data(), static_cast<std::streamsize>(text.size()));
        stream.close();
        if (!stream) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw std::runtime_error("cannot write model file " + path.string());
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw std::runtime_error("cannot write model file " + path.string());
    }
}

}  // namespace gs
