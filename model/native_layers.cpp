#include "native_layers.h"

#include "gru_layer.h"
#include "lstm_layer.h"
#include "model_limits.h"

#include <stdexcept>

namespace gs {
namespace {

int readInputSize(const JsonCursor& layer, int expectedInputSize, const std::string& inputContext) {
    const JsonCursor field = layer.field("input_size");
    const int inputSize = field.asInteger(1, limits::maxInputSize);
    if (expectedInputSize > 0 && inputSize != expectedInputSize)
        field.fail(std::to_string(expectedInputSize) + " (" + inputContext + ")");
    return inputSize;
}

ModelJson matrixToJson(const Eigen::MatrixXf& matrix) {
    ModelJson rows = ModelJson::array();
    for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
        ModelJson row = ModelJson::array();
        // float -> double is exact, and the shortest double text reads back to the same float.
        for (Eigen::Index c = 0; c < matrix.cols(); ++c)
            row.push_back(static_cast<double>(matrix(r, c)));
        rows.push_back(std::move(row));
    }
    return rows;
}

ModelJson vectorToJson(const Eigen::VectorXf& vector) {
    ModelJson values = ModelJson::array();
    for (Eigen::Index i = 0; i < vector.size(); ++i)
        values.push_back(static_cast<double>(vector[i]));
    return values;
}

// GRU and LSTM share the torch layout: gate blocks stacked in weight_ih / weight_hh.
template <typename Layer, int Gates>
std::unique_ptr<const RecurrentLayer> readGated(const JsonCursor& layer, int expectedInputSize,
                                                const std::string& inputContext) {
    const int inputSize = readInputSize(layer, expectedInputSize, inputContext);
    const int hidden = layer.field("hidden_size").asInteger(1, limits::maxHiddenSize);
    const auto gates = static_cast<std::size_t>(Gates * hidden);
    auto weightIh = layer.field("weight_ih").asMatrix(gates, static_cast<std::size_t>(inputSize));
    auto weightHh = layer.field("weight_hh").asMatrix(gates, static_cast<std::size_t>(hidden));
    auto biasIh = layer.field("bias_ih").asVector(gates);
    auto biasHh = layer.field("bias_hh").asVector(gates);
    return std::make_unique<Layer>(std::move(weightIh), std::move(weightHh), std::move(biasIh),
                                   std::move(biasHh));
}

template <typename Layer>
ModelJson writeGated(const RecurrentLayer& layer) {
    const auto& gated = dynamic_cast<const Layer&>(layer);
    ModelJson out;
    out["type"] = gated.typeName();
    out["input_size"] = gated.inputSize();
    out["hidden_size"] = gated.hiddenSize();
    out["weight_ih"] = matrixToJson(gated.weightIh());
    out["weight_hh"] = matrixToJson(gated.weightHh());
    out["bias_ih"] = vectorToJson(gated.biasIh());
    out["bias_hh"] = vectorToJson(gated.biasHh());
    return out;
}

struct RecurrentKind {
    const char* type;
    std::unique_ptr<const RecurrentLayer> (*read)(const JsonCursor&, int, const std::string&);
    ModelJson (*write)(const RecurrentLayer&);
};

constexpr RecurrentKind recurrentKinds[] = {
    {"gru", readGated<GruLayer, 3>, writeGated<GruLayer>},
    {"lstm", readGated<LstmLayer, 4>, writeGated<LstmLayer>},
};

}  // namespace

bool isNativeRecurrentType(const std::string& type) {
    for (const auto& kind : recurrentKinds)
        if (type == kind.type) return true;
    return false;
}

std::unique_ptr<const RecurrentLayer> readNativeRecurrentLayer(const JsonCursor& layer,
                                                               int expectedInputSize,
                                                               const std::string& inputContext) {
    const JsonCursor typeField = layer.field("type");
    const std::string type = typeField.asString();
    for (const auto& kind : recurrentKinds)
        if (type == kind.type) return kind.read(layer, expectedInputSize, inputContext);
    typeField.fail(R"(a recurrent layer type ("gru" or "lstm"))");
}

DenseLayer readNativeDenseLayer(const JsonCursor& layer, int expectedInputSize,
                                const std::string& inputContext) {
    const JsonCursor typeField = layer.field("type");
    if (typeField.asString() != "dense")
        typeField.fail("\"dense\" (the last layer is the output head)");
    const int inputSize = readInputSize(layer, expectedInputSize, inputContext);
    const int outputSize = layer.field("output_size").asInteger(1, limits::maxOutputSize);
    Activation activation = Activation::None;
    if (const auto field = layer.optionalField("activation")) {
        const auto parsed = activationFromName(field->asString());
        if (!parsed) field->fail(R"(one of "none", "tanh", "sigmoid", "softmax")");
        activation = *parsed;
    }
    auto weight = layer.field("weight").asMatrix(static_cast<std::size_t>(outputSize),
                                                 static_cast<std::size_t>(inputSize));
    auto bias = layer.field("bias").asVector(static_cast<std::size_t>(outputSize));
    return {std::move(weight), std::move(bias), activation};
}

ModelJson writeNativeRecurrentLayer(const RecurrentLayer& layer) {
    for (const auto& kind : recurrentKinds)
        if (std::string(layer.typeName()) == kind.type) return kind.write(layer);
    throw std::logic_error(std::string("no native writer for layer type ") + layer.typeName());
}

ModelJson writeNativeDenseLayer(const DenseLayer& layer) {
    ModelJson out;
    out["type"] = "dense";
    out["input_size"] = layer.inputSize();
    out["output_size"] = layer.outputSize();
    out["activation"] = activationName(layer.activation());
    out["weight"] = matrixToJson(layer.weight());
    out["bias"] = vectorToJson(layer.bias());
    return out;
}

}  // namespace gs
