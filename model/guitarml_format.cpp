#include "guitarml_format.h"

#include "gru_layer.h"
#include "json_cursor.h"
#include "lstm_layer.h"
#include "model_limits.h"

#include <algorithm>
#include <cctype>

namespace gs {

bool isGuitarMlDocument(const ModelJson& document) {
    return document.is_object() && document.contains("model_data") &&
           document.contains("state_dict");
}

std::unique_ptr<RecurrentModel> readGuitarMlModel(const ModelJson& document,
                                                  const std::string& file) {
    const JsonCursor root(document, "", file);
    const JsonCursor data = root.field("model_data");
    const JsonCursor weights = root.field("state_dict");
    if (const auto kind = data.optionalField("model"); kind && kind->asString() != "SimpleRNN")
        kind->fail("\"SimpleRNN\" (the only GuitarML architecture GruStream reads)");
    const JsonCursor unitField = data.field("unit_type");
    std::string unit = unitField.asString();
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (unit != "GRU" && unit != "LSTM") unitField.fail(R"("GRU" or "LSTM")");
    const int gates = unit == "GRU" ? 3 : 4;

    const int inputs = data.field("input_size").asInteger(1, limits::maxInputSize);
    const int hidden = data.field("hidden_size").asInteger(1, limits::maxHiddenSize);
    const int layerCount = data.has("num_layers")
                               ? data.field("num_layers").asInteger(1, limits::maxRecurrentLayers)
                               : 1;
    const int outputs =
        data.has("output_size") ? data.field("output_size").asInteger(1, limits::maxOutputSize) : 1;
    const int skip =
        data.has("skip") ? data.field("skip").asInteger(0, std::min(inputs, outputs)) : 0;
    const bool biased = !data.has("bias_fl") || data.field("bias_fl").value() != false;

    ModelInfo info;
    info.sourceFormat = "guitarml";
    info.task = inputs == 1 && outputs == 1 ? ModelTask::Effect : ModelTask::Detector;
    if (const auto rate = data.optionalField("sample_rate")) {
        info.sampleRate = rate->asFiniteNumber();
        if (info.sampleRate < limits::minSampleRate || info.sampleRate > limits::maxSampleRate)
            rate->fail("a sample rate from 1 to 768000 Hz");
    } else {
        info.sampleRate = guitarMlAssumedSampleRate;
        info.sampleRateAssumed = true;
    }

    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    const auto rows = static_cast<std::size_t>(gates * hidden);
    for (int k = 0; k < layerCount; ++k) {
        const std::string suffix = "_l" + std::to_string(k);
        const auto layerInputs = static_cast<std::size_t>(k == 0 ? inputs : hidden);
        auto weightIh = weights.field("rec.weight_ih" + suffix).asMatrix(rows, layerInputs);
        auto weightHh = weights.field("rec.weight_hh" + suffix)
                            .asMatrix(rows, static_cast<std::size_t>(hidden));
        Eigen::VectorXf biasIh = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(rows));
        Eigen::VectorXf biasHh = biasIh;
        if (biased) {
            biasIh = weights.field("rec.bias_ih" + suffix).asVector(rows);
            biasHh = weights.field("rec.bias_hh" + suffix).asVector(rows);
        }
        if (gates == 3)
            layers.push_back(std::make_unique<GruLayer>(std::move(weightIh), std::move(weightHh),
                                                        std::move(biasIh), std::move(biasHh)));
        else
            layers.push_back(std::make_unique<LstmLayer>(std::move(weightIh), std::move(weightHh),
                                                         std::move(biasIh), std::move(biasHh)));
    }
    DenseLayer head(
        weights.field("lin.weight")
            .asMatrix(static_cast<std::size_t>(outputs), static_cast<std::size_t>(hidden)),
        weights.field("lin.bias").asVector(static_cast<std::size_t>(outputs)), Activation::None);
    return std::make_unique<RecurrentModel>(std::move(layers), std::move(head), skip,
                                            std::move(info));
}

}  // namespace gs
