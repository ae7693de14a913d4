#pragma once
// Output activations of a Dense layer. Real-time safe: applyActivation works in place.

#include <cmath>
#include <optional>
#include <string_view>

namespace gs {

enum class Activation { None, Tanh, Sigmoid, Softmax };

std::optional<Activation> activationFromName(std::string_view name);
const char* activationName(Activation activation) noexcept;

// audio thread
void applyActivation(Activation activation, float* values, int count) noexcept;

// audio thread: 1 / (1 + e^-x), the form torch uses.
inline float sigmoid(float x) noexcept { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace gs
