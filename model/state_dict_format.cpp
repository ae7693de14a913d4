#include "state_dict_format.h"

#include "gru_layer.h"
#include "json_cursor.h"
#include "lstm_layer.h"
#include "model_error.h"
#include "model_limits.h"

#include <algorithm>
#include <optional>

namespace gs {
namespace {

struct Module {
    std::string name;
    std::vector<std::string> parameters;  // in file order
};

std::vector<Module> groupByModule(const ModelJson& document) {
    std::vector<Module> modules;
    for (const auto& [key, value] : document.items()) {
        const auto dot = key.rfind('.');
        const std::string name = dot == std::string::npos ? std::string() : key.substr(0, dot);
        if (modules.empty() || modules.back().name != name) modules.push_back({name, {}});
        modules.back().parameters.push_back(dot == std::string::npos ? key : key.substr(dot + 1));
    }
    return modules;
}

bool has(const Module& module, const std::string& parameter) {
    return std::find(module.parameters.begin(), module.parameters.end(), parameter) !=
           module.parameters.end();
}

std::string listed(const Module& module) {
    std::string text;
    for (const auto& p : module.parameters) text += (text.empty() ? "" : ", ") + p;
    return text;
}

std::unique_ptr<const RecurrentLayer> readLayer(const JsonCursor& root, const Module& module, int k,
                                                int inputs) {
    const std::string prefix = module.name + ".";
    const std::string suffix = "_l" + std::to_string(k);
    const JsonCursor hh = root.field(prefix + "weight_hh" + suffix);
    const auto [hhRows, hidden] = hh.matrixShape();
    if (hidden < 1 || hidden > static_cast<std::size_t>(limits::maxHiddenSize) ||
        (hhRows != 3 * hidden && hhRows != 4 * hidden))
        hh.fail("3H x H (GRU) or 4H x H (LSTM) weights with H from 1 to 1024");
    const auto weightIh = root.field(prefix + "weight_ih" + suffix)
                              .asMatrix(hhRows, static_cast<std::size_t>(inputs));
    const auto weightHh = hh.asMatrix(hhRows, hidden);
    Eigen::VectorXf biasIh = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(hhRows)),
                    biasHh = biasIh;
    if (has(module, "bias_ih" + suffix))
        biasIh = root.field(prefix + "bias_ih" + suffix).asVector(hhRows);
    if (has(module, "bias_hh" + suffix))
        biasHh = root.field(prefix + "bias_hh" + suffix).asVector(hhRows);
    if (hhRows == 3 * hidden) return std::make_unique<GruLayer>(weightIh, weightHh, biasIh, biasHh);
    return std::make_unique<LstmLayer>(weightIh, weightHh, biasIh, biasHh);
}

}  // namespace

bool isStateDictDocument(const ModelJson& document) {
    if (!document.is_object() || document.empty()) return false;
    for (const auto& [key, value] : document.items())
        if (key.size() >= 12 && key.substr(key.size() - 12) == "weight_ih_l0") return true;
    return false;
}

std::unique_ptr<RecurrentModel> readStateDictModel(const ModelJson& document,
                                                   const std::string& file) {
    const JsonCursor root(document, "", file);
    for (const auto& [key, value] : document.items())
        if (key.find("_reverse") != std::string::npos)
            throw ModelError(file, key, "a unidirectional recurrent module", "a bidirectional one");
    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    std::optional<DenseLayer> head;
    int width = 0;
    for (const Module& module : groupByModule(document)) {
        const std::string where = "module \"" + module.name + "\"";
        if (head)
            throw ModelError(file, module.name, "nothing after the final Linear module",
                             "another module");
        if (has(module, "weight_ih_l0")) {
            if (width == 0)
                width = static_cast<int>(
                    root.field(module.name + ".weight_ih_l0").matrixShape().second);
            if (width < 1 || width > limits::maxInputSize)
                root.field(module.name + ".weight_ih_l0").fail("1 to 1024 input columns");
            for (int k = 0; has(module, "weight_ih_l" + std::to_string(k)); ++k) {
                if (layers.size() == static_cast<std::size_t>(limits::maxRecurrentLayers))
                    throw ModelError(file, module.name, "at most 16 recurrent layers", "more");
                layers.push_back(readLayer(root, module, k, width));
                width = layers.back()->outputSize();
            }
        } else if (has(module, "weight") && module.parameters.size() <= 2) {
            if (layers.empty())
                throw ModelError(file, module.name,
                                 "a recurrent module (GRU or LSTM) before the Linear one",
                                 "a Linear module first");
            const JsonCursor weight = root.field(module.name + ".weight");
            const auto [outputs, inputs] = weight.matrixShape();
            if (inputs != static_cast<std::size_t>(width))
                weight.fail("a Linear weight with " + std::to_string(width) +
                            " columns (the last hidden size)");
            if (outputs < 1 || outputs > static_cast<std::size_t>(limits::maxOutputSize))
                weight.fail("1 to 1024 rows");
            Eigen::VectorXf bias = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(outputs));
            if (has(module, "bias")) bias = root.field(module.name + ".bias").asVector(outputs);
            head.emplace(weight.asMatrix(outputs, inputs), std::move(bias), Activation::None);
        } else {
            throw ModelError(
                file, module.name,
                "a GRU/LSTM module (weight_ih_l0, ...) or a Linear module (weight, bias)",
                "a " + where + " with the parameters " + listed(module) + ", which is ambiguous");
        }
    }
    if (layers.empty() || !head)
        throw ModelError(file, "", "recurrent modules followed by one Linear module",
                         "no Linear output module");
    ModelInfo info;
    info.sourceFormat = "state_dict";
    info.sampleRate = stateDictAssumedSampleRate;
    info.sampleRateAssumed = true;
    info.task = layers.front()->inputSize() == 1 && head->outputSize() == 1 ? ModelTask::Effect
                                                                            : ModelTask::Detector;
    return std::make_unique<RecurrentModel>(std::move(layers), std::move(*head), 0,
                                            std::move(info));
}

}  // namespace gs
