#include "rtneural_format.h"

#include "gru_layer.h"
#include "json_cursor.h"
#include "lstm_layer.h"
#include "model_limits.h"

#include <cmath>

namespace gs {
namespace {

// Keras stacks gate columns z, r, h; torch stacks gate rows r, z, n.
Eigen::MatrixXf kerasGruToTorch(const Eigen::MatrixXf& columns, Eigen::Index hidden) {
    Eigen::MatrixXf rows(3 * hidden, columns.rows());
    rows.middleRows(0, hidden) = columns.middleCols(hidden, hidden).transpose();               // r
    rows.middleRows(hidden, hidden) = columns.middleCols(0, hidden).transpose();               // z
    rows.middleRows(2 * hidden, hidden) = columns.middleCols(2 * hidden, hidden).transpose();  // n
    return rows;
}

int layerWidth(const JsonCursor& layer) {
    const JsonCursor shape = layer.field("shape");
    const std::size_t size = shape.arraySize();
    if (size == 0) shape.fail("a shape such as [null, null, 8]");
    return shape.element(size - 1).asInteger(1, limits::maxHiddenSize);
}

std::unique_ptr<const RecurrentLayer> readRecurrent(const JsonCursor& layer,
                                                    const std::string& type, int inputs) {
    if (const auto activation = layer.optionalField("activation")) {
        const std::string name = activation->asString();
        if (!name.empty() && name != "tanh")
            activation->fail("\"tanh\" (the only recurrent activation RTNeural runs)");
    }
    const int hidden = layerWidth(layer);
    const JsonCursor weights = layer.field("weights");
    const auto in = static_cast<std::size_t>(inputs), h = static_cast<std::size_t>(hidden);
    if (type == "gru") {
        weights.requireArraySize(3);
        const Eigen::MatrixXf w = weights.element(0).asMatrix(in, 3 * h);
        const Eigen::MatrixXf u = weights.element(1).asMatrix(h, 3 * h);
        // input bias, recurrent bias
        const Eigen::MatrixXf b = weights.element(2).asMatrix(2, 3 * h);
        return std::make_unique<GruLayer>(kerasGruToTorch(w, hidden), kerasGruToTorch(u, hidden),
                                          kerasGruToTorch(b.row(0), hidden).col(0),
                                          kerasGruToTorch(b.row(1), hidden).col(0));
    }
    weights.requireArraySize(3);
    const Eigen::MatrixXf w = weights.element(0).asMatrix(in, 4 * h);
    const Eigen::MatrixXf u = weights.element(1).asMatrix(h, 4 * h);
    Eigen::VectorXf bias = weights.element(2).asVector(4 * h);
    return std::make_unique<LstmLayer>(w.transpose(), u.transpose(), std::move(bias),
                                       Eigen::VectorXf::Zero(static_cast<Eigen::Index>(4 * h)));
}

DenseLayer readDense(const JsonCursor& layer, int inputs, float gain) {
    Activation activation = Activation::None;
    if (const auto field = layer.optionalField("activation")) {
        const std::string name = field->asString();
        const auto parsed =
            name.empty() ? std::optional<Activation>(Activation::None) : activationFromName(name);
        if (!parsed) field->fail(R"(no activation, "linear", "tanh", "sigmoid" or "softmax")");
        activation = *parsed;
    }
    const int outputs = layerWidth(layer);
    const JsonCursor weights = layer.field("weights");
    weights.requireArraySize(2);
    const Eigen::MatrixXf w = weights.element(0).asMatrix(static_cast<std::size_t>(inputs),
                                                          static_cast<std::size_t>(outputs));
    const Eigen::VectorXf b = weights.element(1).asVector(static_cast<std::size_t>(outputs));
    if (gain != 1.0f && activation != Activation::None)
        layer.fail("a linear output layer (out_gain cannot be folded into an activation)");
    return {w.transpose() * gain, b * gain, activation};
}

float gainFromDb(const ModelJson& document, const char* key, const std::string& file) {
    if (!document.contains(key)) return 1.0f;
    const JsonCursor field(document.at(key), key, file);
    return std::pow(10.0f, static_cast<float>(field.asFiniteNumber()) / 20.0f);
}

double readSampleRate(const JsonCursor& root, bool& assumed) {
    assumed = false;
    if (const auto metadata = root.optionalField("metadata"); metadata && metadata->isObject()) {
        if (const auto rate = metadata->optionalField("samplerate")) {
            const double value = rate->value().is_string() ? std::atof(rate->asString().c_str())
                                                           : rate->asFiniteNumber();
            if (!(value >= limits::minSampleRate && value <= limits::maxSampleRate))
                rate->fail("a sample rate from 1 to 768000 Hz");
            return value;
        }
    }
    assumed = true;
    return rtneuralAssumedSampleRate;
}

}  // namespace

bool isRtneuralDocument(const ModelJson& document) {
    return document.is_object() && document.contains("layers") && document.contains("in_shape") &&
           !document.contains("format");
}

std::unique_ptr<RecurrentModel> readRtneuralModel(const ModelJson& document,
                                                  const std::string& file) {
    const JsonCursor root(document, "", file);
    const JsonCursor inShape = root.field("in_shape");
    const std::size_t dims = inShape.arraySize();
    if (dims == 0) inShape.fail("a shape such as [null, null, 1]");
    const int inputs = inShape.element(dims - 1).asInteger(1, limits::maxInputSize);

    // AIDA-X gains: out = out_gain * (model(in_gain * x) + in_gain * x); folded into the first
    // layer's input weights and the head, which needs in_gain * out_gain == 1 when skipping.
    const float inputGain = gainFromDb(document, "in_gain", file);
    const float outputGain = gainFromDb(document, "out_gain", file);

    const JsonCursor layers = root.field("layers");
    const std::size_t count = layers.arraySize();
    std::vector<std::unique_ptr<const RecurrentLayer>> recurrent;
    std::optional<DenseLayer> head;
    int width = inputs;
    for (std::size_t i = 0; i < count; ++i) {
        const JsonCursor layer = layers.element(i);
        const JsonCursor typeField = layer.field("type");
        const std::string type = typeField.asString();
        if (type == "gru" || type == "lstm") {
            if (head) typeField.fail("only recurrent layers before the one dense output layer");
            if (recurrent.size() == static_cast<std::size_t>(limits::maxRecurrentLayers))
                typeField.fail("at most " + std::to_string(limits::maxRecurrentLayers) +
                               " recurrent layers");
            recurrent.push_back(readRecurrent(layer, type, width));
            width = recurrent.back()->outputSize();
        } else if (type == "dense") {
            if (head)
                typeField.fail("one dense output layer (GruStream runs recurrent layers, then one "
                               "dense layer)");
            if (recurrent.empty())
                typeField.fail("a recurrent layer (gru or lstm) before the dense layer");
            head = readDense(layer, width, outputGain);
        } else {
            typeField.fail(
                "a supported layer type (gru, lstm, dense); this is an unsupported layer type");
        }
    }
    if (recurrent.empty() || !head)
        layers.fail("recurrent layers (gru or lstm) followed by one dense layer");

    ModelInfo info;
    info.sourceFormat = "rtneural";
    info.sampleRate = readSampleRate(root, info.sampleRateAssumed);
    info.task = inputs == 1 && head->outputSize() == 1 ? ModelTask::Effect : ModelTask::Detector;
    if (const auto metadata = root.optionalField("metadata"); metadata && metadata->isObject())
        for (const auto& [key, value] : metadata->value().items())
            if (value.is_string()) info.metadata.emplace_back(key, value.get<std::string>());

    int skip = 0;
    if (const auto field = root.optionalField("in_skip")) {
        skip = field->value().is_boolean()
                   ? (field->value().get<bool>() ? 1 : 0)
                   : field->asInteger(0, std::min(inputs, head->outputSize()));
        if (skip > 0 && std::fabs(inputGain * outputGain - 1.0f) > 1e-6f)
            field->fail(
                "in_gain and out_gain that cancel (a skip path cannot carry other gains yet)");
    }
    if (inputGain != 1.0f) {
        auto* first = recurrent.front().get();
        // Rebuild the first layer with its input weights scaled.
        if (const auto* gru = dynamic_cast<const GruLayer*>(first))
            recurrent.front() = std::make_unique<GruLayer>(
                gru->weightIh() * inputGain, gru->weightHh(), gru->biasIh(), gru->biasHh());
        else if (const auto* lstm = dynamic_cast<const LstmLayer*>(first))
            recurrent.front() = std::make_unique<LstmLayer>(
                lstm->weightIh() * inputGain, lstm->weightHh(), lstm->biasIh(), lstm->biasHh());
    }

    if (root.has("input_batch") && root.has("output_batch")) {
        info.referenceInput = root.field("input_batch").asFlattenedFloats(1u << 22);
        info.referenceOutput = root.field("output_batch").asFlattenedFloats(1u << 22);
        if (info.referenceInput.size() % static_cast<std::size_t>(inputs) != 0 ||
            info.referenceOutput.size() != info.referenceInput.size() /
                                               static_cast<std::size_t>(inputs) *
                                               static_cast<std::size_t>(head->outputSize()))
            root.field("output_batch").fail("one output frame per input frame of input_batch");
    }
    return std::make_unique<RecurrentModel>(std::move(recurrent), std::move(*head), skip,
                                            std::move(info));
}

}  // namespace gs
