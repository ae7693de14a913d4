#include "packed_gru.h"

#include <numbers>

namespace gs {

PackedGru::PackedGru(const GatedWeights& weights)
    : inputs(weights.inputSize()), hidden(weights.hiddenSize()), paddedHidden(paddedSize(hidden)),
      rows(3 * paddedHidden),
      weightIh(static_cast<std::size_t>(inputs) * static_cast<std::size_t>(rows)),
      weightHh(static_cast<std::size_t>(hidden) * static_cast<std::size_t>(rows)),
      biasInput(static_cast<std::size_t>(rows)), biasHidden(static_cast<std::size_t>(rows)) {
    for (int gate = 0; gate < 3; ++gate) {
        const double scale = gate < 2 ? -std::numbers::log2e : 2.0 * std::numbers::log2e;
        const auto scaled = [scale](double value) { return static_cast<float>(value * scale); };
        for (int unit = 0; unit < hidden; ++unit) {
            const Eigen::Index source = gate * hidden + unit;         // torch row
            const auto packed = static_cast<std::size_t>(gate * paddedHidden + unit);
            for (int i = 0; i < inputs; ++i)
                weightIh[static_cast<std::size_t>(i) * static_cast<std::size_t>(rows) + packed] =
                    scaled(weights.weightIh(source, i));
            for (int j = 0; j < hidden; ++j)
                weightHh[static_cast<std::size_t>(j) * static_cast<std::size_t>(rows) + packed] =
                    scaled(weights.weightHh(source, j));
            if (gate < 2) {
                biasInput[packed] = scaled(double(weights.biasIh(source)) + double(weights.biasHh(source)));
            } else {
                biasInput[packed] = scaled(weights.biasIh(source));
                biasHidden[packed] = scaled(weights.biasHh(source));
            }
        }
    }
}

} // namespace gs
