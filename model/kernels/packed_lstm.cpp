#include "packed_lstm.h"

#include "packed_gru.h"

#include <numbers>

namespace gs {

PackedLstm::PackedLstm(const GatedWeights& weights)
    : inputs(weights.inputSize()), hidden(weights.hiddenSize()), paddedHidden(PackedGru::paddedSize(hidden)),
      rows(4 * paddedHidden),
      weightIh(static_cast<std::size_t>(inputs) * static_cast<std::size_t>(rows)),
      weightHh(static_cast<std::size_t>(hidden) * static_cast<std::size_t>(rows)),
      bias(static_cast<std::size_t>(rows)) {
    constexpr int cellGate = 2;  // g, the one tanh among i, f, g, o
    for (int gate = 0; gate < 4; ++gate) {
        const double scale = gate == cellGate ? 2.0 * std::numbers::log2e : -std::numbers::log2e;
        const auto scaled = [scale](double value) { return static_cast<float>(value * scale); };
        for (int unit = 0; unit < hidden; ++unit) {
            const Eigen::Index source = gate * hidden + unit;  // torch row
            const auto packed = static_cast<std::size_t>(gate * paddedHidden + unit);
            for (int i = 0; i < inputs; ++i)
                weightIh[static_cast<std::size_t>(i) * static_cast<std::size_t>(rows) + packed] =
                    scaled(weights.weightIh(source, i));
            for (int j = 0; j < hidden; ++j)
                weightHh[static_cast<std::size_t>(j) * static_cast<std::size_t>(rows) + packed] =
                    scaled(weights.weightHh(source, j));
            bias[packed] = scaled(double(weights.biasIh(source)) + double(weights.biasHh(source)));
        }
    }
}

} // namespace gs
