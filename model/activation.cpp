#include "activation.h"

#include <algorithm>
#include <cmath>

namespace gs {

std::optional<Activation> activationFromName(std::string_view name) {
    if (name == "none" || name == "linear") return Activation::None;
    if (name == "tanh") return Activation::Tanh;
    if (name == "sigmoid") return Activation::Sigmoid;
    if (name == "softmax") return Activation::Softmax;
    return std::nullopt;
}

const char* activationName(Activation activation) noexcept {
    switch (activation) {
    case Activation::None: return "none";
    case Activation::Tanh: return "tanh";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Softmax: return "softmax";
    }
    return "none";
}

void applyActivation(Activation activation, float* values, int count) noexcept {
    switch (activation) {
    case Activation::None: return;
    case Activation::Tanh:
        for (int i = 0; i < count; ++i) values[i] = std::tanh(values[i]);
        return;
    case Activation::Sigmoid:
        for (int i = 0; i < count; ++i) values[i] = sigmoid(values[i]);
        return;
    case Activation::Softmax: {
        // softmax(x)_i = e^(x_i - max x) / sum_j e^(x_j - max x); the shift keeps exp finite.
        if (count <= 0) return;
        const float peak = *std::max_element(values, values + count);
        float sum = 0.0f;
        for (int i = 0; i < count; ++i) {
            values[i] = std::exp(values[i] - peak);
            sum += values[i];
        }
        for (int i = 0; i < count; ++i) values[i] /= sum;
        return;
    }
    }
}

}  // namespace gs
